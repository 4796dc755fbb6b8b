// SPDX-License-Identifier: Apache-2.0
/**
 * Rounds: what the relay does whenever the queue, the peers on duty or their load change. One
 * round reads one snapshot of the state, then
 *
 * 1. tells each waiting survivor where they stand (only when it changed), and whether nobody
 *    on duty matches what they chose (`noMatch`);
 * 2. sends each on-duty peer the waiting list in their own order (matching.ts); peers with
 *    the same order share one emit;
 * 3. offers survivors to peers with room (matching.ts `planOffers`), each with a countdown of
 *    `offerMs`: a peer accepts with `chat:accept` (the same atomic accept as from the list),
 *    or declines, or lets it run out; the survivor then goes on to the next peer who fits.
 *
 * Rounds are coalesced (a burst of changes in one tick costs one round) and never overlap.
 *
 * Several relays (REDIS_URL). Whichever relay sees a change runs the round, over the whole
 * deployment's queue and peers, and emits to peers on any relay by socket id. Two relays may
 * run rounds at once: each offer is recorded by one atomic step that checks everything again
 * (`State.offer`), so a survivor is on offer to one peer at a time and a peer holds one offer
 * at a time, deployment-wide. The accept stays the one step that decides who gets a survivor:
 * of a peer accepting from an offer and another from the list, on any relays, the first wins
 * and the other's offer is withdrawn (`taken`).
 *
 * Offers run out by their time in the state, not by a timer holding anyone: each relay keeps
 * one timer for the next moment anything is due (an offer running out, a wait for a match
 * ending), which holds nothing but that moment, and the round then finds what ran out in the
 * snapshot, withdraws it (`expired`; one atomic step, so of several relays one tells the peer)
 * and offers the survivor onwards. If a relay dies, the others' timers and a round every few
 * seconds while anyone waits take over; the console counts its offer down on its own anyway.
 */
import type { OfferEndReason, QueueEntry, QueueStatus } from '@kindred/protocol';
import type { RelayConfig } from './config.js';
import type { PeerNamespace, SurvivorNamespace } from './context.js';
import type { Logger } from './log.js';
import { listFor, nextOpening, openEntries, planOffers, unmatched, type MatchRules } from './matching.js';
import { StateUnavailableError, type QueueFigures, type State, type Withdrawn } from './state/state.js';

/** How often a relay sharing its state runs a round of offers while anyone waits, whatever else happens. */
export const sweepMs = 5_000;

export interface QueueRounds {
  /** The queue or the peers on duty changed: statuses, lists and offers, in the next round. */
  changed(): void;
  /** A peer's load or an offer changed: offers only, in the next round. */
  offersChanged(): void;
  /** Tells a peer their offer is over, if they can be told now. */
  withdraw(withdrawn: Withdrawn | undefined, reason: OfferEndReason): void;
  /** Stops the timers; no round runs after this. */
  close(): void;
}

export interface RoundsDeps {
  config: RelayConfig;
  state: State;
  survivors: SurvivorNamespace;
  peers: PeerNamespace;
  log: Logger;
  queueStatus(figures: QueueFigures): QueueStatus;
  statusKey(status: QueueStatus): string;
}

