// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack } from '@kindred/protocol';
import type { RelayContext } from '../context.js';
import type { Peer } from '../state/memory.js';

/** `chat:end`: ends one of this peer's chats; the survivor is told. */
export function peerChatEnd(ctx: RelayContext, peer: Peer) {
  return ({ chatId }: { chatId: string }): Ack => {
    const chat = ctx.state.chatOfPeer(peer, chatId);
    if (!chat) return fail('not-found');
    ctx.endChat(chat, 'peer-ended');
    return ok(undefined);
  };
}
