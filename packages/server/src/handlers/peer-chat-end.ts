// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack } from '@kindred/protocol';
import type { PeerHandle, RelayContext } from '../context.js';

/** `chat:end`: ends one of this peer's chats; the survivor is told. */
export function peerChatEnd(ctx: RelayContext, peer: PeerHandle) {
  return async ({ chatId }: { chatId: string }): Promise<Ack> => {
    const ended = await ctx.state.endPeerChat(peer.ref, chatId);
    if (ended === 'not-found') return fail('not-found');
    ctx.tellEnded(ended, 'peer-ended');
    return ok(undefined);
  };
}
