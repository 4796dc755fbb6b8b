// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack, type QueueStatus, type SafetyAnswer } from '@kindred/protocol';
import { queueStatusKey, type RelayContext, type SessionHandle } from '../context.js';

/**
 * `chat:start`: joins the queue with a fresh chat id and pseudonym. A survivor who says they
 * are not safe, or not sure, joins the urgent lane ahead of everyone else; the answer itself
 * is not kept. The answer tells them at once how many peers are on duty, so nobody waits in a
 * dead queue without knowing it. A relay that cannot reach its shared state says so
 * (`unavailable`) rather than queue someone no peer could see.
 */
export function survivorChatStart(ctx: RelayContext, session: SessionHandle) {
  return async ({ safety }: { safety?: SafetyAnswer }): Promise<Ack<QueueStatus>> => {
    if (!ctx.state.ready()) return fail('unavailable');
    const started = await ctx.state.startChat(session.ref, session.socket, safety === 'unsafe' || safety === 'unsure');
    if (started === 'already-started') return fail('already-started');
    const status = ctx.queueStatus(started.figures);
    await ctx.state.markTold([[started.chatRef, queueStatusKey(status)]]);
    ctx.queueChanged();
    return ok(status);
  };
}
