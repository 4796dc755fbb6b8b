// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack } from '@kindred/protocol';
import type { PeerHandle, RelayContext } from '../context.js';

/**
 * `message:send`: relays the peer's sealed message, as it came, to the survivor of one of their
 * chats. `by: 'supervisor'` (a supervisor's message, which the peer's console sealed for the
 * survivor) goes on with it, so the survivor's frame can say who wrote it.
 */
export function peerMessageSend(ctx: RelayContext, peer: PeerHandle) {
  return async ({ chatId, id, seq, box, by }: { chatId: string; id: string; seq: number; box: string; by?: 'supervisor' | undefined }): Promise<Ack<{ sentAt: number }>> => {
    // Knowing a chat id grants nothing: the state answers only for a chat this peer is in.
    const route = await ctx.state.peerRoute(peer.ref, chatId);
    if (!route) return fail('not-found');
    // "Supervisor" is said only while one supervises this chat: a peer cannot borrow the word.
    // Without one the message still goes (refusing it would leave a gap in the peer's `seq`).
    const supervised = by !== undefined && (await ctx.state.supervisionRoute(peer.ref, chatId)) !== undefined;
    const sentAt = Date.now();
    if (route.survivorSocket) ctx.deliverToSurvivor(peer, route.survivorSocket, chatId, { id, seq, box, sentAt, ...(supervised ? { by } : {}) });
    return ok({ sentAt });
  };
}
