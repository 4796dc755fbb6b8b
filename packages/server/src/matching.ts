// SPDX-License-Identifier: Apache-2.0
/**
 * Who fits whom: the rules that order each peer's waiting list and choose whom to offer to
 * whom. Pure functions of a queue snapshot (state.ts), written once for both states.
 *
 * - A peer **matches** a survivor when both the survivor's topic and language (each optional)
 *   are the peer's. A peer whose token lists no topics takes every topic (a generalist); one
 *   whose token lists no languages is taken to speak the hospital's main language (the first
 *   it configures) and no other: a language is a skill nobody can assume, and without that
 *   default every survivor writing in the page's own language would wait for a match.
 * - A peer **fits** a survivor when they match; or when the survivor has waited
 *   `matchWaitMs`; or when no peer on duty matches the survivor at all (waiting for someone who
 *   is not there helps nobody; the survivor is told so, `QueueStatus.noMatch`). Nobody waits
 *   forever behind a mismatch.
 * - **Order** of a peer's list: "not safe" or "not sure" first, whatever they chose (safety
 *   before matching); then those who fit this peer; then the rest; each group longest-waiting
 *   first.
 * - **Offers**: survivors in the queue's own order (urgent lane, then first come) each go to
 *   one peer with room who fits them, holds no live offer and has not passed on them: a peer
 *   who matches before one who merely fits; then the one with the fewest chats; then the most
 *   specialised (fewest topics and languages, keeping generalists free for whoever only they
 *   can serve); then the one offered someone longest ago. A survivor with no such peer waits
 *   for the next round; one behind them may be offered meanwhile.
 */
import type { QueueEntry } from '@kindred/protocol';
import { limits } from '@kindred/protocol';
import type { DutyPeer, QueueSnapshot, WaitingEntry } from './state/state.js';

/** What the rules need from the configuration. */
export interface MatchRules {
  /** How long a survivor waits for a peer who matches, before any peer fits them (ms). */
  matchWaitMs: number;
  /** The hospital's main language (its first), spoken by peers whose token lists none. */
  mainLanguage: string | undefined;
}

/** The same language: equal tags, or one a more precise form of the other (`pt` and `pt-BR`). */
export function sameLanguage(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x === y || x.startsWith(`${y}-`) || y.startsWith(`${x}-`);
}

type Profile = Pick<DutyPeer, 'topics' | 'languages'>;
type Choice = Pick<WaitingEntry, 'topic' | 'language'>;

/** Whether this peer takes the survivor's topic and speaks their language (each only if chosen). */
export function matches(peer: Profile, entry: Choice, rules: MatchRules): boolean {
  if (entry.topic !== undefined && peer.topics.length > 0 && !peer.topics.includes(entry.topic)) return false;
  if (entry.language === undefined) return true;
  const spoken = peer.languages.length > 0 ? peer.languages : rules.mainLanguage ? [rules.mainLanguage] : [];
  return spoken.some((language) => sameLanguage(language, entry.language!));
}

/** Whether a survivor who chose something has no peer on duty who matches it. */
export function unmatched(entry: Choice, peers: readonly Profile[], rules: MatchRules): boolean {
  if (entry.topic === undefined && entry.language === undefined) return false;
  return !peers.some((peer) => matches(peer, entry, rules));
}

/**
 * Whether `peer` fits the survivor now (see the file's comment). `open` says the survivor fits
 * everyone already (waited long enough, or nobody on duty matches): compute it once per entry.
 */
export function fits(peer: Profile, entry: Choice, open: boolean, rules: MatchRules): boolean {
  return open || matches(peer, entry, rules);
}

/** Whether the survivor fits every peer now: waited `matchWaitMs`, or no peer on duty matches them. */
export function openToAll(entry: WaitingEntry, snapshot: Pick<QueueSnapshot, 'now' | 'peers'>, rules: MatchRules): boolean {
  return snapshot.now - entry.queuedAt >= rules.matchWaitMs || unmatched(entry, snapshot.peers, rules);
}

