// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack, type PublicKeys } from '@kindred/protocol';
import type { PeerHandle, RelayContext } from '../context.js';

/**
 * `supervision:key`: passes fresh public keys between a chat's peer and its supervisor, and
 * keeps nothing (`supervision:keyed`). The supervisor offers; the peer answers with its own
 * keys and the offer it answers. Anyone else, or a chat with no supervisor: `not-found`.
 */
export function peerSupervisionKey(ctx: RelayContext, peer: PeerHandle) {
  return async ({ chatId, keys, offer }: { chatId: string; keys: PublicKeys; offer?: PublicKeys | undefined }): Promise<Ack> => {
    const route = await ctx.state.supervisionRoute(peer.ref, chatId);
    if (!route) return fail('not-found');
    ctx.toPeer(route.to)?.emit('supervision:keyed', { chatId, keys, ...(offer ? { offer } : {}) });
    return ok(undefined);
  };
}
