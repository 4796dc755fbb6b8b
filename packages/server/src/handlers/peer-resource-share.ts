// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack, type Resource } from '@kindred/protocol';
import type { RelayContext } from '../context.js';
import type { Peer } from '../state/memory.js';

/**
 * `resource:share`: sends one of the hospital's configured resources to the survivor as a
 * card. Peers name a resource by id and the relay supplies its content, so a card can only
 * ever carry what the hospital configured.
 */
export function peerResourceShare(ctx: RelayContext, peer: Peer) {
  return ({ chatId, id, seq, resourceId }: { chatId: string; id: string; seq: number; resourceId: string }): Ack<{ resource: Resource; sentAt: number }> => {
    const chat = ctx.state.chatOfPeer(peer, chatId);
    const resource = ctx.config.hospital.resources.find((candidate) => candidate.id === resourceId);
    if (!chat || !resource) return fail('not-found');
    const sentAt = Date.now();
    ctx.shareResource(chat, { id, seq, resource, sentAt });
    return ok({ resource, sentAt });
  };
}
