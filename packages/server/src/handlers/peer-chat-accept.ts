// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack, type PeerChat } from '@kindred/protocol';
import type { RelayContext } from '../context.js';
import type { Peer } from '../state/memory.js';

/** `chat:accept`: takes the waiting survivor behind a ticket, if on duty and below capacity. */
export function peerChatAccept(ctx: RelayContext, peer: Peer) {
  return ({ ticket }: { ticket: string }): Ack<PeerChat> => {
    const chat = ctx.state.accept(peer, ticket, Date.now());
    if (typeof chat === 'string') return fail(chat);
    const survivor = ctx.toSurvivor(chat.survivor);
    // An away survivor learns of the peer from `session:ready` when they come back.
    if (survivor) survivor.emit('peer:joined', { peerName: peer.name });
    // After the accept is answered, so the console knows the chat by then.
    else setImmediate(() => ctx.toPeer(peer)?.emit('chat:presence', { chatId: chat.id, present: false }));
    ctx.queueChanged();
    return ok({ chatId: chat.id, survivorName: chat.survivorName });
  };
}
