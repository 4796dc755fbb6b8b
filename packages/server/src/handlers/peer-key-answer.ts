// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack, type PublicKeys } from '@kindred/protocol';
import type { PeerHandle, RelayContext } from '../context.js';

/**
 * `key:answer`: passes the peer's fresh public keys to the survivor of one of their chats
 * (`key:answered`), with the survivor's offer they answer, and keeps nothing.
 */
export function peerKeyAnswer(ctx: RelayContext, peer: PeerHandle) {
  return async ({ chatId, keys, offer }: { chatId: string; keys: PublicKeys; offer: PublicKeys }): Promise<Ack> => {
    // Knowing a chat id grants nothing: the state answers only for a chat this peer is in.
    const route = await ctx.state.peerRoute(peer.ref, chatId);
    if (!route) return fail('not-found');
    ctx.toSurvivor(route.survivorSocket)?.emit('key:answered', { keys, offer });
    return ok(undefined);
  };
}
