// SPDX-License-Identifier: Apache-2.0
/**
 * How a peer names a colleague for `chat:transfer` without learning anything that lets them
 * take that colleague's place: a handle, `HMAC(k, session reference)`, 22 base64url characters.
 *
 * - The session reference never leaves the relay (in memory it is the resume token itself), so
 *   the handle must not be it; an HMAC cannot be turned back into it.
 * - `k` comes from KINDRED_SECRET through HKDF, so every relay of a deployment computes the same
 *   handle for the same colleague, and nothing new is stored: a handle is recomputed, and
 *   resolved by computing the handles of the peers on duty now.
 * - A handle lasts as long as its colleague's session (a resume keeps it; signing in again
 *   makes a new one), which is as long as the console needs it.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import type { Colleague } from '@kindred/protocol';
import type { ColleagueEntry } from './state/state.js';

export interface ColleagueHandles {
  /** The handle of the peer whose session reference is `ref`. */
  handleOf(ref: string): string;
  /** What `colleagues:list` answers `ref` with: everyone else on duty, most room first, then by name. */
  list(ref: string, entries: readonly ColleagueEntry[]): Colleague[];
  /** The session reference of the on-duty peer named by `handle`, if any. */
  resolve(handle: string, entries: readonly ColleagueEntry[]): string | undefined;
}

export function createColleagueHandles(secret: string): ColleagueHandles {
  const key = Buffer.from(hkdfSync('sha256', secret, 'kindred', 'colleague handles', 32));
  const handleOf = (ref: string) => createHmac('sha256', key).update(ref).digest('base64url').slice(0, 22);
  return {
    handleOf,
    list(ref, entries) {
      return entries
        .filter((entry) => entry.ref !== ref)
        .map((entry) => ({ handle: handleOf(entry.ref), name: entry.name, free: Math.max(0, entry.maxChats - entry.chats) }))
        .sort((a, b) => b.free - a.free || a.name.localeCompare(b.name) || a.handle.localeCompare(b.handle));
    },
    resolve(handle, entries) {
      return entries.find((entry) => handleOf(entry.ref) === handle)?.ref;
    },
  };
}
