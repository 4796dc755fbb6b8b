// SPDX-License-Identifier: Apache-2.0
import { css } from 'lit';

/** Styles for {@link ComposerController}'s form. */
export const composerStyles = css`
  .composer {
    display: grid;
    grid-template-columns: 1fr auto;
    gap: 0.25rem 0.5rem;
    align-items: end;
    margin-block-start: 0.5rem;
  }
  .composer label {
    grid-column: 1 / -1;
    font-size: 0.9rem;
    font-weight: 600;
  }
  .composer textarea {
    font: inherit;
    min-height: 44px;
    max-height: 10rem;
    padding: 0.5rem;
    resize: vertical;
    border: 1px solid var(--_muted);
    border-radius: calc(var(--_radius) / 1.5);
    color: inherit;
    background: inherit;
  }
`;
