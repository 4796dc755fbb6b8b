// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack, type PeerChat } from '@kindred/protocol';
import type { PeerHandle, RelayContext } from '../context.js';

/**
 * `chat:accept`: takes the waiting survivor behind a ticket, if on duty and below capacity.
 * One atomic step in the state: of two peers (on any relays) racing for one ticket, exactly
 * one gets the survivor and the other `not-found`. So it is for offers too (offers.ts): the
 * peer this survivor was on offer to, if it was someone else, is told it was `taken`; and this
 * peer's own offer of someone else goes (`released`) once this accept fills their last place.
 */
export function peerChatAccept(ctx: RelayContext, peer: PeerHandle) {
  return async ({ ticket }: { ticket: string }): Promise<Ack<PeerChat>> => {
    const chat = await ctx.state.accept(peer.ref, ticket);
    if (typeof chat === 'string') return fail(chat);
    ctx.rounds.withdraw(chat.taken, 'taken');
    ctx.rounds.withdraw(chat.released, 'released');
    // An away survivor learns of the peer from `session:ready` when they come back.
    if (chat.survivorSocket) ctx.toSurvivor(chat.survivorSocket)?.emit('peer:joined', { peerName: peer.name });
    // After the accept is answered, so the console knows the chat by then.
    else setImmediate(() => ctx.toPeer(peer.socket)?.emit('chat:presence', { chatId: chat.chatId, present: false }));
    ctx.queueChanged();
    return ok({ chatId: chat.chatId, survivorName: chat.survivorName });
  };
}
