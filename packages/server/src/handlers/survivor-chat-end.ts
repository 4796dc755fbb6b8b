// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack } from '@kindred/protocol';
import type { RelayContext } from '../context.js';
import type { SurvivorSession } from '../state/memory.js';

/** `chat:end`: leaves the queue or ends the chat; the peer, if any, is told. */
export function survivorChatEnd(ctx: RelayContext, session: SurvivorSession) {
  return (): Ack => {
    if (!session.chat) return fail('no-chat');
    ctx.endChat(session.chat, 'survivor-ended');
    return ok(undefined);
  };
}
