// SPDX-License-Identifier: Apache-2.0
import type { RelayContext } from '../context.js';
import type { SurvivorSession } from '../state/memory.js';

/** `typing:set` (a signal): passes "is typing" to the peer. Volatile: a stale typing mark is worth nothing. */
export function survivorTypingSet(ctx: RelayContext, session: SurvivorSession) {
  return ({ typing }: { typing: boolean }): void => {
    const chat = session.chat;
    if (chat?.peer) ctx.toPeer(chat.peer)?.volatile.emit('typing:changed', { chatId: chat.id, typing });
  };
}
