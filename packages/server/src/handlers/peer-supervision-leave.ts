// SPDX-License-Identifier: Apache-2.0
import { fail, ok, type Ack } from '@kindred/protocol';
import type { PeerHandle, RelayContext } from '../context.js';
import type { SupervisionParties } from '../state/state.js';

/** Tells a chat's peer (who left, by name) and survivor (only that the supervisor left) that its supervisor left. */
export function tellSupervisorLeft(ctx: RelayContext, parties: SupervisionParties, name: string): void {
  ctx.toPeer(parties.peerSocket)?.emit('supervision:changed', { chatId: parties.chatId, present: false, name });
  ctx.toSurvivor(parties.survivorSocket)?.emit('supervision:changed', { present: false });
}

/**
 * `supervision:leave`: the chat's supervisor leaves it (`not-found` for anyone else). A
 * supervisor whose connection drops leaves every chat they joined at once, the same way
 * (namespaces/peer.ts): nobody is left believing a supervisor reads along who is gone.
 */
export function peerSupervisionLeave(ctx: RelayContext, supervisor: PeerHandle) {
  return async ({ chatId }: { chatId: string }): Promise<Ack> => {
    const left = await ctx.state.leaveSupervision(supervisor.ref, chatId);
    if (left === 'not-found') return fail('not-found');
    tellSupervisorLeft(ctx, left, supervisor.name);
    return ok(undefined);
  };
}
