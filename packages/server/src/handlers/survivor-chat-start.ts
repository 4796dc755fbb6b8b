// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack } from '@kindred/protocol';
import type { RelayContext, SurvivorSocket } from '../context.js';

/** `chat:start`: joins the back of the queue with a fresh chat id and pseudonym. */
export function survivorChatStart(ctx: RelayContext, socket: SurvivorSocket) {
  return (): Ack<{ position: number }> => {
    if (ctx.state.chatOfSurvivor(socket.id)) return fail('already-started');
    const chat = ctx.state.enqueue(socket.id, Date.now());
    // A new chat is always last in line, so its position is the queue's length.
    chat.toldPosition = ctx.state.waitingCount;
    ctx.queueChanged();
    return ok({ position: chat.toldPosition });
  };
}
