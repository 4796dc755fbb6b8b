// SPDX-License-Identifier: Apache-2.0
import type { RelayContext, SessionHandle } from '../context.js';

/** `message:read` (a signal): the survivor has seen the peer's messages up to `seq`. */
export function survivorMessageRead(ctx: RelayContext, session: SessionHandle) {
  return async ({ seq }: { seq: number }): Promise<void> => {
    const route = await ctx.state.survivorRoute(session.ref);
    if (route?.paired) ctx.toPeer(route.peerSocket)?.emit('message:read', { chatId: route.chatId, seq });
  };
}
