// SPDX-License-Identifier: Apache-2.0
import type { PeerHandle, RelayContext } from '../context.js';

/** `typing:set` (a signal): passes "is typing" to the survivor of one of this peer's chats. Volatile. */
export function peerTypingSet(ctx: RelayContext, peer: PeerHandle) {
  return async ({ chatId, typing }: { chatId: string; typing: boolean }): Promise<void> => {
    const route = await ctx.state.peerRoute(peer.ref, chatId);
    if (route) ctx.toSurvivor(route.survivorSocket)?.volatile.emit('typing:changed', { typing });
  };
}
