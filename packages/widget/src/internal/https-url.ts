// SPDX-License-Identifier: Apache-2.0
/**
 * The one rule for every address the widget will link to or navigate to: an absolute `https:`
 * URL with a host and no user name or password. Message links, resource links, and quick
 * exit's destination all pass through here; anything else stays text or is ignored.
 */

/**
 * Where quick exit goes when neither the page nor the hospital says: a neutral, busy public
 * page, as GOV.UK's "Exit this page" uses. (The relay's default `exitUrl` is the same.)
 */
export const neutralExitUrl = 'https://www.bbc.co.uk/weather';

/** The normalised URL when `value` is a safe https address, else undefined. */
export function httpsHref(value: unknown): string | undefined {
  // A string only: `new URL` would happily stringify `['https://…']` from a posted message.
  if (typeof value !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  // `https://bank.example@evil.example` reads as one site and opens another.
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.hostname === '') return undefined;
  return url.href;
}
