// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack } from '@kindred/protocol';
import type { RelayContext, SessionHandle } from '../context.js';

/**
 * `message:send`: relays the survivor's sealed message to their peer, as it came; the relay
 * keeps no copy and cannot read it. When the peer is away the message goes nowhere: it stays
 * undelivered in the survivor's outbox, which resends it when the peer is back.
 */
export function survivorMessageSend(ctx: RelayContext, session: SessionHandle) {
  return async ({ id, seq, box }: { id: string; seq: number; box: string }): Promise<Ack<{ sentAt: number }>> => {
    const route = await ctx.state.survivorRoute(session.ref);
    if (!route?.paired) return fail('no-chat');
    const sentAt = Date.now();
    if (route.peerSocket) ctx.deliverToPeer(session, route.peerSocket, route.chatId, { id, seq, box, sentAt });
    return ok({ sentAt });
  };
}
