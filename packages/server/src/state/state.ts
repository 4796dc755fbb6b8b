// SPDX-License-Identifier: Apache-2.0
/**
 * The relay's state, as one asynchronous interface with two implementations: `MemoryState`
 * (one process, the default) and `RedisState` (many relays sharing Redis, behind REDIS_URL).
 * Handlers, sessions and the context use this interface only, so both behave the same; a test
 * runs the relay's suites against each (test/redis-parity.test.ts).
 *
 * Every operation is one atomic step (a Lua script in Redis): two relays can never pair one
 * survivor twice, or lose one between them. What an operation returns is what the relay must
 * tell someone afterwards: socket ids to emit to, never the people themselves.
 *
 * The rules that decide pairing, queue order, estimates and who hears that a chat ended are
 * written once, below, and used by both implementations (the Redis scripts receive the
 * constants as arguments and follow `acceptRefusal` step for step).
 */
import type { EndReason, ErrorCode, PeerClaims } from '@kindred/protocol';

/** Sizes only: what tests and health checks may see. */
export interface Counts {
  chats: number;
  waiting: number;
  peers: number;
  survivors: number;
  /** Peers signed in (connected) and on a break: the supervisors' board counts them apart. */
  peersOnBreak: number;
}

/** Which side of a chat a session is. */
export type Side = 'survivor' | 'peer';

/** A new session: its state reference and the resume token its client will hold. */
export interface NewSession {
  /** Opaque reference the relay keeps while the connection lasts (in Redis, a keyed hash of the token). */
  readonly ref: string;
  /** The token itself: given to the client, kept by neither store. */
  readonly resume: string;
}

/** What the queue-status figures are made of; the relay turns them into a `QueueStatus`. */
export interface QueueFigures {
  /** 1-based. */
  position: number;
  /** Peers on duty and connected. */
  peersOnDuty: number;
  /** The recent average time between accepts, if the relay has seen any. */
  acceptGapMs: number | undefined;
}

/** A survivor's session taken back by a new connection. */
export interface SurvivorBack {
  /** The connection that held the session until now, if any (to be closed). */
  previousSocket: string | undefined;
  chat:
    | null
    | { state: 'waiting'; chatRef: string; figures: QueueFigures }
    | { state: 'chatting'; chatId: string; peerName: string; peerSocket: string | undefined; supervised: boolean };
  /** Why the chat ended while the survivor was away, if it did. */
  ended: EndReason | undefined;
}

/** A peer's session taken back by a new connection. */
export interface PeerBack {
  previousSocket: string | undefined;
  name: string;
  maxChats: number;
  onDuty: boolean;
  onBreak: boolean;
  chats: Array<{ chatId: string; survivorName: string; survivorSocket: string | undefined }>;
  ended: Array<{ chatId: string; reason: EndReason }>;
}

/** An on-duty, connected peer as `colleagues:list` needs them (the handle is made from `ref`: colleagues.ts). */
export interface ColleagueEntry {
  ref: string;
  name: string;
  chats: number;
  maxChats: number;
}

/** A chat handed from one peer to another: whom to tell, and an offer the new peer no longer has room for. */
export interface Transferred {
  chatId: string;
  survivorName: string;
  /** The survivor's connection, or undefined while they are away. */
  survivorSocket: string | undefined;
  /** The new peer: always connected (only a connected peer can take a transfer). */
  peerSocket: string;
  peerName: string;
  /** The new peer's own offer of someone else, when this transfer filled their last place (`released`). */
  released: Withdrawn | undefined;
  /**
   * The connection of the supervisor who had joined the chat, if any: a transfer ends the
   * supervision, because the supervisor's keys were agreed with the old peer's console, and
   * an open escalation too (the new peer never asked for help, and may escalate again).
   */
  supervisorSocket: string | undefined;
}

/** A survivor's chat, for passing something to their peer. */
export interface SurvivorRoute {
  chatId: string;
  /** Whether a peer has accepted (a waiting survivor has nobody to send to). */
  paired: boolean;
  /** The peer's connection, or undefined while they are away. */
  peerSocket: string | undefined;
}

