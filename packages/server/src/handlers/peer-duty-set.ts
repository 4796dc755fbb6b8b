// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack } from '@kindred/protocol';
import { onDutyRoom, type PeerHandle, type PeerSocket, type RelayContext } from '../context.js';

/**
 * `duty:set`: on duty, a peer sees the waiting list and may accept; off duty, neither. Off
 * duty with `onBreak`, they are resting (counted apart on the supervisors' board); going on
 * duty ends the break. A break on duty is a contradiction: `payload-invalid`.
 */
export function peerDutySet(ctx: RelayContext, socket: PeerSocket, peer: PeerHandle) {
  return async ({ onDuty, onBreak = false }: { onDuty: boolean; onBreak?: boolean }): Promise<Ack<{ onDuty: boolean; onBreak: boolean }>> => {
    if (onDuty && onBreak) return fail('payload-invalid');
    await ctx.state.setOnDuty(peer.ref, onDuty, onBreak);
    if (onDuty) void socket.join(onDutyRoom);
    else void socket.leave(onDutyRoom);
    // Waiting survivors hear how many peers are on duty; a newly on-duty peer gets the list.
    ctx.queueChanged();
    return ok({ onDuty, onBreak });
  };
}
