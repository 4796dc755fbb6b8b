// SPDX-License-Identifier: Apache-2.0
import { ok, type Ack } from '@kindred/protocol';
import { onDutyRoom, type PeerHandle, type PeerSocket, type RelayContext } from '../context.js';

/** `duty:set`: on duty, a peer sees the waiting list and may accept; off duty, neither. */
export function peerDutySet(ctx: RelayContext, socket: PeerSocket, peer: PeerHandle) {
  return async ({ onDuty }: { onDuty: boolean }): Promise<Ack<{ onDuty: boolean }>> => {
    await ctx.state.setOnDuty(peer.ref, onDuty);
    if (onDuty) void socket.join(onDutyRoom);
    else void socket.leave(onDutyRoom);
    // Waiting survivors hear how many peers are on duty; a newly on-duty peer gets the list.
    ctx.queueChanged();
    return ok({ onDuty });
  };
}
