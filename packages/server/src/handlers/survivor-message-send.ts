// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack } from '@kindred/protocol';
import type { RelayContext, SurvivorSocket } from '../context.js';

/** `message:send`: relays the survivor's message to their peer; the relay keeps no copy. */
export function survivorMessageSend(ctx: RelayContext, socket: SurvivorSocket) {
  return ({ id, text }: { id: string; text: string }): Ack<{ sentAt: number }> => {
    const chat = ctx.state.chatOfSurvivor(socket.id);
    if (!chat?.peer) return fail('no-chat');
    const sentAt = Date.now();
    ctx.deliver(chat, 'survivor', { id, text, sentAt });
    return ok({ sentAt });
  };
}
