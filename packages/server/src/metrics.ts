// SPDX-License-Identifier: Apache-2.0
/**
 * What `/metrics` reports: aggregates about the service, never about anyone (privacy rule 4).
 * No metric has a label that could tell a chat, a person or an address apart: the only labels
 * are an end reason, a feedback answer, a sign-in source and a refusal reason, each from a
 * closed list below.
 *
 * Two kinds of numbers, and where each comes from with several relays (REDIS_URL):
 *
 * - **Gauges** (survivors waiting, chats active, peers on duty) are read from the state when
 *   `/metrics` is scraped: with Redis, the shared state, so every relay reports the same
 *   deployment-wide values. Aggregate them with `max()`, never `sum()`. While Redis is away
 *   they are left out (an absent series, not a wrong zero) and `kindred_ready` is 0.
 * - **Counters and the wait histogram** count what this relay did (the relay that ran the
 *   accept, the end, the expiry). Each event is counted once, by one relay; `sum()` them.
 *
 * Only what the relay does today is here. Transfers and blocks are counted as they happen
 * (once each, by the relay that ran them), and so are escalations (a peer asking the
 * supervisors for help; asking again about the same chat is not counted). "Did this chat help?"
 * answers are counted by answer alone (`yes`/`no`): no chat id, time or anything else goes
 * with them, and nothing of them is stored.
 */
import type { EndReason } from '@kindred/protocol';
import { signInRefusals, type SignInResult, type SignInSource } from './auth/sign-in.js';
import { formatExposition, type Family, type HistogramFamily } from './metrics-format.js';
import type { State } from './state/state.js';

/**
 * Upper bounds of the wait histogram, in seconds: from "answered at once" to the hour a
 * survivor should never wait, dense where a peer programme sets its targets (1 to 10 minutes).
 */
export const waitBuckets = [5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600] as const;

const endReasons: readonly EndReason[] = ['survivor-ended', 'survivor-left', 'peer-ended', 'peer-left', 'relay-closing'];
const signInSources: readonly SignInSource[] = ['secret', 'identity-provider'];

/** The gauges, as the state says now. */
export interface Gauges {
  waiting: number;
  active: number;
  onDuty: number;
}

/** What the relay counts, and the exposition it makes of it. */
export interface Metrics {
  /** A survivor joined the queue. */
  queueJoined(): void;
  /** A survivor left the queue before any peer accepted them (ended, or gone past the grace period). */
  queueLeft(): void;
  /** A peer accepted a waiting survivor who had waited `waitedMs` (when known). */
  chatStarted(waitedMs: number | undefined): void;
  /** A chat a peer had accepted ended. */
  chatEnded(reason: EndReason): void;
  /** A survivor answered "Did this chat help?" (once per ended chat). */
  chatFeedback(helped: boolean): void;
  /** A peer's sign-in token was checked. */
  signIn(result: SignInResult): void;
  /** A peer's connection was closed because their sign-in token expired. */
  sessionExpired(): void;
  /** A peer handed a chat to a colleague. */
  chatTransferred(): void;
  /** A peer blocked a survivor's session (the chat's end is counted as `peer-ended` too). */
  chatBlocked(): void;
  /** A peer asked the supervisors for help with a chat (the first time for that chat). */
  escalated(): void;
  /** The exposition: counters, the histogram, and the gauges when the state could be read. */
  render(gauges: Gauges | undefined, ready: boolean): string;
}

/** Reads the gauges from the state (with Redis, the shared state): undefined while it is away. */
export async function readGauges(state: State): Promise<Gauges | undefined> {
  try {
    const [counts, queue] = await Promise.all([state.countsNow(), state.queueSnapshot()]);
    // `chats` counts every chat, waiting ones included, until it ends.
    return { waiting: counts.waiting, active: Math.max(0, counts.chats - counts.waiting), onDuty: queue.peersOnDuty };
  } catch {
    return undefined;
  }
}

const counterOf = (keys: readonly string[]) => new Map(keys.map((key) => [key, 0]));

