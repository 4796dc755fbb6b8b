// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack } from '@kindred/protocol';
import type { PeerHandle, RelayContext } from '../context.js';

/**
 * `resource:share`: sends a resources card to the survivor. The card is sealed end to end
 * like a message (its `box` holds the resource's id), so the relay cannot tell which resource
 * was shared; the survivor's frame shows it from its own copy of the hospital's resources, so
 * a card can still only ever show what the hospital configured.
 */
export function peerResourceShare(ctx: RelayContext, peer: PeerHandle) {
  return async ({ chatId, id, seq, box }: { chatId: string; id: string; seq: number; box: string }): Promise<Ack<{ sentAt: number }>> => {
    const route = await ctx.state.peerRoute(peer.ref, chatId);
    if (!route) return fail('not-found');
    const sentAt = Date.now();
    if (route.survivorSocket) ctx.shareResource(peer, route.survivorSocket, chatId, { id, seq, box, sentAt });
    return ok({ sentAt });
  };
}
