// SPDX-License-Identifier: Apache-2.0
import { css } from 'lit';
import { visuallyHidden } from './visually-hidden.styles.js';

/**
 * Shared look of the frame and the console: the page's own element, so it owns typography,
 * buttons and focus rings. Two palettes, both WCAG AA: every text colour 4.5:1 or more on the
 * backgrounds it is used on (1.4.3), the accent 3:1 or more as a focus ring on the surface
 * (1.4.11). Light: accent 7.3:1 on the surface, muted 7.5:1, muted on the subtle grey 6.6:1.
 * Dark (`theme="dark"`, set by the shell through the bridge): text 14.6:1, muted 8:1, accent
 * 8.7:1 on the surface, and 8.6:1 between accent and the text on it.
 *
 * The public `--kindred-*` knobs are read into private `--_*` variables here, once per
 * palette. The greys and the danger red are not knobs: borders, quiet backgrounds and the
 * emergency colour look the same on every hospital's site. Logical properties throughout
 * (`margin-block-start`, `inset-inline-end`, `text-align: start`): a right-to-left page mirrors
 * the whole chat.
 */
export const baseStyles = css`
  :host {
    --_accent: var(--kindred-color-accent, #2f4ac0);
    --_on-accent: var(--kindred-color-on-accent, #ffffff);
    --_surface: var(--kindred-color-surface, #ffffff);
    --_muted: var(--kindred-color-muted, #4d5564);
    --_text: var(--kindred-color-text, #1b1f27);
    --_radius: var(--kindred-radius, 12px);
    --_border: #c4c9d4;
    --_subtle: #eef0f5;
    --_danger: #b3261e;
    display: block;
    box-sizing: border-box;
    color: var(--_text);
    background: var(--_surface);
    /* The system fonts follow whatever the page names: a hospital's web font cannot load in
       the frame (another origin), so a name the device lacks falls back to these, not to Times. */
    font-family: var(--kindred-font-family, system-ui), system-ui, -apple-system, 'Segoe UI', sans-serif;
    font-size: 1rem;
    line-height: 1.45;
  }
  :host([theme=dark]) {
    color-scheme: dark;
    --_accent: var(--kindred-color-accent, #9fb0ff);
    --_on-accent: var(--kindred-color-on-accent, #11162e);
    --_surface: var(--kindred-color-surface, #15171c);
    --_muted: var(--kindred-color-muted, #a7aebb);
    --_text: var(--kindred-color-text, #e6e8ee);
    --_border: #4a5060;
    --_subtle: #262a33;
    --_danger: #ff8f87;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }
  h1,
  h2 {
    margin: 0 0 0.5rem;
    line-height: 1.2;
  }
  h1 {
    font-size: 1.25rem;
  }
  h2 {
    font-size: 1.05rem;
  }
  p {
    margin: 0 0 0.75rem;
  }
  button {
    font: inherit;
    min-height: 44px; /* WCAG 2.5.5 target size */
    padding: 0.5rem 1rem;
    border: 2px solid var(--_accent);
    border-radius: calc(var(--_radius) / 1.5);
    background: var(--_accent);
    color: var(--_on-accent);
    cursor: pointer;
  }
  button.secondary {
    background: transparent;
    color: var(--_accent);
  }
  button:disabled {
    opacity: 0.6;
    cursor: not-allowed;
  }
  :focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  @media (forced-colors: active) {
    button {
      border-color: ButtonText;
    }
    :focus-visible {
      outline-color: Highlight;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    * {
      scroll-behavior: auto !important;
      transition: none !important;
      animation: none !important;
    }
  }
  ${visuallyHidden}
`;
