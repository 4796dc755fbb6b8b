// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack, type QueueStatus, type SafetyAnswer } from '@kindred/protocol';
import { queueStatusKey, type RelayContext, type SessionHandle } from '../context.js';

/**
 * `chat:start`: joins the queue with a fresh chat id and pseudonym. A survivor who says they
 * are not safe, or not sure, joins the urgent lane ahead of everyone else; the answer itself
 * is not kept. A topic and a language, each optional, come from the hospital's lists only
 * (`topic-unknown`, `language-unknown` otherwise); they are kept with the chat while it waits,
 * for matching (matching.ts), and go when a peer accepts or the survivor leaves. The answer
 * tells them at once how many peers are on duty, so nobody waits in a dead queue without
 * knowing it. A relay that cannot reach its shared state says so (`unavailable`) rather than
 * queue someone no peer could see; so it answers a session a peer blocked, until the block ends.
 */
export function survivorChatStart(ctx: RelayContext, session: SessionHandle) {
  const { topics, languages } = ctx.config.hospital;
  return async ({ safety, topic, language }: { safety?: SafetyAnswer; topic?: string; language?: string }): Promise<Ack<QueueStatus>> => {
    if (topic !== undefined && !topics.some((each) => each.id === topic)) return fail('topic-unknown');
    // Both sides are canonical BCP 47 (the schema and the configuration write `pt-br` as `pt-BR`).
    if (language !== undefined && !languages.includes(language)) return fail('language-unknown');
    if (!ctx.state.ready()) return fail('unavailable');
    // A peer blocked this session (peer-chat-block.ts): told only what an outage would say.
    if (await ctx.state.survivorBlocked(session.ref)) return fail('unavailable');
    const urgent = safety === 'unsafe' || safety === 'unsure';
    const started = await ctx.state.startChat(session.ref, session.socket, { urgent, topic, language });
    if (started === 'already-started') return fail('already-started');
    const status = ctx.queueStatus(started.figures);
    await ctx.state.markTold([[started.chatRef, queueStatusKey(status)]]);
    ctx.queueChanged();
    return ok(status);
  };
}
