// SPDX-License-Identifier: Apache-2.0
import { css } from 'lit';

/**
 * Styles for {@link renderMessageList}: one column of bubbles, ours at the inline end (the
 * right in a left-to-right language, the left in Arabic), theirs at the start.
 */
export const messageListStyles = css`
  .log {
    flex: 1 1 auto;
    min-height: 8rem;
    overflow-y: auto;
    padding: 0.5rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    scroll-behavior: smooth;
  }
  .messages {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
  }
  .bubble {
    max-width: 85%;
    padding: 0.5rem 0.75rem;
    border-radius: var(--_radius);
    background: var(--_subtle);
    overflow-wrap: anywhere;
    border: 1px solid transparent; /* visible in forced colours */
  }
  .bubble.own {
    align-self: flex-end;
    background: var(--_accent);
    color: var(--_on-accent);
  }
  .notice {
    align-self: center;
    font-size: 0.85rem;
    color: var(--_muted);
    text-align: center;
  }
  .bubble.own a {
    color: inherit;
  }
  .sender {
    display: block;
    font-size: 0.8rem;
    font-weight: 600;
  }
  .text {
    margin: 0;
    white-space: pre-wrap;
  }
  .delivery {
    display: block;
    font-size: 0.8rem;
    text-align: end;
  }
  /* Retry sits in our own (accent) bubble: drawn in the bubble's text colour, so both it and
     its focus ring keep their contrast (WCAG 1.4.11). */
  .retry {
    margin-inline-start: 0.5rem;
    min-height: 44px;
    padding: 0.25rem 0.75rem;
  }
  .bubble.own .retry {
    background: var(--_on-accent);
    border-color: var(--_on-accent);
    color: var(--_accent);
  }
  .bubble.own :focus-visible {
    outline-color: var(--_on-accent);
  }
  .typing {
    min-height: 1.45em;
    margin: 0.25rem 0 0;
    font-size: 0.9rem;
    font-style: italic;
    color: var(--_muted);
  }
`;
