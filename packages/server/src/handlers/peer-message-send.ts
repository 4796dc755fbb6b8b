// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack } from '@kindred/protocol';
import type { PeerHandle, RelayContext } from '../context.js';

/** `message:send`: relays the peer's sealed message, as it came, to the survivor of one of their chats. */
export function peerMessageSend(ctx: RelayContext, peer: PeerHandle) {
  return async ({ chatId, id, seq, box }: { chatId: string; id: string; seq: number; box: string }): Promise<Ack<{ sentAt: number }>> => {
    // Knowing a chat id grants nothing: the state answers only for a chat this peer is in.
    const route = await ctx.state.peerRoute(peer.ref, chatId);
    if (!route) return fail('not-found');
    const sentAt = Date.now();
    if (route.survivorSocket) ctx.deliverToSurvivor(peer.ref, route.survivorSocket, chatId, { id, seq, box, sentAt });
    return ok({ sentAt });
  };
}
