// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack } from '@kindred/protocol';
import type { PeerHandle, RelayContext } from '../context.js';

/**
 * `offer:decline`: the peer passes on the survivor offered to them. The survivor keeps their
 * place and is offered to the next peer who fits; this peer is not offered them again while
 * they wait, but may still accept them from the list.
 */
export function peerOfferDecline(ctx: RelayContext, peer: PeerHandle) {
  return async ({ ticket }: { ticket: string }): Promise<Ack<undefined>> => {
    const declined = await ctx.state.declineOffer(peer.ref, ticket);
    if (declined === 'not-found') return fail('not-found');
    ctx.offersChanged();
    return ok(undefined);
  };
}
