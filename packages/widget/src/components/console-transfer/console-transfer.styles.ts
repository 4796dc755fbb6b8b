// SPDX-License-Identifier: Apache-2.0
import { css } from 'lit';

/**
 * The console's modal dialogs (the transfer here, and the block confirmation of
 * components/console-actions): a card over a dimmed console, as wide as a short form reads
 * well, never wider than the screen (WCAG 1.4.10).
 */
export const consoleTransferStyles = css`
  dialog {
    width: min(32rem, calc(100vw - 2rem));
    max-height: calc(100vh - 2rem);
    padding: 1rem 1.25rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    color: var(--_text);
    background: var(--_surface);
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.45);
  }
  dialog h2:focus {
    outline: none;
  }
  dialog h2:focus-visible {
    outline: 3px solid var(--_accent);
  }
  dialog fieldset {
    margin: 0 0 1rem;
    padding: 0.5rem 0.75rem;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 1.5);
  }
  dialog legend {
    padding-inline: 0.25rem;
    font-weight: 600;
  }
  .colleagues li {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    min-height: 44px;
  }
  /* As easy to hit as a button (WCAG 2.5.8); the label widens the target further. */
  .colleagues input {
    inline-size: 1.5rem;
    block-size: 1.5rem;
    margin: 0;
    accent-color: var(--_accent);
  }
  .colleagues input:disabled + label {
    color: var(--_muted);
  }
  .colleagues .room {
    color: var(--_muted);
  }
  dialog label[for='handoff-note'] {
    display: block;
    font-weight: 600;
  }
  dialog textarea {
    display: block;
    inline-size: 100%;
    font: inherit;
    padding: 0.5rem;
    border: 1px solid var(--_muted);
    border-radius: calc(var(--_radius) / 1.5);
    color: inherit;
    background: inherit;
    resize: vertical;
  }
  dialog .hint {
    margin: 0.25rem 0;
    font-size: 0.9rem;
    color: var(--_muted);
  }
  dialog .error {
    color: var(--_danger);
    font-weight: 600;
  }
  dialog .error:empty {
    display: none;
  }
  dialog .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin-block-start: 0.75rem;
  }
`;
