// SPDX-License-Identifier: Apache-2.0
import { css } from 'lit';

/** The console fills its page: a bar, then waiting list, chats and the open conversation. */
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
    border-bottom: 1px solid #c4c9d4;
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
    background: #eef0f5;
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
    grid-template-columns: minmax(12rem, 18rem) 1fr;
    gap: 1rem;
    padding: 1rem;
  }
  @media (max-width: 40rem) {
    .columns {
      grid-template-columns: 1fr;
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
    margin-top: 0.75rem;
  }
  .share {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25rem 0.5rem;
    margin-top: 0.75rem;
  }
  .share h3 {
    flex-basis: 100%;
    margin: 0;
    font-size: 0.95rem;
  }
  .share select {
    font: inherit;
    min-height: 44px;
    padding: 0.25rem 0.5rem;
    border: 1px solid var(--_muted);
    border-radius: calc(var(--_radius) / 1.5);
    color: inherit;
    background: inherit;
  }
`;
