// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack } from '@kindred/protocol';
import type { RelayContext } from '../context.js';
import type { Peer } from '../state/memory.js';

/** `message:send`: relays the peer's message to the survivor of one of their chats. */
export function peerMessageSend(ctx: RelayContext, peer: Peer) {
  return ({ chatId, id, seq, text }: { chatId: string; id: string; seq: number; text: string }): Ack<{ sentAt: number }> => {
    const chat = ctx.state.chatOfPeer(peer, chatId);
    if (!chat) return fail('not-found');
    const sentAt = Date.now();
    ctx.deliver(chat, 'peer', { id, seq, text, sentAt });
    return ok({ sentAt });
  };
}
