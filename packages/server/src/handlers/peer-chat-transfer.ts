// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack } from '@kindred/protocol';
import type { ColleagueHandles } from '../colleagues.js';
import type { PeerHandle, RelayContext } from '../context.js';

/**
 * `chat:transfer`: hands one of this peer's chats (`not-found`) to a colleague named by their
 * handle, who must be on duty, connected and below capacity (`colleague-unavailable`; nothing
 * changes). One atomic step in the state; then the new peer is told, with the note, and the
 * survivor is told the new peer's name (their frame offers fresh keys, and the new peer's
 * messages count from 1 again).
 *
 * The note goes into one emit to the new peer and nowhere else: it is not stored, not logged,
 * and not resent if that peer's connection drops before it arrives (the chat still reaches
 * them; only the note is lost, as a spoken hand-off would be).
 */
export function peerChatTransfer(ctx: RelayContext, peer: PeerHandle, handles: ColleagueHandles) {
  return async ({ chatId, to, note }: { chatId: string; to: string; note?: string }): Promise<Ack> => {
    // The handle is resolved against who is on duty now; the transfer checks it all again, atomically.
    const toRef = handles.resolve(to, await ctx.state.colleagues());
    if (toRef === undefined) {
      // Still `not-found` when the chat is not this peer's, whoever `to` names.
      return fail((await ctx.state.peerRoute(peer.ref, chatId)) ? 'colleague-unavailable' : 'not-found');
    }
    const moved = await ctx.state.transfer(peer.ref, chatId, toRef);
    if (typeof moved === 'string') return fail(moved);
    ctx.rounds.withdraw(moved.released, 'released');
    if (moved.supervisorSocket !== undefined) {
      // The supervision ends with the hand-over (state.ts, `Transferred`): for the supervisor the
      // chat is over (unless they are the one taking it over: then it becomes theirs, below);
      // the survivor hears the supervisor left before they hear of the new peer.
      if (moved.supervisorSocket !== moved.peerSocket) ctx.toPeer(moved.supervisorSocket)?.emit('chat:ended', { chatId: moved.chatId, reason: 'peer-ended' });
      ctx.toSurvivor(moved.survivorSocket)?.emit('supervision:changed', { present: false });
    }
    ctx.toPeer(moved.peerSocket)?.emit('chat:transferred', {
      chatId: moved.chatId,
      survivorName: moved.survivorName,
      fromName: peer.name,
      ...(note ? { note } : {}),
      survivorPresent: moved.survivorSocket !== undefined,
    });
    ctx.toSurvivor(moved.survivorSocket)?.emit('chat:transferred', { peerName: moved.peerName });
    // This peer has room for one more now; the new one has one place fewer.
    ctx.offersChanged();
    return ok(undefined);
  };
}
