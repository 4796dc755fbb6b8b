// SPDX-License-Identifier: Apache-2.0
// The css tag from Lit's reactive-element package: importing it from 'lit' would bring
// lit-html into the shell (see chat.ts).
import { css } from '@lit/reactive-element';
import { visuallyHidden } from '../../internal/visually-hidden.styles.js';

/**
 * The shell's styles. Public `--kindred-*` knobs are read once into private `--_*` variables,
 * so the rest of the sheet has one name per value and hosts cannot reach anything else.
 */
export const styles = css`
  :host {
    --_accent: var(--kindred-color-accent, #2f4ac0);
    --_on-accent: var(--kindred-color-on-accent, #ffffff);
    --_surface: var(--kindred-color-surface, #ffffff);
    --_radius: var(--kindred-radius, 12px);
    --_inset: var(--kindred-inset, 1rem);
    --_width: var(--kindred-panel-width, 380px);
    --_height: var(--kindred-panel-height, 600px);
    --_z: var(--kindred-z-index, 2147483000);
    position: fixed;
    inset-block-end: var(--_inset);
    inset-inline-end: var(--_inset);
    z-index: var(--_z);
    display: block;
    font-family: var(--kindred-font-family, system-ui, -apple-system, 'Segoe UI', sans-serif);
  }
  .bar {
    display: flex;
    align-items: center;
    gap: 0.5rem;
  }
  [part~='launcher'],
  [part~='quick-exit'] {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
    min-height: 48px;
    padding: 0.5rem 1.25rem;
    border: 2px solid var(--_accent);
    border-radius: 999px;
    background: var(--_accent);
    color: var(--_on-accent);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
    box-shadow: 0 4px 14px rgb(0 0 0 / 0.2);
  }
  /* Calm but plain to see: the launcher's colours swapped, so the same contrast by construction. */
  [part~='quick-exit'] {
    box-sizing: border-box;
    background: var(--_on-accent);
    color: var(--_accent);
    text-decoration: none;
  }
  [part~='launcher']:focus-visible,
  [part~='quick-exit']:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 3px;
  }
  [part~='launcher'] {
    position: relative;
  }
  /* On the launcher's corner, out of the flow: a count arriving or going must not resize the
     launcher and move it and the Quick exit beside it (no layout shift on the host page, #7). */
  [part~='badge'] {
    position: absolute;
    inset-block-start: -0.6rem;
    inset-inline-end: -0.6rem;
    min-width: 1.5rem;
    box-sizing: border-box;
    padding: 0 0.4rem;
    border: 2px solid var(--_accent);
    border-radius: 999px;
    background: var(--_on-accent);
    color: var(--_accent);
    font-size: 0.85rem;
    line-height: 1.25rem;
    text-align: center;
  }
  /* Above the bar and out of the flow, so the host's box is the bar's alone and never changes:
     opening the chat moves nothing on the page, not even the host (no layout shift, #7). */
  [part~='panel'] {
    position: absolute;
    inset-block-end: calc(100% + 0.75rem);
    inset-inline-end: 0;
    display: flex;
    flex-direction: column;
    width: min(var(--_width), calc(100vw - 2 * var(--_inset)));
    height: min(var(--_height), calc(100vh - 6rem));
    overflow: hidden;
    border-radius: var(--_radius);
    background: var(--_surface);
    box-shadow: 0 8px 30px rgb(0 0 0 / 0.25);
  }
  [part~='panel'][hidden] {
    display: none;
  }
  iframe {
    flex: 1;
    min-height: 0;
    width: 100%;
    border: 0;
  }
  /* Covers the whole window, in the top layer when the browser has one (a manual popover), so
     nothing of the page or the chat shows while the exit page loads. */
  [part~='exit-overlay'] {
    position: fixed;
    inset: 0;
    z-index: 2147483647;
    width: auto;
    height: auto;
    margin: 0;
    padding: 0;
    border: 0;
    background: Canvas;
  }
  @media (forced-colors: active) {
    [part~='launcher'],
    [part~='quick-exit'],
    [part~='badge'],
    [part~='panel'] {
      border: 2px solid CanvasText;
    }
  }
  ${visuallyHidden}
`;
