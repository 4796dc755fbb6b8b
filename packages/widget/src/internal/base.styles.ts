// SPDX-License-Identifier: Apache-2.0
import { css } from 'lit';
import { visuallyHidden } from './visually-hidden.styles.js';

/**
 * Shared look of the frame and the console: the page's own element, so it owns typography,
 * buttons and focus rings. Colours meet WCAG 1.4.3 (4.5:1) on white.
 */
export const baseStyles = css`
  :host {
    --_accent: var(--kindred-color-accent, #2f4ac0);
    --_on-accent: var(--kindred-color-on-accent, #ffffff);
    --_surface: var(--kindred-color-surface, #ffffff);
    --_muted: var(--kindred-color-muted, #4d5564);
    --_text: var(--kindred-color-text, #1b1f27);
    --_radius: var(--kindred-radius, 12px);
    display: block;
    box-sizing: border-box;
    color: var(--_text);
    background: var(--_surface);
    font-family: var(--kindred-font-family, system-ui, -apple-system, 'Segoe UI', sans-serif);
    font-size: 1rem;
    line-height: 1.45;
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