/** A chat that ended: who must be told now (the others were told in the store, for later). */
export interface Ended {
  chatId: string;
  /** Set when the survivor is to be told now. */
  survivorSocket: string | undefined;
  /** Set when the peer is to be told now. */
  peerSocket: string | undefined;
  /** It was still waiting: the queue changed. */
  wasWaiting: boolean;
  /** It was on offer to a peer, whose offer is now withdrawn (`ended`). */
  withdrawn?: Withdrawn;
  /** The connection of the supervisor who had joined it, if any: told too, whatever the reason. */
  supervisorSocket?: string | undefined;
}

/** What a survivor chose before waiting. Both choices are optional; the answer to the safety question is only `urgent`. */
export interface WaitChoice {
  /** Said "not safe" or "not sure": waits ahead of everyone who did not. */
  urgent: boolean;
  /** A topic id from the hospital's list. */
  topic?: string | undefined;
  /** A language tag from the hospital's list. */
  language?: string | undefined;
}

/** An offer that is over unanswered: the peer to tell (now, if connected), and which survivor it was. */
export interface Withdrawn {
  /** The peer's session reference (for the relay's own timers; never sent anywhere). */
  peer: string;
  /** The peer's connection, or undefined while they are away. */
  socket: string | undefined;
  ticket: string;
}

/** An offer the state has just recorded: what the peer is shown, and where they are. */
export interface OfferMade {
  ticket: string;
  survivorName: string;
  topic: string | undefined;
  language: string | undefined;
  queuedAt: number;
  /** The store's clock when the offer was made, and when it runs out (ms). */
  now: number;
  until: number;
  peerSocket: string;
  /** An earlier offer of this survivor that had run out and that nobody had withdrawn (its relay died). */
  lapsed: Withdrawn | undefined;
}

/** Someone's connection went and their session is now held for the grace period. */
export interface Away {
  /** The session's connection generation: its expiry acts only if nobody came back since. */
  epoch: number;
  /** Whom to tell `chat:presence { present: false }`. */
  tell: Array<{ socket: string; chatId: string }>;
  /** The number of peers on duty changed (a peer went away while on duty). */
  dutyChanged: boolean;
}

/** A survivor whose peer never came back, first in line again. */
export interface Requeued {
  chatRef: string;
  survivorSocket: string | undefined;
  figures: QueueFigures;
  /** The supervisor who had joined the chat that ended (`chatId`: the old chat's id), to be told it ended. */
  supervisor?: { socket: string; chatId: string } | undefined;
}

/** A chat whose peer asked the supervisors for help, as the board lists it. */
export interface EscalationEntry {
  chatId: string;
  peerName: string;
  survivorName: string;
  /** When the peer first asked (the store's clock, ms). */
  since: number;
}

/**
 * What the supervisors' board is made of (board.ts), read in one step: counts, and the open
 * escalations. Nothing any survivor wrote; `peersOnBreak` comes from `counts()`.
 */
export interface BoardFigures {
  /** The store's clock (ms), for the waits. */
  now: number;
  waiting: number;
  /** When the survivor who has waited longest came (ms), or undefined when nobody waits. */
  oldestQueuedAt: number | undefined;
  activeChats: number;
  peersOnDuty: number;
  /** Supervisors signed in and connected. */
  supervisors: number;
  /** Oldest first. */
  escalations: EscalationEntry[];
}

/** The two people a supervisor joins or leaves: whom to tell (each undefined while away). */
export interface SupervisionParties {
  chatId: string;
  peerSocket: string | undefined;
  survivorSocket: string | undefined;
}

/** A supervisor joined a chat. */
export interface SupervisionJoined extends SupervisionParties {
  peerName: string;
  survivorName: string;
  /** Another supervisor's connection that this join replaced (they are told the chat is over for them). */
  replacedSocket: string | undefined;
}

