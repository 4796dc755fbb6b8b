// SPDX-License-Identifier: Apache-2.0
// The css tag from Lit's reactive-element package: importing it from 'lit' would bring
// lit-html into the shell (see chat.ts).
import { css } from '@lit/reactive-element';
import { visuallyHidden } from '../../internal/visually-hidden.styles.js';

/**
 * The shell's styles. Public `--kindred-*` knobs are read once into private `--_*` variables,
 * so the rest of the sheet has one name per value and hosts cannot reach anything else.
 *
 * Two palettes, as in the frame (`base.styles.ts`): light, and dark from `theme="dark"` or, with
 * no `theme`, from the device's `prefers-color-scheme`. The dark block is written twice because
 * CSS cannot "or" an attribute with a media query; gzip makes the copy nearly free. The host's
 * `color-scheme` follows the palette, so a page's `light-dark(…, …)` values pick the same side
 * here as in the frame.
 *
 * Logical properties throughout: with no `position`, the launcher sits at the inline end of the
 * window, the right on a left-to-right page and the left on a right-to-left one, mirrored like
 * the page. `position="left"` or `"right"` pins a physical side by giving the host the direction
 * whose inline end is that side; the panel inherits it and keeps to the same side, and the
 * shell's text keeps its own language's direction (`dir` on the bar, chat.ts).
 */
export const styles = css`
  :host {
    --_accent: var(--kindred-color-accent, #2f4ac0);
    --_on-accent: var(--kindred-color-on-accent, #ffffff);
    --_surface: var(--kindred-color-surface, #ffffff);
    --_radius: var(--kindred-radius, 12px);
    --_inset: var(--kindred-inset, 1rem);
    /* One side only, say above a cookie banner: the panel's height is capped by what is left. */
    --_inset-block: var(--kindred-inset-block, var(--_inset));
    --_inset-inline: var(--kindred-inset-inline, var(--_inset));
    /* Never under 44px, whatever the page asks: WCAG 2.5.5 target size. */
    --_launcher: max(44px, var(--kindred-launcher-size, 48px));
    --_width: var(--kindred-panel-width, 380px);
    --_height: var(--kindred-panel-height, 600px);
    --_z: var(--kindred-z-index, 2147483000);
    color-scheme: light;
    position: fixed;
    inset-block-end: var(--_inset-block);
    inset-inline-end: var(--_inset-inline);
    z-index: var(--_z);
    display: block;
    font-family: var(--kindred-font-family, system-ui, -apple-system, 'Segoe UI', sans-serif);
  }
  :host([theme=dark]) {
    color-scheme: dark;
    --_accent: var(--kindred-color-accent, #9fb0ff);
    --_on-accent: var(--kindred-color-on-accent, #11162e);
    --_surface: var(--kindred-color-surface, #15171c);
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme=light])) {
      color-scheme: dark;
      --_accent: var(--kindred-color-accent, #9fb0ff);
      --_on-accent: var(--kindred-color-on-accent, #11162e);
      --_surface: var(--kindred-color-surface, #15171c);
    }
  }
  :host([position=left]) {
    direction: rtl;
  }
  :host([position=right]) {
    direction: ltr;
  }
  /* Holds the whole shell, so that inline it can fill the box the page gives the element even
     when the page sets the element's own display. */
  .root {
    height: 100%;
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
    min-height: var(--_launcher);
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
  /* Drawn on the hospital's page, whose colours we do not know, in either theme: black outside
     white, so one of the two stands out 4.5:1 or more on any background (WCAG 1.4.11, 2.4.13),
     where an accent ring would vanish on a page of the same lightness (a dark accent on a dark
     page, or the dark theme's light accent on a white one). */
  [part~='launcher']:focus-visible,
  [part~='quick-exit']:focus-visible {
    outline: 3px solid #000;
    outline-offset: 2px;
    box-shadow: 0 0 0 2px #fff;
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
    width: min(var(--_width), calc(100vw - 2 * var(--_inset-inline)));
    /* 100% is the bar's height (the host's box is the bar's alone), not the launcher's: the
       panel stays inside the window when the bar grows, as its labels wrap on a 320px screen
       (WCAG 1.4.10). */
    height: min(var(--_height), calc(100vh - var(--_inset-block) - 100% - 2rem));
    overflow: hidden;
    border-radius: var(--_radius);
    background: var(--_surface);
    box-shadow: 0 8px 30px rgb(0 0 0 / 0.25);
  }
  [part~='panel'][hidden] {
    display: none;
  }
  /* The frame's document declares no colour scheme, so the iframe declares light too: when the
     two differ, browsers paint an opaque canvas behind the frame, a white flash on a dark page
     while it loads. The frame draws its own dark palette over its whole window. */
  iframe {
    flex: 1;
    min-height: 0;
    width: 100%;
    border: 0;
    color-scheme: light;
  }
  /* Inline, for a "Talk to a peer" page: in the page's flow, the size the page gives the element
     (else the panel height), with the Quick exit above the chat and no launcher. The panel
     takes what the bar leaves; nothing in it moves once it is laid out. */
  :host([mode=inline]) {
    position: static;
  }
  :host([mode=inline]) .root {
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
  }
  :host([mode=inline]) .bar {
    justify-content: flex-end;
  }
  :host([mode=inline]) [part~='launcher'] {
    display: none;
  }
  :host([mode=inline]) [part~='panel'] {
    position: static;
    flex: 1 1 var(--_height);
    width: auto;
    height: auto;
    min-height: 0;
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
