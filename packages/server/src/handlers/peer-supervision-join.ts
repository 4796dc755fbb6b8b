// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack } from '@kindred/protocol';
import type { PeerHandle, RelayContext } from '../context.js';

/**
 * `supervision:join`: a supervisor joins a chat whose peer asked for help. Supervisors only
 * (their token's role; checked first, so a peer learns nothing about any chat), and only an
 * escalated chat that is not their own (`not-found`). One atomic step records them on the chat
 * and closes the escalation. The peer is told who joined; the survivor only that a supervisor
 * did (never their name).
 *
 * A chat has one supervisor. When its peer asks again and another supervisor joins, the first
 * one's part in it is over: they are told `chat:ended` (as `peer-ended`: the peer handed it on).
 */
export function peerSupervisionJoin(ctx: RelayContext, supervisor: PeerHandle, isSupervisor: boolean) {
  return async ({ chatId }: { chatId: string }): Promise<Ack<{ chatId: string; peerName: string; survivorName: string }>> => {
    if (!isSupervisor) return fail('not-supervisor');
    const joined = await ctx.state.joinSupervision(supervisor.ref, supervisor.socket, chatId);
    if (joined === 'not-found') return fail('not-found');
    ctx.toPeer(joined.replacedSocket)?.emit('chat:ended', { chatId, reason: 'peer-ended' });
    // Before the answer: the peer's console knows of the supervisor before their key offer comes.
    ctx.toPeer(joined.peerSocket)?.emit('supervision:changed', { chatId, present: true, name: supervisor.name });
    ctx.toSurvivor(joined.survivorSocket)?.emit('supervision:changed', { present: true });
    ctx.board.changed(); // the escalation is closed
    return ok({ chatId, peerName: joined.peerName, survivorName: joined.survivorName });
  };
}
