// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack } from '@kindred/protocol';
import type { RelayContext } from '../context.js';
import type { Peer } from '../state/memory.js';

/** `typing:set`: passes "is typing" to the survivor of one of this peer's chats. Volatile. */
export function peerTypingSet(ctx: RelayContext, peer: Peer) {
  return ({ chatId, typing }: { chatId: string; typing: boolean }): Ack => {
    const chat = ctx.state.chatOfPeer(peer, chatId);
    if (!chat) return fail('not-found');
    ctx.survivors.to(chat.survivorSocket).volatile.emit('typing:changed', { typing });
    return ok(undefined);
  };
}
