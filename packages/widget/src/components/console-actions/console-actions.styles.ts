// SPDX-License-Identifier: Apache-2.0
import { css } from 'lit';

/**
 * The chat's actions under its heading, the danger button of the block confirmation, a
 * colleague's hand-off note at the top of a transferred chat, and a supervised chat's marks.
 */
export const consoleActionsStyles = css`
  .chat-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin-block-end: 0.75rem;
  }
  button.danger {
    border-color: var(--_danger);
    background: var(--_danger);
    color: #ffffff;
  }
  :host([theme='dark']) button.danger {
    color: #1b1f27;
  }
  .handoff {
    margin: 0 0 0.75rem;
    padding: 0.5rem 0.75rem;
    border-inline-start: 4px solid var(--_accent);
    border-radius: calc(var(--_radius) / 2);
    background: var(--_subtle);
  }
  .handoff h3 {
    margin: 0 0 0.25rem;
    font-size: 0.95rem;
  }
  .handoff p {
    margin: 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .supervising-intro {
    color: var(--_muted);
  }
`;
