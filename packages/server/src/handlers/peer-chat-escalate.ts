// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack } from '@kindred/protocol';
import type { PeerHandle, RelayContext } from '../context.js';
import type { Metrics } from '../metrics.js';

/**
 * `chat:escalate`: the peer asks the supervisors for help with one of their chats. The chat
 * goes on the supervisors' board (with when the peer first asked: asking again changes
 * nothing) until a supervisor joins it or it ends. The answer says how many supervisors are
 * connected, so that with none the console can tell the peer whom else to ask.
 */
export function peerChatEscalate(ctx: RelayContext, peer: PeerHandle, metrics: Metrics) {
  return async ({ chatId }: { chatId: string }): Promise<Ack<{ supervisorsOnDuty: number }>> => {
    // Knowing a chat id grants nothing: the state answers only for a chat this peer is in.
    const escalated = await ctx.state.escalate(peer.ref, chatId);
    if (escalated === 'not-found') return fail('not-found');
    if (escalated.fresh) {
      metrics.escalated();
      ctx.board.changed();
    }
    return ok({ supervisorsOnDuty: escalated.supervisorsOnDuty });
  };
}