/** An entry as a peer's list shows it: no content, no id that reaches the chat. */
export function listEntry(entry: WaitingEntry, now: number, fitting: boolean): QueueEntry {
  return {
    ticket: entry.ticket,
    survivorName: entry.survivorName,
    waitedMs: Math.max(0, now - entry.queuedAt),
    ...(entry.topic !== undefined ? { topic: entry.topic } : {}),
    ...(entry.language !== undefined ? { language: entry.language } : {}),
    matches: fitting,
  };
}

/**
 * One peer's waiting list, in their order: urgent first, then those who fit this peer, then the
 * rest, each longest-waiting first; at most `limits.queueEntriesShown` entries.
 */
export function listFor(peer: Profile, snapshot: QueueSnapshot, open: ReadonlySet<string>, rules: MatchRules): QueueEntry[] {
  const ranked = snapshot.entries.map((entry, index) => {
    const fitting = fits(peer, entry, open.has(entry.chatRef), rules);
    return { entry, fitting, rank: entry.urgent ? 0 : fitting ? 1 : 2, index };
  });
  // The snapshot is already longest-waiting first within each lane (a requeued survivor keeps
  // the place they first had), so its index breaks ties.
  ranked.sort((a, b) => a.rank - b.rank || a.index - b.index);
  return ranked.slice(0, limits.queueEntriesShown).map(({ entry, fitting }) => listEntry(entry, snapshot.now, fitting));
}

/** The chat references of the survivors who fit every peer now. */
export function openEntries(snapshot: QueueSnapshot, rules: MatchRules): Set<string> {
  return new Set(snapshot.entries.filter((entry) => openToAll(entry, snapshot, rules)).map((entry) => entry.chatRef));
}

/** When the next survivor's wait for a match runs out (ms), or undefined when nobody is still waiting for one. */
export function nextOpening(snapshot: QueueSnapshot, open: ReadonlySet<string>, rules: MatchRules): number | undefined {
  let next: number | undefined;
  for (const entry of snapshot.entries) {
    if (open.has(entry.chatRef) || (entry.topic === undefined && entry.language === undefined)) continue;
    const at = entry.queuedAt + rules.matchWaitMs;
    if (next === undefined || at < next) next = at;
  }
  return next;
}

/** How specialised a peer is: fewer topics and languages, more specialised ("every topic" counts as many). */
function breadth(peer: DutyPeer): number {
  return (peer.topics.length === 0 ? 100 : peer.topics.length) + peer.languages.length;
}

/** The offers to make now: each a peer (session reference) and a survivor (chat reference). See the file's comment. */
export function planOffers(snapshot: QueueSnapshot, open: ReadonlySet<string>, rules: MatchRules): Array<{ peer: string; chatRef: string }> {
  const { now } = snapshot;
  const free = snapshot.peers.filter((peer) => peer.chats < peer.maxChats && !(peer.offer && peer.offer.until > now));
  const plan: Array<{ peer: string; chatRef: string }> = [];
  for (const entry of snapshot.entries) {
    if (free.length === 0) break;
    if (entry.offer && entry.offer.until > now) continue;
    const everyone = open.has(entry.chatRef);
    const candidates = free
      .filter((peer) => !entry.passed.includes(peer.ref) && fits(peer, entry, everyone, rules))
      .map((peer) => ({ peer, matching: matches(peer, entry, rules) }));
    if (candidates.length === 0) continue;
    candidates.sort(
      (a, b) =>
        Number(b.matching) - Number(a.matching) ||
        a.peer.chats - b.peer.chats ||
        breadth(a.peer) - breadth(b.peer) ||
        a.peer.lastOfferAt - b.peer.lastOfferAt ||
        (a.peer.ref < b.peer.ref ? -1 : 1),
    );
    const chosen = candidates[0]!.peer;
    plan.push({ peer: chosen.ref, chatRef: entry.chatRef });
    free.splice(free.indexOf(chosen), 1);
  }
  return plan;
}