export function createQueueRounds({ config, state, survivors, peers, log, queueStatus, statusKey }: RoundsDeps): QueueRounds {
  const rules: MatchRules = { matchWaitMs: config.matchWaitMs, mainLanguage: config.hospital.languages[0] };
  /** The next moment something is due: an offer runs out, or someone's wait for a match ends. */
  let dueTimer: NodeJS.Timeout | undefined;
  let wanted: { lists: boolean } | undefined;
  let running = false;
  let closed = false;

  const sweep = state.shared
    ? setInterval(() => {
        if (state.counts().waiting > 0) kick(false);
      }, sweepMs)
    : undefined;
  sweep?.unref();

  const withdraw = (withdrawn: Withdrawn | undefined, reason: OfferEndReason) => {
    if (withdrawn?.socket) peers.to(withdrawn.socket).emit('offer:withdrawn', { ticket: withdrawn.ticket, reason });
  };

  /** Makes one planned offer; returns when it runs out, or undefined when the state refused it. */
  const offer = async (peer: string, chatRef: string): Promise<number | undefined> => {
    const made = await state.offer(peer, chatRef, config.offerMs);
    if (made === 'refused') return undefined; // the snapshot was stale: the next round sees why
    withdraw(made.lapsed, 'expired');
    peers.to(made.peerSocket).emit('offer:made', {
      ticket: made.ticket,
      survivorName: made.survivorName,
      waitedMs: Math.max(0, made.now - made.queuedAt),
      ...(made.topic !== undefined ? { topic: made.topic } : {}),
      ...(made.language !== undefined ? { language: made.language } : {}),
      matches: true,
      expiresInMs: made.until - made.now,
    });
    return made.until;
  };

  const round = async (lists: boolean) => {
    const snapshot = await state.queueSnapshot();
    const { now } = snapshot;
    // Offers that ran out: their peers passed on them. The entry and the peer are free again.
    for (const entry of snapshot.entries) {
      if (!entry.offer || entry.offer.until > now) continue;
      const { peer, until } = entry.offer;
      withdraw(await state.lapseOffer(peer, entry.chatRef, until), 'expired');
      entry.passed.push(peer);
      entry.offer = undefined;
      const holder = snapshot.peers.find((each) => each.ref === peer);
      if (holder?.offer?.chatRef === entry.chatRef) holder.offer = undefined;
    }
    const open = openEntries(snapshot, rules);
    if (lists) {
      const told: Array<[string, string]> = [];
      for (const [index, waiting] of snapshot.entries.entries()) {
        const status = queueStatus({ position: index + 1, peersOnDuty: snapshot.peersOnDuty, acceptGapMs: snapshot.acceptGapMs });
        // Honest rather than hopeful: nobody on duty matches what they chose, so whoever is free answers.
        if (snapshot.peersOnDuty > 0 && unmatched(waiting, snapshot.peers, rules)) status.noMatch = true;
        const key = statusKey(status);
        if (waiting.survivorSocket && waiting.told !== key) {
          told.push([waiting.chatRef, key]);
          survivors.to(waiting.survivorSocket).emit('queue:updated', status);
        }
      }
      // Peers whose lists come out the same (same topics and languages) share one emit.
      const groups = new Map<string, { sockets: string[]; entries: QueueEntry[] }>();
      for (const peer of snapshot.peers) {
        const entries = listFor(peer, snapshot, open, rules);
        const key = entries.map((entry) => `${entry.ticket}${entry.matches ? '+' : '-'}`).join(' ');
        const group = groups.get(key);
        if (group) group.sockets.push(peer.socket);
        else groups.set(key, { sockets: [peer.socket], entries });
      }
      for (const { sockets, entries } of groups.values()) peers.to(sockets).emit('queue:updated', { total: snapshot.entries.length, entries });
      await state.markTold(told);
    }

    let due: number | undefined;
    const dueAt = (at: number | undefined) => {
      if (at !== undefined && (due === undefined || at < due)) due = at;
    };
    if (config.offerMs > 0) {
      for (const entry of snapshot.entries) dueAt(entry.offer?.until);
      for (const planned of planOffers(snapshot, open, rules)) {
        if (closed) return;
        dueAt(await offer(planned.peer, planned.chatRef));
      }
    }
    // When someone's wait for a match ends, they fit every peer: lists and offers change then.
    const opening = nextOpening(snapshot, open, rules);
    dueAt(opening);
    clearTimeout(dueTimer);
    dueTimer = undefined;
    if (due !== undefined && !closed) {
      const lists = due === opening;
      dueTimer = setTimeout(() => kick(lists), Math.max(0, due - now) + 10);
      dueTimer.unref();
    }
  };

  const failed = (error: unknown) => {
    // The store is away: the next change (or sweep) brings a fresh round. Anything else is a
    // bug, logged without its message (which could quote state).
    if (!(error instanceof StateUnavailableError)) log.error('handler-failed');
  };

  const drain = async () => {
    if (running) return;
    running = true;
    try {
      while (wanted && !closed) {
        const { lists } = wanted;
        wanted = undefined;
        await round(lists).catch(failed);
      }
    } finally {
      running = false;
    }
  };

  function kick(lists: boolean) {
    if (closed) return;
    if (wanted) {
      wanted.lists ||= lists;
      return;
    }
    wanted = { lists };
    // Coalesce: a burst of joins and leaves in one tick costs one round.
    if (!running) setImmediate(() => void drain());
  }

  return {
    changed: () => kick(true),
    offersChanged: () => kick(false),
    withdraw,
    close() {
      closed = true;
      clearInterval(sweep);
      clearTimeout(dueTimer);
    },
  };
}
