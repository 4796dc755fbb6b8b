// SPDX-License-Identifier: Apache-2.0
/**
 * The sender's half of delivery, shared by the survivor's frame and the peer console. The relay
 * keeps no copy of a message (DESIGN.md), so the sender's own transcript is the buffer: every
 * message of ours that the other person's client has not confirmed stays in it, with its
 * sequence number, and goes out again — all of them, in order — when our socket has resumed
 * its session, when the relay says the other person is back, and when the person presses
 * Retry. The recipient shows each sequence number once (`inbox.ts`), so resending is safe.
 *
 * Pure functions over a transcript; each returns the same array when nothing changed, so a
 * host can compare by identity before re-rendering or saving.
 */
import type { DeliveryStatus, TranscriptMessage } from './transcript.js';

/**
 * How long one of our messages may stay undelivered, while the other person is connected,
 * before it shows "Not delivered" with Retry. Twice the relay's own delivery timeout (10 s),
 * so a slow but working recipient is not reported as a failure. While the other person's
 * connection is known to be down there is no deadline: the chat says so instead.
 */
export const deliveryTimeoutMs = 20_000;

const confirmed = (status: DeliveryStatus): boolean => status === 'delivered' || status === 'read';

/** True for our messages that are still ours to deliver. */
const pending = (message: TranscriptMessage): boolean => message.own && message.seq !== undefined && !confirmed(message.status);

/** Copies `messages`, changing the ones `change` returns a new value for; the same array if none. */
function update(
  messages: readonly TranscriptMessage[],
  change: (message: TranscriptMessage) => TranscriptMessage | undefined,
): TranscriptMessage[] {
  let changed = false;
  const next = messages.map((message) => {
    const updated = change(message);
    if (!updated) return message;
    changed = true;
    return updated;
  });
  return changed ? next : (messages as TranscriptMessage[]);
}

/** `message` with a new status and deadline (none when `deadline` is undefined). */
function withStatus(message: TranscriptMessage, status: DeliveryStatus, deadline?: number): TranscriptMessage {
  const { deadline: _old, ...rest } = message;
  return deadline === undefined ? { ...rest, status } : { ...rest, status, deadline };
}

/** The sequence number the next message we write gets. */
export function nextSeq(messages: readonly TranscriptMessage[]): number {
  let last = 0;
  for (const message of messages) if (message.own && message.seq !== undefined && message.seq > last) last = message.seq;
  return last + 1;
}

/** Our messages the other person's client has not confirmed, in the order written. */
export function undelivered(messages: readonly TranscriptMessage[]): TranscriptMessage[] {
  return messages.filter(pending).sort((a, b) => a.seq! - b.seq!);
}

/** True when one of our messages shows "Not delivered". */
export function hasFailed(messages: readonly TranscriptMessage[]): boolean {
  return messages.some((message) => message.own && message.status === 'failed');
}

/**
 * Sends everything undelivered again: each becomes `sending` with `deadline` (none while the
 * other person is away). Returns the new transcript and what to emit, in sequence order.
 */
export function resendAll(
  messages: readonly TranscriptMessage[],
  deadline: number | undefined,
): { messages: TranscriptMessage[]; resend: TranscriptMessage[] } {
  const next = update(messages, (message) => (pending(message) ? withStatus(message, 'sending', deadline) : undefined));
  return { messages: next, resend: undelivered(next) };
}

/** The relay took one of our messages. Only from `sending`: a later state always wins. */
export function markSent(messages: readonly TranscriptMessage[], id: string): TranscriptMessage[] {
  return update(messages, (message) =>
    message.own && message.id === id && message.status === 'sending' ? { ...message, status: 'sent' } : undefined,
  );
}

/** The relay refused one of our messages (rate limit, no chat): show it as not delivered. */
export function markRefused(messages: readonly TranscriptMessage[], id: string): TranscriptMessage[] {
  return update(messages, (message) =>
    message.own && message.id === id && message.status === 'sending' ? withStatus(message, 'failed') : undefined,
  );
}

/** The other person's client showed one of our messages. Never takes `read` back. */
export function markDelivered(messages: readonly TranscriptMessage[], id: string): TranscriptMessage[] {
  return update(messages, (message) =>
    message.own && message.id === id && !confirmed(message.status) ? withStatus(message, 'delivered') : undefined,
  );
}

/** The other person has seen our messages up to `seq` (in the current numbering). */
export function markRead(messages: readonly TranscriptMessage[], seq: number): TranscriptMessage[] {
  return update(messages, (message) =>
    message.own && message.seq !== undefined && message.seq <= seq && message.status !== 'read' && message.status !== 'queued'
      ? withStatus(message, 'read')
      : undefined,
  );
}

/** Messages still on their way whose deadline has passed become `failed`. */
export function expire(messages: readonly TranscriptMessage[], now: number): TranscriptMessage[] {
  return update(messages, (message) =>
    pending(message) && message.deadline !== undefined && message.deadline <= now ? withStatus(message, 'failed') : undefined,
  );
}

/** The earliest deadline among messages on their way, if any. */
export function nextDeadline(messages: readonly TranscriptMessage[]): number | undefined {
  let first: number | undefined;
  for (const message of messages) {
    if (pending(message) && message.deadline !== undefined && (first === undefined || message.deadline < first)) first = message.deadline;
  }
  return first;
}

/** The other person's connection dropped: no deadlines until they are back (they restart then). */
export function pause(messages: readonly TranscriptMessage[]): TranscriptMessage[] {
  return update(messages, (message) => (pending(message) && message.deadline !== undefined ? withStatus(message, message.status) : undefined));
}

/** The chat ended: whatever was not delivered stays visibly "Not delivered". */
export function abandon(messages: readonly TranscriptMessage[]): TranscriptMessage[] {
  return update(messages, (message) => (pending(message) && message.status !== 'failed' ? withStatus(message, 'failed') : undefined));
}

/**
 * The survivor is waiting for another peer: what the last one did not get goes back to
 * `queued`, numbered 1, 2, 3 … for the next peer; what was delivered leaves the numbering,
 * so the next peer's read marks cannot touch it.
 */
export function requeue(messages: readonly TranscriptMessage[]): TranscriptMessage[] {
  const order = undelivered(messages).map((message) => message.id);
  return update(messages, (message) => {
    if (!message.own || message.seq === undefined) return undefined;
    if (confirmed(message.status)) {
      const { seq: _seq, ...rest } = message;
      return rest;
    }
    return { ...withStatus(message, 'queued'), seq: order.indexOf(message.id) + 1 };
  });
}
