// SPDX-License-Identifier: Apache-2.0
/**
 * The postMessage contract between the shell on the hospital page and the chat frame served
 * by the relay. It carries state and counts only, never message text, names or ids: the
 * hospital page is where analytics and session-replay scripts run, and the frame exists so
 * that they cannot see the conversation (DESIGN.md, "The conversation never lives in the
 * hospital's DOM").
 *
 * Frame → shell: `{ kindred: 1, type: 'ready' | 'state' | 'unread' | 'close' | 'exit' | 'exited' |
 * 'exit-url', state?, count?, url? }`. `exit` asks the shell to run quick exit (the survivor chose
 * it inside the frame); `exited` answers the shell's `exit` once the frame has ended the chat and
 * erased its storage; `exit-url` is the hospital's configured exit destination, absolute
 * `https:` only. Shell → frame: `{ kindred: 1, type: 'visibility', open: boolean, inline?: boolean }`
 * (`inline`: the chat sits in the page with no launcher, so there is nothing to minimise it to),
 * `{ kindred: 1, type: 'theme', scheme: 'light' | 'dark', properties: { name: value } }` (the
 * page's theme, see below), and `{ kindred: 1, type: 'exit' }` when quick exit runs. The shell
 * waits a moment for `exited` behind its overlay before it removes the iframe: the frame's tab
 * storage would otherwise keep the conversation, and the relay would hold the chat for the
 * grace period.
 *
 * Theme: the page's CSS cannot reach into a cross-origin frame, and neither can `::part()`. So
 * the shell reads the allow-listed custom properties (`theme.ts`) from its own computed style
 * and posts them with the colour scheme it resolved (its `theme` attribute, else the device's
 * `prefers-color-scheme`): when the frame says `ready`, each time the panel opens (a page may
 * have changed them since) and whenever the scheme changes. The frame checks every value
 * (`theme-values.ts`) before it applies it. The frame's URL fragment also carries
 * `theme=dark` and `mode=inline` when they apply, so its first paint is already right; the
 * messages carry every change after that.
 *
 * Each side validates what it receives: the shell with `isFrameMessage` here, the frame in
 * `frame-bridge.ts`, so the shell (which every hospital page pays for) shares no code with
 * the frame but Lit and the https rule (`https-url.ts`).
 */

import { httpsHref } from './https-url.js';
import type { ColorScheme } from './theme.js';

/** The survivor-facing chat states the shell may learn about and re-announce to the page. */
export const chatStates = ['idle', 'connecting', 'waiting', 'chatting', 'ended'] as const;

/** One chat state, as sent over the bridge and in `kindred-state` events. */
export type ChatState = (typeof chatStates)[number];

/** A message the frame posts to the shell. */
export type FrameMessage =
  | { kindred: 1; type: 'ready' }
  | { kindred: 1; type: 'close' }
  | { kindred: 1; type: 'state'; state: ChatState }
  | { kindred: 1; type: 'unread'; count: number }
  | { kindred: 1; type: 'exit' }
  | { kindred: 1; type: 'exited' }
  | { kindred: 1; type: 'exit-url'; url: string };

/** A message the shell posts to the frame. */
export type ShellMessage =
  | { kindred: 1; type: 'visibility'; open: boolean; inline?: boolean }
  | { kindred: 1; type: 'theme'; scheme: ColorScheme; properties: Record<string, string> }
  | { kindred: 1; type: 'exit' };


function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** True when `data` is a well-formed frame → shell message; anything else is ignored. */
export function isFrameMessage(data: unknown): data is FrameMessage {
  if (!isRecord(data) || data['kindred'] !== 1) return false;
  switch (data['type']) {
    case 'ready':
    case 'close':
    case 'exit':
    case 'exited':
      return true;
    case 'exit-url':
      return httpsHref(data['url']) !== undefined;
    case 'state':
      return chatStates.includes(data['state'] as ChatState);
    case 'unread': {
      const count = data['count'];
      return typeof count === 'number' && Number.isInteger(count) && count >= 0 && count < 10_000;
    }
    default:
      return false;
  }
}
