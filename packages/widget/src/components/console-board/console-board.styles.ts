// SPDX-License-Identifier: Apache-2.0
import { css } from 'lit';

/**
 * The board: figures in a grid of small tiles (each number under its name), then the
 * escalations like the waiting list's entries. Logical properties only, so it mirrors.
 */
export const consoleBoardStyles = css`
  .board h2 {
    margin-block-start: 0;
  }
  .board-figures {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(7rem, 1fr));
    gap: 0.5rem;
    margin: 0 0 0.75rem;
  }
  .board-figures div {
    padding: 0.25rem 0.5rem;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 1.5);
  }
  .board-figures dt {
    color: var(--_muted);
  }
  .board-figures dd {
    margin: 0;
    font-size: 1.25rem;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  .escalation {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.25rem 0.5rem;
    padding: 0.5rem;
    border-inline-start: 3px solid var(--_accent);
  }
  .escalation .asked {
    display: block;
    color: var(--_muted);
  }
`;
