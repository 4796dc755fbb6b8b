// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack } from '@kindred/protocol';
import type { PeerHandle, RelayContext } from '../context.js';

/**
 * `chat:block`: ends one of this peer's chats (`not-found`) and refuses that survivor's
 * session new chats for the hospital's `blockMinutes` (survivor-chat-start.ts answers
 * `unavailable`). The survivor is told `peer-ended`, as for any ending: telling someone in
 * distress they were blocked helps nobody, and tells an abuser what to get round.
 *
 * Held with the survivor's session and nothing else: never by address, because survivors on a
 * hospital's Wi-Fi share one. It goes when the session does.
 */
export function peerChatBlock(ctx: RelayContext, peer: PeerHandle) {
  return async ({ chatId }: { chatId: string }): Promise<Ack> => {
    const ended = await ctx.state.blockChat(peer.ref, chatId, ctx.config.blockMs);
    if (ended === 'not-found') return fail('not-found');
    ctx.tellEnded(ended, 'peer-ended');
    return ok(undefined);
  };
}
