// SPDX-License-Identifier: Apache-2.0
import { css } from 'lit';

/** The topic and language lists on the chat's first screen, in the safety question's frame. */
export const topicChoiceStyles = css`
  .topic-choice {
    display: grid;
    gap: 0.25rem;
    margin: 0 0 0.75rem;
    padding: 0.5rem 0.75rem 0.75rem;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 1.5);
  }
  .topic-choice legend {
    font-weight: 600;
    padding: 0 0.25rem;
  }
  .topic-choice select {
    font: inherit;
    min-height: 44px; /* WCAG 2.5.5 */
    max-width: 100%;
    margin-block-end: 0.25rem;
    padding: 0.25rem 0.5rem;
    border: 1px solid var(--_muted);
    border-radius: calc(var(--_radius) / 1.5);
    color: inherit;
    background: inherit;
  }
`;
