// SPDX-License-Identifier: Apache-2.0
/**
 * Puts the shell's theme on the chat frame's element. The scheme becomes its `theme`
 * attribute at once, which the styles key their dark palette on (`base.styles.ts`). The
 * hospital's values go through `theme-values.ts`, which checks and applies them; it loads only
 * when a page has set some (most chats never need it, and the open chat's size budget is
 * nearly spent, docs/size.md).
 */
import type { ColorScheme } from './theme.js';

/** The latest call per element: a slow first load must not apply an older theme over a newer one. */
const latest = new WeakMap<HTMLElement, number>();

/**
 * Applies `scheme`, then the valid entries of `properties`, to the chat frame's `host`. Each call
 * replaces the whole previous theme.
 */
export function applyTheme(host: HTMLElement, scheme: ColorScheme, properties: Record<string, unknown>): void {
  host.setAttribute('theme', scheme);
  const call = (latest.get(host) ?? 0) + 1;
  latest.set(host, call);
  // Nothing set now or before: nothing to check, nothing to clear.
  if (Object.keys(properties).length === 0 && host.style.length === 0) return;
  void import('./theme-values.js').then(({ setThemeProperties }) => {
    if (latest.get(host) === call) setThemeProperties(host.style, properties);
  });
}
