// SPDX-License-Identifier: Apache-2.0
import type { RelayContext } from '../context.js';
import type { Peer } from '../state/memory.js';

/** `typing:set` (a signal): passes "is typing" to the survivor of one of this peer's chats. Volatile. */
export function peerTypingSet(ctx: RelayContext, peer: Peer) {
  return ({ chatId, typing }: { chatId: string; typing: boolean }): void => {
    const chat = ctx.state.chatOfPeer(peer, chatId);
    if (chat) ctx.toSurvivor(chat.survivor)?.volatile.emit('typing:changed', { typing });
  };
}
