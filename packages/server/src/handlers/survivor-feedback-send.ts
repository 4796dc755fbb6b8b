// SPDX-License-Identifier: Apache-2.0
/**
 * `feedback:send`: the survivor's one-tap "Did this chat help?" (issue 4). Nothing is stored:
 * the answer adds one to an aggregate counter and is gone. No chat id, time or session goes
 * with it, so a count can never be tied back to a chat (privacy rule 4).
 */
import { fail, ok, type Ack } from '@kindred/protocol';
import type { Socket } from 'socket.io';
import type { Metrics } from '../metrics.js';

/** Whether this connection may answer now: one answer per chat with a peer that ended on it. */
export interface FeedbackGate {
  /** True once, after a chat with a peer ended on this connection; false again once taken. */
  take(): boolean;
  /** The survivor ended their chat on this connection (the relay tells only the other side). */
  ended(): void;
  /** A new chat begins: an unanswered question about the last one is withdrawn. */
  close(): void;
}

/**
 * Watches what the relay tells this connection. The end of a chat reaches the survivor's
 * connection from whichever relay ended it (through the adapter with Redis), so the
 * connection's own outgoing events are the one place every relay's "it ended" is seen. Only
 * booleans are kept, for the life of the connection: nothing about the chat itself.
 */
export function watchForFeedback(socket: Socket<never, never>): FeedbackGate {
  let hadPeer = false; // a peer joined this chat: leaving the queue before one came is no chat to rate
  let open = false;
  const ended = () => {
    open = hadPeer;
    hadPeer = false;
  };
  (socket as unknown as Socket).onAnyOutgoing((event: string, payload: unknown) => {
    if (event === 'peer:joined') hadPeer = true;
    else if (event === 'session:ready') {
      const session = payload as { chat?: { state?: string } | null; ended?: string };
      if (session.chat?.state === 'chatting') hadPeer = true;
      // The chat ended while this survivor was away (only a chat with a peer outlives a
      // dropped connection): the frame shows it ended, and may ask.
      else if (session.ended) open = true;
    } else if (event === 'chat:ended') ended();
  });
  return {
    take() {
      const was = open;
      open = false;
      return was;
    },
    ended,
    close() {
      open = false;
      hadPeer = false;
    },
  };
}

/** `feedback:send`: counted once per ended chat; `feedback-closed` before one ended or for a second answer. */
export function survivorFeedbackSend(gate: FeedbackGate, metrics: Metrics) {
  return async ({ helped }: { helped: boolean }): Promise<Ack> => {
    if (!gate.take()) return fail('feedback-closed');
    metrics.chatFeedback(helped);
    return ok(undefined);
  };
}
