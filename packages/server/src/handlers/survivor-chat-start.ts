// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack, type QueueStatus, type SafetyAnswer } from '@kindred/protocol';
import { queueStatusKey, type RelayContext } from '../context.js';
import type { SurvivorSession } from '../state/memory.js';

/**
 * `chat:start`: joins the queue with a fresh chat id and pseudonym. A survivor who says they
 * are not safe, or not sure, joins the urgent lane ahead of everyone else; the answer itself
 * is not kept. The answer tells them at once how many peers are on duty, so nobody waits in a
 * dead queue without knowing it.
 */
export function survivorChatStart(ctx: RelayContext, session: SurvivorSession) {
  return ({ safety }: { safety?: SafetyAnswer }): Ack<QueueStatus> => {
    if (session.chat) return fail('already-started');
    const chat = ctx.state.enqueue(session, Date.now(), safety === 'unsafe' || safety === 'unsure');
    const status = ctx.queueStatus(ctx.state.positionOf(chat));
    chat.told = queueStatusKey(status);
    ctx.queueChanged();
    return ok(status);
  };
}