/** One waiting chat, as the queue broadcast and the offers need it. */
export interface WaitingEntry {
  chatRef: string;
  ticket: string;
  survivorName: string;
  queuedAt: number;
  survivorSocket: string | undefined;
  /** The last status this survivor was told (see `queueStatusKey`). */
  told: string | undefined;
  urgent: boolean;
  topic: string | undefined;
  language: string | undefined;
  /** The peer (session reference) this survivor is offered to, and until when; possibly run out. */
  offer: { peer: string; until: number } | undefined;
  /** Peers (session references) who declined this survivor or let an offer of them run out. */
  passed: string[];
}

/** A peer on duty and connected, as matching sees them: nothing but what their token says and their load. */
export interface DutyPeer {
  ref: string;
  socket: string;
  topics: string[];
  languages: string[];
  chats: number;
  maxChats: number;
  /** The survivor (chat reference) on offer to this peer, and until when; possibly run out. */
  offer: { chatRef: string; until: number } | undefined;
  /** When this peer was last offered someone (ms; 0 for never): offers go round fairly. */
  lastOfferAt: number;
}

export interface QueueSnapshot {
  now: number;
  peersOnDuty: number;
  acceptGapMs: number | undefined;
  /** Urgent lane first, then everyone else, each in the order they came. */
  entries: WaitingEntry[];
  /** Peers on duty and connected. */
  peers: DutyPeer[];
}

/** A session away past its grace period, found by a sweep (Redis: possibly armed by a relay that died). */
export interface Due {
  side: Side;
  ref: string;
  epoch: number;
}

/** What a periodic tick found (Redis only; memory has nothing shared to look after). */
export interface Tick {
  /** This relay had been taken for dead (its heartbeat lapsed, or Redis lost its data). */
  lapsed: boolean;
  /** Sessions of relays found dead, now held for the grace period: tell their counterparts. */
  away: Array<{ side: Side; ref: string; away: Away }>;
  /** Sessions whose grace period is over. */
  due: Due[];
  /**
   * Now and then (and after an outage): the sessions the store says this relay holds, to check
   * against its live connections. A disconnect that could not be written (Redis was away) shows
   * up here as a session whose connection is gone, and is written then.
   */
  mine?: Array<{ side: Side; ref: string; socket: string | undefined }>;
}

export interface State {
  /** True when the state is shared with other relays (Redis). */
  readonly shared: boolean;
  /** False while the store cannot be reached: new chats are refused with `unavailable`. */
  ready(): boolean;
  /** The sizes as last seen (memory: exact; Redis: refreshed by every operation and tick). */
  counts(): Counts;
  /** The sizes now. */
  countsNow(): Promise<Counts>;

  // Survivors -------------------------------------------------------------------------------
  openSurvivor(socket: string): Promise<NewSession>;
  /** Takes a session back for a new connection, or undefined when the token names none. */
  resumeSurvivor(resume: string, socket: string): Promise<{ ref: string; back: SurvivorBack } | undefined>;
  /** Joins the queue: a new chat at the back of its lane. Recreates a session the store lost. */
  startChat(ref: string, socket: string, choice: WaitChoice): Promise<{ chatRef: string; figures: QueueFigures } | 'already-started'>;
  survivorRoute(ref: string): Promise<SurvivorRoute | undefined>;
  endSurvivorChat(ref: string): Promise<Ended | 'no-chat'>;
  /** The connection `socket` went; undefined when a newer one holds the session. `removed` when there was nothing to hold. */
  survivorAway(ref: string, socket: string, graceMs: number): Promise<Away | 'removed' | undefined>;
  /** The grace period is over: ends the chat and forgets the session, if nobody came back (`epoch`). */
  expireSurvivor(ref: string, epoch: number): Promise<Ended | 'removed' | undefined>;