/** One relay's metrics, all at zero (counters start from zero when a relay starts, as Prometheus expects). */
export function createMetrics(): Metrics {
  let joined = 0;
  let left = 0;
  let started = 0;
  let expired = 0;
  let transfers = 0;
  let blocks = 0;
  let escalations = 0;
  const ended = counterOf(endReasons);
  const feedback = counterOf(['yes', 'no']);
  const signIns = counterOf(signInSources);
  const refusals = counterOf(signInRefusals);
  const waitCounts = new Array<number>(waitBuckets.length + 1).fill(0);
  let waitSum = 0;
  let waitCount = 0;

  const bump = (counter: Map<string, number>, key: string) => counter.set(key, (counter.get(key) ?? 0) + 1);
  const labelled = (counter: Map<string, number>, label: string) => [...counter].map(([value, count]) => ({ labels: { [label]: value }, value: count }));

  return {
    queueJoined: () => void (joined += 1),
    queueLeft: () => void (left += 1),
    chatStarted(waitedMs) {
      started += 1;
      if (waitedMs === undefined) return;
      const seconds = Math.max(0, waitedMs) / 1000;
      const index = waitBuckets.findIndex((bound) => seconds <= bound);
      waitCounts[index === -1 ? waitBuckets.length : index]! += 1;
      waitSum += seconds;
      waitCount += 1;
    },
    chatEnded: (reason) => void bump(ended, reason),
    chatFeedback: (helped) => void bump(feedback, helped ? 'yes' : 'no'),
    signIn(result) {
      if (result.ok) bump(signIns, result.source);
      else bump(refusals, result.reason);
    },
    sessionExpired: () => void (expired += 1),
    chatTransferred: () => void (transfers += 1),
    chatBlocked: () => void (blocks += 1),
    escalated: () => void (escalations += 1),

    render(gauges, ready) {
      const families: Array<Family | HistogramFamily> = [];
      if (gauges) {
        families.push(
          { name: 'kindred_survivors_waiting', help: 'Survivors waiting for a peer now (the whole deployment).', type: 'gauge', samples: [{ value: gauges.waiting }] },
          { name: 'kindred_chats_active', help: 'Chats between a survivor and a peer now (the whole deployment).', type: 'gauge', samples: [{ value: gauges.active }] },
          { name: 'kindred_peers_on_duty', help: 'Peers on duty and connected now (the whole deployment).', type: 'gauge', samples: [{ value: gauges.onDuty }] },
        );
      }
      families.push(
        { name: 'kindred_ready', help: 'Whether this relay can take new chats (1) or not (0), as /readyz says.', type: 'gauge', samples: [{ value: ready ? 1 : 0 }] },
        {
          name: 'kindred_queue_wait_seconds',
          help: 'Time from a survivor joining the queue to a peer accepting them, in seconds (accepts on this relay).',
          type: 'histogram',
          bounds: waitBuckets,
          buckets: waitCounts,
          sum: waitSum,
          count: waitCount,
        },
        { name: 'kindred_queue_joined_total', help: 'Survivors who joined the queue (on this relay).', type: 'counter', samples: [{ value: joined }] },
        { name: 'kindred_queue_left_total', help: 'Survivors who left the queue before a peer accepted them (on this relay).', type: 'counter', samples: [{ value: left }] },
        { name: 'kindred_chats_started_total', help: 'Chats started: a peer accepted a waiting survivor (on this relay).', type: 'counter', samples: [{ value: started }] },
        { name: 'kindred_chats_ended_total', help: 'Chats that ended after a peer accepted, by reason (on this relay).', type: 'counter', samples: labelled(ended, 'reason') },
        {
          name: 'kindred_chat_feedback_total',
          help: 'Answers to "Did this chat help?" after a chat ended, by answer (on this relay). Nothing else about them is kept.',
          type: 'counter',
          samples: labelled(feedback, 'answer'),
        },
        { name: 'kindred_peer_sign_ins_total', help: 'Peer sign-ins accepted, by the kind of token (on this relay).', type: 'counter', samples: labelled(signIns, 'source') },
        {
          name: 'kindred_peer_sign_in_refusals_total',
          help: 'Peer sign-in tokens refused, by the check that failed (on this relay). Clients are only ever told auth-failed.',
          type: 'counter',
          samples: labelled(refusals, 'reason'),
        },
        { name: 'kindred_peer_sessions_expired_total', help: 'Peer connections closed because their sign-in token expired (on this relay).', type: 'counter', samples: [{ value: expired }] },
        { name: 'kindred_escalations_total', help: 'Chats whose peer asked the supervisors for help (on this relay).', type: 'counter', samples: [{ value: escalations }] },
        { name: 'kindred_transfers_total', help: 'Chats a peer handed to a colleague (on this relay).', type: 'counter', samples: [{ value: transfers }] },
        { name: 'kindred_blocks_total', help: 'Survivor sessions a peer blocked for the cooldown, ending the chat (on this relay).', type: 'counter', samples: [{ value: blocks }] },
      );
      return formatExposition(families);
    },
  };
}
