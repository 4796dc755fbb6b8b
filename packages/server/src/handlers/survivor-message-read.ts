// SPDX-License-Identifier: Apache-2.0
import type { RelayContext } from '../context.js';
import type { SurvivorSession } from '../state/memory.js';

/** `message:read` (a signal): the survivor has seen the peer's messages up to `seq`. */
export function survivorMessageRead(ctx: RelayContext, session: SurvivorSession) {
  return ({ seq }: { seq: number }): void => {
    const chat = session.chat;
    if (chat?.peer) ctx.toPeer(chat.peer)?.emit('message:read', { chatId: chat.id, seq });
  };
}
