// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack } from '@kindred/protocol';
import type { RelayContext, SurvivorSocket } from '../context.js';

/** `chat:end`: leaves the queue or ends the chat; the peer, if any, is told. */
export function survivorChatEnd(ctx: RelayContext, socket: SurvivorSocket) {
  return (): Ack => {
    const chat = ctx.state.chatOfSurvivor(socket.id);
    if (!chat) return fail('no-chat');
    ctx.endChat(chat, 'survivor-ended');
    return ok(undefined);
  };
}
