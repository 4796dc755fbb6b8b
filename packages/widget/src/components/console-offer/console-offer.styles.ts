// SPDX-License-Identifier: Apache-2.0
import { css } from 'lit';

/**
 * The offer: set apart by a thick accent border (not colour alone: it has its own heading too),
 * and the waiting list's marks for entries of another topic or language.
 */
export const consoleOfferStyles = css`
  .offer {
    margin-block-end: 1rem;
    padding: 0.5rem 0.75rem 0.75rem;
    border: 3px solid var(--_accent);
    border-radius: var(--_radius);
  }
  .offer h2 {
    margin-block-start: 0;
  }
  .offer p {
    margin: 0.25rem 0;
  }
  .offer-countdown {
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  .offer .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin-block-start: 0.5rem;
  }
  .entry .choice-text,
  .entry .not-a-match,
  .entry .offered {
    display: block;
    color: var(--_muted);
  }
`;