  // Peers -----------------------------------------------------------------------------------
  openPeer(socket: string, claims: PeerClaims): Promise<NewSession>;
  /** Whether a resume token names a peer session (checked at the handshake, taken at connection). */
  hasPeer(resume: string): Promise<boolean>;
  resumePeer(resume: string, socket: string): Promise<{ ref: string; back: PeerBack } | undefined>;
  /**
   * False when the session is gone. Going off duty lets go of an offer this peer holds; `onBreak`
   * (only ever with `onDuty: false`; the handler checks) marks them resting rather than gone.
   */
  setOnDuty(ref: string, onDuty: boolean, onBreak?: boolean): Promise<boolean>;
  /**
   * Pairs the waiting survivor behind `ticket` with this peer, or says why not (`acceptRefusal`).
   * `withdrawn`: the offer of this survivor to another peer (`taken`), and this peer's own offer
   * of someone else when this accept filled their last place (`released`).
   */
  accept(
    ref: string,
    ticket: string,
  ): Promise<{ chatId: string; survivorName: string; survivorSocket: string | undefined; taken: Withdrawn | undefined; released: Withdrawn | undefined } | ErrorCode>;
  /**
   * Offers the waiting survivor `chatRef` to this peer for `ms`, if (checked again, atomically)
   * the peer is on duty, connected, below capacity and holds no live offer, and the survivor is
   * waiting, on offer to nobody (or to someone whose offer ran out: they count as having passed)
   * and not passed over by this peer. 'refused' otherwise.
   */
  offer(ref: string, chatRef: string, ms: number): Promise<OfferMade | 'refused'>;
  /** This peer passes on the survivor offered to them; 'not-found' when no such offer is live. */
  declineOffer(ref: string, ticket: string): Promise<'ok' | 'not-found'>;
  /** The offer made `until` ran out unanswered: the peer counts as having passed. Undefined when it was already over. */
  lapseOffer(ref: string, chatRef: string, until: number): Promise<Withdrawn | undefined>;
  /** The survivor's connection in this peer's chat, if and only if the chat is theirs. */
  peerRoute(ref: string, chatId: string): Promise<{ survivorSocket: string | undefined } | undefined>;
  endPeerChat(ref: string, chatId: string): Promise<Ended | 'not-found'>;
  /**
   * Ends one of this peer's chats like `endPeerChat` (reason `peer-ended`: the survivor is not
   * told they were blocked) and refuses that survivor's session new chats for `ms`
   * (`survivorBlocked`). Held with the session only, so it goes when the session does.
   */
  blockChat(ref: string, chatId: string, ms: number): Promise<Ended | 'not-found'>;
  /** Whether a peer blocked this survivor's session and the cooldown is not over. */
  survivorBlocked(ref: string): Promise<boolean>;
  /** Peers on duty and connected, each with their load: who could take a transfer. */
  colleagues(): Promise<ColleagueEntry[]>;
  /**
   * Hands one of this peer's chats (`not-found`) to the peer `toRef`, who must be someone else,
   * on duty, connected and below capacity (`colleague-unavailable`). One atomic step: the chat is
   * the new peer's from then on, for every route, end and resume.
   */
  transfer(fromRef: string, chatId: string, toRef: string): Promise<Transferred | 'not-found' | 'colleague-unavailable'>;
  /** The peer's connection went: their chats are held for the grace period, and an offer they held goes (nobody is there to answer it). */
  peerAway(ref: string, socket: string, graceMs: number): Promise<Away | undefined>;
  /** The grace period is over: forgets the peer; each of their survivors is first in line again. (An away peer holds no offer: `peerAway` let go of it.) */
  expirePeer(ref: string, epoch: number): Promise<Requeued[] | undefined>;

  // Both ------------------------------------------------------------------------------------
  /** The connection a session has now (for delivery receipts, which go to the sender's connection of that moment). */
  socketOf(side: Side, ref: string): Promise<string | undefined>;
  queueSnapshot(): Promise<QueueSnapshot>;
  /** Remembers what each waiting survivor was last told, so an unchanged status is not resent. */
  markTold(told: ReadonlyArray<readonly [chatRef: string, told: string]>): Promise<void>;

