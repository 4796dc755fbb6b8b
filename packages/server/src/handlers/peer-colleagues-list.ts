// SPDX-License-Identifier: Apache-2.0
import { ok, type Ack, type Colleague } from '@kindred/protocol';
import type { ColleagueHandles } from '../colleagues.js';
import type { PeerHandle, RelayContext } from '../context.js';

/**
 * `colleagues:list`: who could take a transfer now: the other peers on duty and connected,
 * each by an opaque handle (colleagues.ts), name and free places, most room first. A full
 * colleague is listed too (`free: 0`), so the console can say why they cannot be chosen.
 */
export function peerColleaguesList(ctx: RelayContext, peer: PeerHandle, handles: ColleagueHandles) {
  return async (): Promise<Ack<{ colleagues: Colleague[] }>> => {
    return ok({ colleagues: handles.list(peer.ref, await ctx.state.colleagues()) });
  };
}
