// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack, type PublicKeys } from '@kindred/protocol';
import type { RelayContext, SessionHandle } from '../context.js';

/**
 * `key:offer`: passes the survivor's fresh public keys to their peer (`key:offered`), and
 * keeps nothing: the survivor offers again on every connection and whenever the peer comes
 * back, so a peer who is away now gets the next offer instead. Public keys are no secret, but
 * they are per chat, so they are treated like content: never logged, never stored.
 */
export function survivorKeyOffer(ctx: RelayContext, session: SessionHandle) {
  return async ({ keys }: { keys: PublicKeys }): Promise<Ack> => {
    const route = await ctx.state.survivorRoute(session.ref);
    if (!route?.paired) return fail('no-chat');
    ctx.toPeer(route.peerSocket)?.emit('key:offered', { chatId: route.chatId, keys });
    return ok(undefined);
  };
}
