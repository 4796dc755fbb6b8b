// SPDX-License-Identifier: Apache-2.0
import { css } from 'lit';

/**
 * The console fills its page: a bar, then waiting list, chats and the open conversation.
 * Logical properties only, so a right-to-left console mirrors.
 */
export const styles = css`
  :host {
    min-height: 100vh;
  }
  header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 1rem;
    padding: 0.75rem 1rem;
    border-block-end: 1px solid var(--_border);
  }
  header h1 {
    margin: 0;
    margin-inline-end: auto;
  }
  header p {
    margin: 0;
  }
  .status:empty {
    display: none;
  }
  .status {
    margin: 0.75rem 1rem 0;
    padding: 0.5rem 0.75rem;
    border-radius: calc(var(--_radius) / 1.5);
    background: var(--_subtle);
  }
  .sign-in {
    max-width: 28rem;
    margin: 2rem auto;
    padding: 0 1rem;
  }
  .sign-in form {
    display: grid;
    gap: 0.5rem;
  }
  .sign-in input {
    font: inherit;
    min-height: 44px;
    padding: 0.5rem;
    border: 1px solid var(--_muted);
    border-radius: calc(var(--_radius) / 1.5);
  }
  .columns {
    display: grid;
    /* minmax(0, …): a long resource name in the share list must not widen the page (WCAG 1.4.10). */
    grid-template-columns: minmax(12rem, 18rem) minmax(0, 1fr);
    gap: 1rem;
    padding: 1rem;
  }
  @media (max-width: 40rem) {
    .columns {
      grid-template-columns: minmax(0, 1fr);
    }
  }
  .side {
    display: flex;
    flex-direction: column;
    gap: 1.5rem;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.5rem;
  }
  .entry {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.25rem 0.5rem;
  }
  .entry .waited {
    display: block;
    font-size: 0.85rem;
    color: var(--_muted);
  }
  .chat-tab {
    width: 100%;
    text-align: start;
    background: transparent;
    color: var(--_accent);
  }
  .chat-tab[aria-current='true'] {
    background: var(--_accent);
    color: var(--_on-accent);
  }
  .conversation {
    display: flex;
    flex-direction: column;
    min-height: 24rem;
  }
  .conversation .log {
    max-height: 60vh;
  }
  .muted {
    color: var(--_muted);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin-block-start: 0.75rem;
  }
  /* A disclosure's summary is a control: as easy to hit as the buttons (WCAG 2.5.8). */
  .verify summary {
    padding-block: 0.625rem;
    cursor: pointer;
  }
  .share {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25rem 0.5rem;
    margin-block-start: 0.75rem;
  }
  .share h3 {
    flex-basis: 100%;
    margin: 0;
    font-size: 0.95rem;
  }
  .share select {
    max-width: 100%;
    font: inherit;
    min-height: 44px;
    padding: 0.25rem 0.5rem;
    border: 1px solid var(--_muted);
    border-radius: calc(var(--_radius) / 1.5);
    color: inherit;
    background: inherit;
  }
`;
