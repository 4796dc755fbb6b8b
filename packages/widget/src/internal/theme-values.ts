// SPDX-License-Identifier: Apache-2.0
/**
 * The frame's check of the theme the shell posts, and its application (loaded on demand by
 * `frame-theme.ts`). The shell runs on the hospital's page, where
 * any script (a tag manager, an injected ad, an attacker's XSS) can post to the frame in its
 * name, so nothing it sends is trusted: a value is applied only if it is a plain colour, a
 * corner radius within bounds, or a list of font family names, and never anything that could
 * load a resource (`url()`, `image-set()`), read something (`attr()`, `env()`, `var()`), branch
 * (`if()`) or end the value and start another (`;`, `{`, `}`, `!`, `:` or a backslash).
 */
import { themeProperties, type ThemeProperty } from './theme.js';

/**
 * The CSS functions a colour may call: the colour spaces, mixing, and `light-dark()` (how a
 * hospital gives one colour per scheme). Every other function is refused by name, so a new one
 * a browser learns tomorrow is refused too until it is added here.
 */
const colorFunctions = new Set(['rgb', 'rgba', 'hsl', 'hsla', 'hwb', 'lab', 'lch', 'oklab', 'oklch', 'color', 'color-mix', 'light-dark']);

/**
 * The largest radius per unit. Bubbles, buttons and the log take their corners from it: beyond
 * about 2rem, a bubble of two lines turns into a pill and clips its text.
 */
const maxRadius: Record<string, number> = { px: 32, rem: 2, em: 2 };

/** Keywords that are valid anywhere and mean "not a value": never a theme. */
const cssWide = /^(?:inherit|initial|unset|revert|revert-layer)$/i;

function isColor(value: string): boolean {
  // The characters colours are written with, and no others: no quotes, colons, semicolons,
  // braces, `!` or backslashes.
  if (value.length > 120 || !/^[\w\s#%.,()/+-]+$/.test(value)) return false;
  for (const [, name = ''] of value.matchAll(/([\w-]*)\(/g)) if (!colorFunctions.has(name.toLowerCase())) return false;
  return CSS.supports('color', value);
}

function isRadius(value: string): boolean {
  const match = /^(\d{1,3}(?:\.\d+)?|\.\d+)(px|rem|em)?$/.exec(value);
  if (!match) return false;
  const size = Number(match[1]);
  return match[2] ? size <= maxRadius[match[2]]! : size === 0;
}

function isFont(value: string): boolean {
  // Family names, quoted or not, and commas: no functions, so nothing to load or read.
  return value.length <= 200 && /^[\p{L}\p{N}\s,'"_-]+$/u.test(value) && CSS.supports('font-family', value);
}

/** What each property's value must be; the type makes this cover the list in `theme.ts` exactly. */
const checks: Record<ThemeProperty, (value: string) => boolean> = {
  '--kindred-color-accent': isColor,
  '--kindred-color-on-accent': isColor,
  '--kindred-color-surface': isColor,
  '--kindred-color-text': isColor,
  '--kindred-color-muted': isColor,
  '--kindred-font-family': isFont,
  '--kindred-radius': isRadius,
};

/**
 * The entries of `properties` the frame may apply: names on the list in `theme.ts`, each with a
 * value of its kind. Everything else is left out, silently: the chat keeps its own default for
 * that property, which is always a readable one.
 */
export function validTheme(properties: Record<string, unknown>): Partial<Record<ThemeProperty, string>> {
  const valid: Partial<Record<ThemeProperty, string>> = {};
  for (const name of themeProperties) {
    const value = Object.hasOwn(properties, name) ? properties[name] : undefined;
    if (typeof value !== 'string') continue;
    const trimmed = value.trim();
    if (trimmed && !cssWide.test(trimmed) && checks[name](trimmed)) valid[name] = trimmed;
  }
  return valid;
}

/**
 * Sets exactly the valid entries of `properties` on `style` (the frame element's inline style,
 * where the private `--_*` variables read them) and removes every other theme property, so a
 * property the page stops setting goes back to the chat's default. Style set through the CSSOM
 * is not an inline style attribute: the frame page's `style-src 'self'` allows it.
 */
export function setThemeProperties(style: CSSStyleDeclaration, properties: Record<string, unknown>): void {
  const valid = validTheme(properties);
  for (const name of themeProperties) {
    const value = valid[name];
    if (value === undefined) style.removeProperty(name);
    else style.setProperty(name, value);
  }
}
