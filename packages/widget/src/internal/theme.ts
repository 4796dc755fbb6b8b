// SPDX-License-Identifier: Apache-2.0
/**
 * The custom properties a hospital page may set on `<kindred-chat>` that also style the chat
 * inside the frame. The frame is cross-origin, so the page's CSS cannot reach it: the shell reads
 * these from its own computed style and posts them over the bridge, and the frame applies each
 * only once it has checked that it is what its kind says (`theme-values.ts`). One list for both
 * sides, so the shell never sends what the frame would not take.
 *
 * Kept small and stable on purpose: each name is a promise to every hospital's stylesheet.
 * Layout knobs (`--kindred-inset`, panel size, launcher size, z-index) stay in the shell, where
 * they act; the frame fills whatever box the shell gives it.
 */

/**
 * The properties that cross into the frame. Names only: the shell needs nothing else, and the
 * kind of value each must have lives with the checks (`theme-values.ts`).
 */
export const themeProperties = [
  '--kindred-color-accent',
  '--kindred-color-on-accent',
  '--kindred-color-surface',
  '--kindred-color-text',
  '--kindred-color-muted',
  '--kindred-font-family',
  '--kindred-radius',
] as const;

/** One property name the frame accepts. */
export type ThemeProperty = (typeof themeProperties)[number];

/** The two colour schemes; the shell decides which, the frame follows. */
export type ColorScheme = 'light' | 'dark';
