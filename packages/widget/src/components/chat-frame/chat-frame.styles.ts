// SPDX-License-Identifier: Apache-2.0
import { css } from 'lit';

/** The survivor's chat fills its iframe: header, status, conversation, composer. */
export const styles = css`
  :host {
    height: 100%;
    min-height: 100vh;
    display: flex;
    flex-direction: column;
  }
  header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem;
    padding: 0.5rem 0.75rem;
    background: var(--_accent);
    color: var(--_on-accent);
  }
  header .brand {
    margin: 0;
    font-weight: 600;
  }
  header button {
    border-color: var(--_on-accent);
  }
  main {
    flex: 1 1 auto;
    display: flex;
    flex-direction: column;
    min-height: 0;
    padding: 0.75rem;
  }
  .status:empty {
    display: none;
  }
  .status {
    padding: 0.5rem 0.75rem;
    border-radius: calc(var(--_radius) / 1.5);
    background: #eef0f5;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin-top: 0.75rem;
  }
`;
