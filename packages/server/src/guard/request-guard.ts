// SPDX-License-Identifier: Apache-2.0
/**
 * How often one connection may ask the relay for anything. Each connection has a token bucket
 * per kind of event, sized so that a person — typing as fast as anyone types, clicking canned
 * answers, coming back from a dropped connection with an outbox to resend — never meets it,
 * while a script that loops meets it at once. A connection that keeps going far past its
 * limits is not a person waiting a moment, and is closed.
 */
import { limits, signalEvents } from '@kindred/protocol';
import { TokenBucket, type Rate } from './token-bucket.js';

/** The buckets of one connection: burst (capacity) and sustained rate of each kind of event. */
export const requestRates = {
  /**
   * `message:send`, `resource:share`: a burst of 30, then 2 a second. The fastest typists
   * manage about 120 words a minute, so a message every 2 seconds, kept up, is already
   * one-word messages without a pause. The burst covers an outbox resending what piled up
   * while the connection was down, and a peer clicking several canned answers in a row.
   */
  messages: { capacity: 30, perSecond: 2 },
  /**
   * `typing:set`: one every 3 seconds, the widget's own pace while someone types, with room
   * for a second so that "stopped" right after "started" (a message just sent) is not lost.
   */
  typing: { capacity: 2, perSecond: 1 / 3 },
  /**
   * `message:read`: at most one per message seen, and a peer sees the messages of up to
   * eight chats. Its own bucket, so a busy peer's read marks never crowd out "end chat".
   */
  reads: { capacity: 20, perSecond: 5 },
  /**
   * `supervision:send`: a peer's console mirrors both sides of a supervised chat to the
   * supervisor (twice the pace of `messages`), and after fresh keys resends every line not yet
   * acknowledged at once; the console keeps at most `limits.supervisionBacklog` of them.
   * Its own bucket, so supervision never crowds out the survivor's messages.
   */
  supervision: { capacity: limits.supervisionBacklog, perSecond: 4 },
  /**
   * Everything else — start, accept or end a chat, go on duty, and any unknown event —
   * is something a person does a few times a minute.
   */
  general: { capacity: 40, perSecond: 5 },
  /** Refusals: 50 in about a minute and the connection is closed. */
  refusals: { capacity: 50, perSecond: 50 / 60 },
} as const satisfies Record<string, Rate>;

/**
 * What a dropped signal weighs against `refusals`, where a refused request weighs 1. Signals
 * are dropped in ordinary use (someone who sends a message every second sends "typing" and
 * "stopped" more often than every 3 s) and losing one costs nothing, since the next one
 * repeats it; yet a flood of them is still a flood.
 */
const signalRefusalWeight = 0.1;

/** A kind of event, each with its own bucket. */
export type RequestKind = 'messages' | 'typing' | 'reads' | 'supervision' | 'general';

/** The events that are not `general`, by kind. docs/protocol.md lists the same, checked by a test. */
export const requestKinds: Readonly<Record<string, Exclude<RequestKind, 'general'>>> = {
  'message:send': 'messages',
  'resource:share': 'messages',
  'typing:set': 'typing',
  'message:read': 'reads',
  'supervision:send': 'supervision',
};

/**
 * What the gate does with one inbound event: let it through, refuse it (`rate-limited`, or
 * silence for a signal), or refuse it and close the connection.
 */
export type Verdict = 'pass' | 'refuse' | 'disconnect';

/** The request limits of one connection. */
export interface RequestGuard {
  /** Spends a token for `event` (any name, known or not) and says what to do with it. */
  check(event: unknown): Verdict;
}

/** A fresh set of full buckets for one connection; `now` is for tests. */
export function createRequestGuard(now?: () => number): RequestGuard {
  const buckets: Record<RequestKind, TokenBucket> = {
    messages: new TokenBucket(requestRates.messages, now),
    typing: new TokenBucket(requestRates.typing, now),
    reads: new TokenBucket(requestRates.reads, now),
    supervision: new TokenBucket(requestRates.supervision, now),
    general: new TokenBucket(requestRates.general, now),
  };
  const refusals = new TokenBucket(requestRates.refusals, now);
  return {
    check(event) {
      const name = typeof event === 'string' ? event : undefined;
      const kind = name !== undefined && Object.hasOwn(requestKinds, name) ? requestKinds[name]! : 'general';
      if (buckets[kind].take()) return 'pass';
      const weight = name !== undefined && signalEvents.has(name) ? signalRefusalWeight : 1;
      return refusals.take(weight) ? 'refuse' : 'disconnect';
    },
  };
}
