// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack } from '@kindred/protocol';
import type { PeerHandle, RelayContext } from '../context.js';

/**
 * `supervision:send`: passes a sealed message between a chat's peer and its supervisor
 * (`supervision:received`), as it came, and keeps nothing. Anyone else: `not-found`.
 *
 * The answer waits for the other console's confirmation: `ok` means it has the message.
 * `unavailable` means it does not (they are away, or did not confirm within the delivery
 * timeout): the relay holds nothing for them, so the sender keeps it and sends it again.
 */
export function peerSupervisionSend(ctx: RelayContext, peer: PeerHandle) {
  return async ({ chatId, id, seq, box }: { chatId: string; id: string; seq: number; box: string }): Promise<Ack> => {
    const route = await ctx.state.supervisionRoute(peer.ref, chatId);
    if (!route) return fail('not-found');
    const to = ctx.toPeer(route.to);
    if (!to) return fail('unavailable');
    const confirmed = await new Promise<boolean>((resolve) => {
      // One answer from that one connection, `true`, counts; none (it had gone) does not.
      // (A broadcast's acknowledgement is the list of answers, which socket.io's types do not say.)
      to.timeout(ctx.config.deliveryTimeoutMs).emit('supervision:received', { chatId, id, seq, box }, (error: Error | null, answers: unknown) => {
        resolve(!error && Array.isArray(answers) && answers.length === 1 && answers[0] === true);
      });
    });
    return confirmed ? ok(undefined) : fail('unavailable');
  };
}
