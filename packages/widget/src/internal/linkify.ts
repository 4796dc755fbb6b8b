// SPDX-License-Identifier: Apache-2.0
/**
 * Splits message text into plain text and `https:` links, for rendering through Lit bindings
 * (never innerHTML). Only `https:` becomes a link: `http:` would let a network observer change
 * the page a survivor opens, and every other scheme (`javascript:`, `data:`, `vbscript:`,
 * `file:`, …) can run code or fake a page. In doubt, a piece of text stays text.
 */
import { httpsHref } from './https-url.js';

/** One piece of a message: text, or a link with the exact https URL it points to. */
export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

// A candidate starts with `https://` (any case, ASCII only) at the start of the text or after
// white space or an opening bracket or quote — so `xhttps://…` and `javascript://https://…`
// are not links — and runs to the next white space or character that cannot be part of a
// URL in prose (controls, quotes, angle brackets, invisible and zero-width spaces).
const candidate = /(?<![^\s([{<"'])https:\/\/[^\s<>"'`\u0000-\u001f\u007f-\u009f\u00a0\u2000-\u200f\u2028-\u202f\u2060-\u206f\ufeff]+/gi;
// Punctuation that usually closes the sentence rather than the URL.
const trailing = /[.,;:!?'")\]}]+$/;

/** Splits `text` into parts; joining every part's `text` gives `text` back unchanged. */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let plain = '';
  let last = 0;
  for (const match of text.matchAll(candidate)) {
    let raw = match[0];
    // Keep a closing bracket that has an opening one inside the URL, as in Wikipedia links.
    const cut = raw.match(trailing);
    if (cut) {
      let tail = cut[0];
      const body = raw.slice(0, raw.length - tail.length);
      if (tail.startsWith(')') && body.includes('(') && !body.slice(body.lastIndexOf('(')).includes(')')) {
        tail = tail.slice(1);
      }
      raw = raw.slice(0, raw.length - tail.length);
    }
    const href = httpsHref(raw);
    if (href === undefined) continue;
    const start = match.index;
    plain += text.slice(last, start);
    if (plain) parts.push({ kind: 'text', text: plain });
    plain = '';
    parts.push({ kind: 'link', text: raw, href });
    last = start + raw.length;
  }
  plain += text.slice(last);
  if (plain) parts.push({ kind: 'text', text: plain });
  return parts;
}
