// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack } from '@kindred/protocol';
import type { RelayContext } from '../context.js';
import type { SurvivorSession } from '../state/memory.js';

/**
 * `message:send`: relays the survivor's message to their peer; the relay keeps no copy. When
 * the peer is away the message goes nowhere: it stays undelivered in the survivor's outbox,
 * which resends it when the peer is back.
 */
export function survivorMessageSend(ctx: RelayContext, session: SurvivorSession) {
  return ({ id, seq, text }: { id: string; seq: number; text: string }): Ack<{ sentAt: number }> => {
    const chat = session.chat;
    if (!chat?.peer) return fail('no-chat');
    const sentAt = Date.now();
    ctx.deliver(chat, 'survivor', { id, seq, text, sentAt });
    return ok({ sentAt });
  };
}
