// SPDX-License-Identifier: Apache-2.0
import { css } from 'lit';

/**
 * The survivor's chat fills its iframe: header, status, conversation, composer. Colours come
 * from the private variables of `base.styles.ts` (two palettes); logical properties only, so a
 * right-to-left chat mirrors.
 */
export const styles = css`
  /* Exactly the window's height (the page stylesheet sizes html and body): the conversation
     scrolls inside, while the header and the message box stay in view. */
  :host {
    height: 100%;
    display: flex;
    flex-direction: column;
  }
  header {
    display: flex;
    /* On a 320px screen Quick exit, the name and Minimise do not fit on one line (WCAG 1.4.10). */
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem;
    padding: 0.5rem 0.75rem;
    background: var(--_accent);
    color: var(--_on-accent);
  }
  header .brand {
    margin: 0;
    margin-inline-end: auto;
    font-weight: 600;
  }
  /* Quick exit: first in the tab order and unmistakable (GOV.UK's warning red, 6.5:1 with
     white). The same red in both themes and on every hospital's site: not a knob. */
  header .quick-exit {
    background: #b3261e;
    border-color: var(--_on-accent);
    color: #ffffff;
    font-weight: 700;
  }
  header button {
    border-color: var(--_on-accent);
  }
  /* On the accent bar, a secondary button is drawn in the bar's own text colour. */
  header button.secondary {
    background: transparent;
    color: var(--_on-accent);
  }
  /* So is every focus ring there: an accent ring on the accent bar would not show at all
     (WCAG 2.4.7, 1.4.11: 3:1 against what it is drawn on). */
  header :focus-visible {
    outline-color: var(--_on-accent);
  }
  main {
    flex: 1 1 auto;
    display: flex;
    flex-direction: column;
    min-height: 0;
    padding: 0.75rem;
    overflow-y: auto;
  }
  footer {
    padding: 0.5rem 0.75rem;
    border-block-start: 1px solid var(--_border);
    font-size: 0.9rem;
  }
  footer p {
    margin: 0;
  }
  a {
    color: var(--_accent);
  }
  .emergency {
    margin: 0 0 0.75rem;
    padding: 0.75rem;
    border: 3px solid var(--_danger);
    border-inline-start-width: 0.5rem;
    border-radius: calc(var(--_radius) / 1.5);
    font-weight: 600;
  }
  .emergency p {
    margin: 0;
    font-size: 1.1rem;
  }
  .emergency a {
    color: var(--_danger);
  }
  .tip,
  .hint {
    color: var(--_muted);
  }
  .safety {
    margin: 0 0 0.75rem;
    padding: 0.5rem 0.75rem;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 1.5);
  }
  .safety legend {
    font-weight: 600;
    padding: 0 0.25rem;
  }
  .choices {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 1rem;
  }
  .choice {
    display: inline-flex;
    align-items: center;
    gap: 0.375rem;
    min-height: 44px; /* WCAG 2.5.5: the label is the target */
    cursor: pointer;
  }
  .choice input {
    width: 1.25rem;
    height: 1.25rem;
    margin: 0;
    accent-color: var(--_accent);
  }
  /* The read-marks choice: the whole label is the target (WCAG 2.5.5). */
  .read-marks {
    display: flex;
    align-items: center;
    gap: 0.375rem;
    min-height: 44px;
    margin-block-start: 0.25rem;
    font-size: 0.9rem;
    cursor: pointer;
  }
  .read-marks input {
    flex: none;
    width: 1.25rem;
    height: 1.25rem;
    margin: 0;
    accent-color: var(--_accent);
  }
  .help {
    margin: 0 0 0.75rem;
  }
  .help summary {
    min-height: 44px;
    display: flex;
    align-items: center;
    cursor: pointer;
    color: var(--_accent);
    font-weight: 600;
  }
  /* A disclosure's summary is a control: as easy to hit as the buttons (WCAG 2.5.8). */
  .verify summary {
    padding-block: 0.625rem;
    cursor: pointer;
  }
  .no-peer {
    margin: 0 0 0.75rem;
  }
  .confirm {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
    padding: 0.5rem 0.75rem;
    border: 2px solid var(--_accent);
    border-radius: calc(var(--_radius) / 1.5);
  }
  .confirm p {
    flex-basis: 100%;
    margin: 0;
    font-weight: 600;
  }
  @media (forced-colors: active) {
    .emergency,
    header .quick-exit {
      border-color: CanvasText;
    }
    header :focus-visible {
      outline-color: Highlight;
    }
  }
  .status:empty {
    display: none;
  }
  .status {
    padding: 0.5rem 0.75rem;
    border-radius: calc(var(--_radius) / 1.5);
    background: var(--_subtle);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin-block-start: 0.75rem;
  }
`;
