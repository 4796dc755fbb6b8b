// SPDX-License-Identifier: Apache-2.0
import type { PeerHandle, RelayContext } from '../context.js';

/** `message:read` (a signal): the peer has seen the survivor's messages up to `seq`. */
export function peerMessageRead(ctx: RelayContext, peer: PeerHandle) {
  return async ({ chatId, seq }: { chatId: string; seq: number }): Promise<void> => {
    const route = await ctx.state.peerRoute(peer.ref, chatId);
    if (route) ctx.toSurvivor(route.survivorSocket)?.emit('message:read', { seq });
  };
}
