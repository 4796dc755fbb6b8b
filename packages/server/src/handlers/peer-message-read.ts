// SPDX-License-Identifier: Apache-2.0
import type { RelayContext } from '../context.js';
import type { Peer } from '../state/memory.js';

/** `message:read` (a signal): the peer has seen the survivor's messages up to `seq`. */
export function peerMessageRead(ctx: RelayContext, peer: Peer) {
  return ({ chatId, seq }: { chatId: string; seq: number }): void => {
    const chat = ctx.state.chatOfPeer(peer, chatId);
    if (chat) ctx.toSurvivor(chat.survivor)?.emit('message:read', { seq });
  };
}
