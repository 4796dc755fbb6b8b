// SPDX-License-Identifier: Apache-2.0
/**
 * The recipient's half of delivery (the sender's is `outbox.ts`): each of the other person's
 * messages carries their per-chat sequence number, and a reconnecting sender resends
 * everything unconfirmed, so the same message can arrive twice, and a later one can arrive
 * while an earlier one is still on its way. The recipient shows each number once, in order.
 */
import { limits } from '@kindred/protocol';

/**
 * What to do with a message numbered `seq` when the next one to show is `expected`:
 * - `show`: render it, acknowledge it once shown, and expect `seq + 1`;
 * - `repeat`: already shown; acknowledge it again (the sender's outbox clears) but do not
 *   render it twice;
 * - `early`: an earlier one is still missing; neither render nor acknowledge it — the sender
 *   resends everything unconfirmed, in order, and it comes back in its turn.
 * Undefined when `seq` is not a sequence number at all: ignore the message.
 */
export function arrival(expected: number, seq: unknown): 'show' | 'repeat' | 'early' | undefined {
  if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 1 || seq > limits.seq) return undefined;
  return seq === expected ? 'show' : seq < expected ? 'repeat' : 'early';
}
