// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack } from '@kindred/protocol';
import type { RelayContext, SurvivorSocket } from '../context.js';

/** `typing:set`: passes "is typing" to the peer. Volatile: a stale typing mark is worth nothing. */
export function survivorTypingSet(ctx: RelayContext, socket: SurvivorSocket) {
  return ({ typing }: { typing: boolean }): Ack => {
    const chat = ctx.state.chatOfSurvivor(socket.id);
    if (!chat?.peer) return fail('no-chat');
    ctx.peers.to(chat.peer.socketId).volatile.emit('typing:changed', { chatId: chat.id, typing });
    return ok(undefined);
  };
}
