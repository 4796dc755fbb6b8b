// SPDX-License-Identifier: Apache-2.0
import { css } from 'lit';

/** Styles for {@link renderResource} and {@link renderResourceList}. */
export const resourceStyles = css`
  .resources {
    list-style: none;
    margin: 0 0 0.75rem;
    padding: 0;
    display: grid;
    gap: 0.5rem;
  }
  .resources > li {
    padding: 0.5rem 0.75rem;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 1.5);
  }
  .resource p {
    margin: 0 0 0.25rem;
  }
  .resource p:last-child {
    margin-block-end: 0;
  }
  .resource-name {
    font-weight: 700;
  }
  .resource a {
    color: inherit;
    font-weight: 600;
  }
  .resources a {
    color: var(--_accent);
  }
  .bubble.card {
    border: 2px solid var(--_accent);
    background: var(--_surface);
    color: var(--_text);
  }
  .bubble.card.own {
    background: var(--_surface);
    color: var(--_text);
  }
  .bubble.card a {
    color: var(--_accent);
  }
`;
