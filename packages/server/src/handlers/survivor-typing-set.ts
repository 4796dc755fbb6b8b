// SPDX-License-Identifier: Apache-2.0
import type { RelayContext, SessionHandle } from '../context.js';

/** `typing:set` (a signal): passes "is typing" to the peer. Volatile: a stale typing mark is worth nothing. */
export function survivorTypingSet(ctx: RelayContext, session: SessionHandle) {
  return async ({ typing }: { typing: boolean }): Promise<void> => {
    const route = await ctx.state.survivorRoute(session.ref);
    if (route?.paired) ctx.toPeer(route.peerSocket)?.volatile.emit('typing:changed', { chatId: route.chatId, typing });
  };
}