  // Supervision (board.ts, handlers/peer-supervision-*.ts) -------------------------------------
  /** This peer session is a supervisor's (their token's role): counted as one while connected. */
  markSupervisor(ref: string): Promise<void>;
  /**
   * This peer asks the supervisors for help with one of their chats (`not-found` otherwise). The
   * first asking is kept: asking again changes nothing (`fresh: false`). Returns how many
   * supervisors are connected, this peer aside (a supervisor asking about a chat of their own).
   */
  escalate(ref: string, chatId: string): Promise<{ supervisorsOnDuty: number; fresh: boolean } | 'not-found'>;
  /** The figures of the supervisors' board, in one step. */
  boardFigures(): Promise<BoardFigures>;
  /**
   * A supervisor (`ref`, on connection `socket`) joins an escalated chat that is not their own
   * (`not-found` otherwise): one step records them on the chat and closes the escalation.
   */
  joinSupervision(ref: string, socket: string, chatId: string): Promise<SupervisionJoined | 'not-found'>;
  /** The chat's supervisor leaves it (`not-found` when they are not its supervisor). */
  leaveSupervision(ref: string, chatId: string): Promise<SupervisionParties | 'not-found'>;
  /** A supervisor's connection went: they leave every chat they joined through it, at once (no grace). */
  supervisorGone(ref: string, socket: string): Promise<SupervisionParties[]>;
  /**
   * Between a chat's peer and its supervisor only: the other one's connection (undefined while
   * away). Undefined when `ref` is neither, or the chat has no supervisor.
   */
  supervisionRoute(ref: string, chatId: string): Promise<{ to: string | undefined } | undefined>;

  /** Heartbeat and sweep (Redis only). */
  tick?(graceMs: number): Promise<Tick>;
  /** Lets go of the store (Redis: leaves the cluster, quits its clients). */
  close(): Promise<void>;
}

/** Thrown by a shared state that cannot reach its store: the request is answered `unavailable`. */
export class StateUnavailableError extends Error {
  override name = 'StateUnavailableError';
  constructor() {
    super('The shared state cannot be reached.');
  }
}

// ---------------------------------------------------------------------------------- the rules

/** How often a relay sharing its state beats and sweeps (sessions.ts, redis-scripts.ts). */
export const tickMs = 1_000;

/** How much each new gap between accepts moves the average (exponential moving average). */
export const gapWeight = 0.3;

/**
 * Why a peer may not accept, checked in this order, or undefined when they may. The Redis
 * accept script makes the same three checks in the same order.
 */
export function acceptRefusal(peer: { onDuty: boolean; chats: number; maxChats: number }, waiting: boolean): ErrorCode | undefined {
  if (!peer.onDuty) return 'not-on-duty';
  if (peer.chats >= peer.maxChats) return 'capacity-reached';
  if (!waiting) return 'not-found';
  return undefined;
}

/**
 * The new average gap between accepts after one at `now`: since the previous accept, or since
 * this survivor came if that is shorter (time with nobody waiting says nothing about how fast
 * peers answer).
 */
export function nextAcceptGap(previousGap: number | undefined, lastAcceptAt: number | undefined, queuedAt: number, now: number): number {
  const gap = Math.min(now - (lastAcceptAt ?? queuedAt), now - queuedAt);
  return previousGap === undefined ? gap : previousGap + gapWeight * (gap - previousGap);
}

/**
 * A rough wait for whoever is at `position`, in minutes: position × the recent time between
 * accepts. Null when nobody is on duty or the relay has not yet seen enough to say.
 */
export function estimateMinutes(figures: QueueFigures): number | null {
  if (figures.peersOnDuty === 0 || figures.acceptGapMs === undefined) return null;
  return Math.max(1, Math.round((figures.position * figures.acceptGapMs) / 60_000));
}

/** Who hears that a chat ended: never the side that ended it (or left it). */
export function toldOfEnd(reason: EndReason): { survivor: boolean; peer: boolean } {
  return { survivor: !reason.startsWith('survivor-'), peer: !reason.startsWith('peer-') };
}
