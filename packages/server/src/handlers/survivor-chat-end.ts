// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack } from '@kindred/protocol';
import type { RelayContext, SessionHandle } from '../context.js';

/** `chat:end`: leaves the queue or ends the chat; the peer, if any, is told. */
export function survivorChatEnd(ctx: RelayContext, session: SessionHandle) {
  return async (): Promise<Ack> => {
    const ended = await ctx.state.endSurvivorChat(session.ref);
    if (ended === 'no-chat') return fail('no-chat');
    ctx.tellEnded(ended, 'survivor-ended');
    return ok(undefined);
  };
}
