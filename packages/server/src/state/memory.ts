// SPDX-License-Identifier: Apache-2.0
/**
 * The relay's state in memory: the queue, the chats, and the sessions of survivors and peers,
 * for one relay process (the default; `npm start` needs nothing else). Pure bookkeeping with
 * no sockets in it. It never holds message text: a chat is who is in it and since when, and
 * everything about it is dropped when it ends.
 *
 * Every method runs to completion without yielding, so each is atomic; they are async only to
 * share one interface with the Redis state.
 */
import type { EndReason, ErrorCode, PeerClaims } from '@kindred/protocol';
import { randomId, randomPseudonym } from '../ids.js';
import {
  acceptRefusal,
  nextAcceptGap,
  toldOfEnd,
  type Away,
  type BoardFigures,
  type SupervisionJoined,
  type SupervisionParties,
  type ColleagueEntry,
  type Counts,
  type Ended,
  type NewSession,
  type OfferMade,
  type PeerBack,
  type QueueFigures,
  type QueueSnapshot,
  type Requeued,
  type Side,
  type State,
  type SurvivorBack,
  type SurvivorRoute,
  type Transferred,
  type WaitChoice,
  type Withdrawn,
} from './state.js';

/**
 * A survivor's session: one tab's worth of being a survivor. It outlives a dropped connection
 * by the grace period. In memory its reference is its resume token, which never leaves the
 * process but for the survivor's own frame.
 */
interface SurvivorSession {
  readonly ref: string;
  /** The connection now, or undefined while away (within the grace period). */
  socket: string | undefined;
  /** Connection generation: grows with every (re)connection. */
  epoch: number;
  chat: Chat | undefined;
  /** Why the chat ended while this survivor was away: told when they come back. */
  ended: EndReason | undefined;
  /** A peer blocked this session: no new chat before then (ms). */
  blockedUntil?: number;
}

interface Chat {
  /** Unguessable id; the peer uses it to address the chat, the survivor never sees it. */
  readonly id: string;
  /** Single-use handle on the waiting list; peers accept by ticket, not by chat id. */
  readonly ticket: string;
  readonly survivorName: string;
  readonly survivor: SurvivorSession;
  readonly queuedAt: number;
  /** Said "not safe" or "not sure": waits ahead of everyone who did not. */
  readonly urgent: boolean;
  /** What the survivor chose to talk about, and in which language (both optional). */
  readonly topic: string | undefined;
  readonly language: string | undefined;
  /** The last queue status the survivor was told, so an unchanged one is not resent. */
  told?: string;
  peer?: Peer;
  /** While waiting: the peer this survivor is offered to, until when (possibly run out). */
  offer?: { peer: Peer; until: number };
  /** Peers (references) who declined this survivor or let an offer run out: not offered them again. */
  readonly passed: Set<string>;
}

/** A peer's session: outlives a dropped connection or a console reload by the grace period. */
interface Peer {
  readonly ref: string;
  socket: string | undefined;
  epoch: number;
  readonly name: string;
  readonly maxChats: number;
  /** From the token: topic ids and language tags (matching.ts says what empty lists mean). */
  readonly topics: readonly string[];
  readonly languages: readonly string[];
  /** The survivor on offer to this peer, until when (possibly run out). */
  offer?: { chat: Chat; until: number };
  /** When this peer was last offered someone (0: never). */
  lastOfferAt: number;
  /** What the peer chose; they count as on duty only while connected too. */
  onDuty: boolean;
  /** Off duty and resting (never with `onDuty`); counted only while connected too. */
  onBreak: boolean;
  readonly chats: Set<string>;
  /** Chats that ended while this peer was away: told when they come back. */
  readonly ended: Array<{ chatId: string; reason: EndReason }>;
}

export class MemoryState implements State {
  readonly shared = false;
  readonly #chats = new Map<string, Chat>();
  // Two lanes, each a Map whose insertion order is its FIFO order: survivors who said they
  // are not safe (or not sure) are served first, in the order they came.
  readonly #urgent = new Map<string, Chat>();
  readonly #queue = new Map<string, Chat>();
  readonly #survivors = new Map<string, SurvivorSession>();
  readonly #peers = new Map<string, Peer>();
  /** Peers on duty and connected: those who can answer now. */
  readonly #onDuty = new Set<Peer>();
  // Supervision (board.ts): who is a supervisor (held no longer than their session), which
  // chats their peers escalated (chat id → when first asked), and who supervises which chat.
  readonly #supervisors = new WeakSet<Peer>();
  readonly #escalated = new Map<string, number>();
  readonly #supervision = new Map<string, { peer: Peer; socket: string }>();
  // Throughput, for wait estimates: an aggregate of the whole relay, nothing about any one chat.
  #lastAcceptAt: number | undefined;
  #acceptGapMs: number | undefined;

  ready(): boolean {
    return true;
  }

  counts(): Counts {
    let peersOnBreak = 0;
    for (const peer of this.#peers.values()) if (peer.onBreak && peer.socket !== undefined) peersOnBreak += 1;
    return { chats: this.#chats.size, waiting: this.#urgent.size + this.#queue.size, peers: this.#peers.size, survivors: this.#survivors.size, peersOnBreak };
  }

  async countsNow(): Promise<Counts> {
    return this.counts();
  }

  // ------------------------------------------------------------------------------ survivors

  async openSurvivor(socket: string): Promise<NewSession> {
    const session: SurvivorSession = { ref: randomId(), socket, epoch: 1, chat: undefined, ended: undefined };
    this.#survivors.set(session.ref, session);
    return { ref: session.ref, resume: session.ref };
  }

  async resumeSurvivor(resume: string, socket: string): Promise<{ ref: string; back: SurvivorBack } | undefined> {
    const session = this.#survivors.get(resume);
    if (!session) return undefined;
    const previousSocket = session.socket;
    session.socket = socket;
    session.epoch += 1;
    const ended = session.ended;
    session.ended = undefined;
    const chat = session.chat;
    let view: SurvivorBack['chat'] = null;
    if (chat?.peer) {
      view = { state: 'chatting', chatId: chat.id, peerName: chat.peer.name, peerSocket: chat.peer.socket, supervised: this.#supervision.has(chat.id) };
    } else if (chat) {
      view = { state: 'waiting', chatRef: chat.id, figures: this.#figures(chat) };
    }
    return { ref: session.ref, back: { previousSocket, chat: view, ended } };
  }

  async startChat(ref: string, socket: string, { urgent, topic, language }: WaitChoice): Promise<{ chatRef: string; figures: QueueFigures } | 'already-started'> {
    let session = this.#survivors.get(ref);
    if (!session) {
      session = { ref, socket, epoch: 1, chat: undefined, ended: undefined };
      this.#survivors.set(ref, session);
    }
    if (session.chat) return 'already-started';
    const chat: Chat = {
      id: randomId(),
      ticket: randomId(),
      survivorName: randomPseudonym(),
      survivor: session,
      queuedAt: Date.now(),
      urgent,
      topic,
      language,
      passed: new Set(),
    };
    this.#chats.set(chat.id, chat);
    (urgent ? this.#urgent : this.#queue).set(chat.ticket, chat);
    session.chat = chat;
    session.ended = undefined;
    return { chatRef: chat.id, figures: this.#figures(chat) };
  }

  async survivorRoute(ref: string): Promise<SurvivorRoute | undefined> {
    const chat = this.#survivors.get(ref)?.chat;
    if (!chat) return undefined;
    return { chatId: chat.id, paired: chat.peer !== undefined, peerSocket: chat.peer?.socket };
  }

  async endSurvivorChat(ref: string): Promise<Ended | 'no-chat'> {
    const chat = this.#survivors.get(ref)?.chat;
    return chat ? this.#end(chat, 'survivor-ended') : 'no-chat';
  }

  async survivorAway(ref: string, socket: string): Promise<Away | 'removed' | undefined> {
    const session = this.#survivors.get(ref);
    if (!session || session.socket !== socket) return undefined; // a newer connection took it over
    session.socket = undefined;
    const chat = session.chat;
    // A blocked session is held too, so that a reload does not shed the block.
    if (!chat && !this.#blocked(session)) {
      this.#survivors.delete(ref);
      return 'removed';
    }
    const tell = chat?.peer?.socket ? [{ socket: chat.peer.socket, chatId: chat.id }] : [];
    return { epoch: session.epoch, tell, dutyChanged: false };
  }

  async expireSurvivor(ref: string, epoch: number): Promise<Ended | 'removed' | undefined> {
    const session = this.#survivors.get(ref);
    if (!session || session.epoch !== epoch || session.socket !== undefined) return undefined;
    const ended = session.chat ? this.#end(session.chat, 'survivor-left') : 'removed';
    this.#survivors.delete(ref);
    return ended;
  }

  // ---------------------------------------------------------------------------------- peers

  async openPeer(socket: string, claims: PeerClaims): Promise<NewSession> {
    const peer: Peer = {
      ref: randomId(),
      socket,
      epoch: 1,
      name: claims.name,
      maxChats: claims.maxChats,
      topics: [...(claims.topics ?? [])],
      languages: [...(claims.languages ?? [])],
      lastOfferAt: 0,
      onDuty: false,
      onBreak: false,
      chats: new Set(),
      ended: [],
    };
    this.#peers.set(peer.ref, peer);
    return { ref: peer.ref, resume: peer.ref };
  }

  async hasPeer(resume: string): Promise<boolean> {
    return this.#peers.has(resume);
  }

  async resumePeer(resume: string, socket: string): Promise<{ ref: string; back: PeerBack } | undefined> {
    const peer = this.#peers.get(resume);
    if (!peer) return undefined;
    const previousSocket = peer.socket;
    peer.socket = socket;
    peer.epoch += 1;
    if (peer.onDuty) this.#onDuty.add(peer);
    const chats = this.#chatsOf(peer).map((chat) => ({ chatId: chat.id, survivorName: chat.survivorName, survivorSocket: chat.survivor.socket }));
    const back: PeerBack = { previousSocket, name: peer.name, maxChats: peer.maxChats, onDuty: peer.onDuty, onBreak: peer.onBreak, chats, ended: peer.ended.splice(0) };
    return { ref: peer.ref, back };
  }

  async setOnDuty(ref: string, onDuty: boolean, onBreak = false): Promise<boolean> {
    const peer = this.#peers.get(ref);
    if (!peer) return false;
    peer.onDuty = onDuty;
    peer.onBreak = !onDuty && onBreak;
    if (onDuty && peer.socket !== undefined) this.#onDuty.add(peer);
    else {
      this.#onDuty.delete(peer);
      // Off duty, the console shows no offer: the survivor goes on to the next peer.
      if (peer.offer) this.#clearOffer(peer.offer.chat);
    }
    return true;
  }

  async accept(
    ref: string,
    ticket: string,
  ): Promise<{ chatId: string; survivorName: string; survivorSocket: string | undefined; taken: Withdrawn | undefined; released: Withdrawn | undefined } | ErrorCode> {
    const peer = this.#peers.get(ref);
    const chat = this.#urgent.get(ticket) ?? this.#queue.get(ticket);
    const refusal = peer ? acceptRefusal({ onDuty: peer.onDuty, chats: peer.chats.size, maxChats: peer.maxChats }, chat !== undefined) : 'not-on-duty';
    if (refusal || !peer || !chat) return refusal ?? 'not-found';
    // Whoever else this survivor was offered to loses the offer: the first accept wins.
    const offered = chat.offer?.peer;
    const taken = offered && offered !== peer ? this.#withdrawn(offered, chat) : undefined;
    this.#clearOffer(chat);
    this.#urgent.delete(ticket);
    this.#queue.delete(ticket);
    chat.peer = peer;
    peer.chats.add(chat.id);
    // Full now: never offered another survivor, not even one offered before this accept.
    let released: Withdrawn | undefined;
    if (peer.offer && peer.chats.size >= peer.maxChats) {
      released = this.#withdrawn(peer, peer.offer.chat);
      this.#clearOffer(peer.offer.chat);
    }
    const now = Date.now();
    this.#acceptGapMs = nextAcceptGap(this.#acceptGapMs, this.#lastAcceptAt, chat.queuedAt, now);
    this.#lastAcceptAt = now;
    return { chatId: chat.id, survivorName: chat.survivorName, survivorSocket: chat.survivor.socket, taken, released };
  }

  async offer(ref: string, chatRef: string, ms: number): Promise<OfferMade | 'refused'> {
    const peer = this.#peers.get(ref);
    const chat = this.#chats.get(chatRef);
    const now = Date.now();
    if (!peer || !chat || !this.#onDuty.has(peer) || peer.socket === undefined || peer.chats.size >= peer.maxChats) return 'refused';
    if (peer.offer && peer.offer.until > now) return 'refused';
    if (!(this.#urgent.has(chat.ticket) || this.#queue.has(chat.ticket))) return 'refused';
    if (chat.offer && chat.offer.until > now) return 'refused';
    if (chat.offer?.peer === peer || chat.passed.has(peer.ref)) return 'refused';
    let lapsed: Withdrawn | undefined;
    if (chat.offer) {
      // Run out, and nobody said so yet (its timer has not fired): that peer passed on it.
      lapsed = this.#withdrawn(chat.offer.peer, chat);
      this.#lapse(chat);
    }
    // This peer's own earlier offer ran out likewise (it is not live): they passed on that one.
    if (peer.offer) this.#lapse(peer.offer.chat);
    const until = now + ms;
    chat.offer = { peer, until };
    peer.offer = { chat, until };
    peer.lastOfferAt = now;
    return {
      ticket: chat.ticket,
      survivorName: chat.survivorName,
      topic: chat.topic,
      language: chat.language,
      queuedAt: chat.queuedAt,
      now,
      until,
      peerSocket: peer.socket,
      lapsed,
    };
  }

  async declineOffer(ref: string, ticket: string): Promise<'ok' | 'not-found'> {
    const peer = this.#peers.get(ref);
    const chat = peer?.offer?.chat;
    if (!peer || !chat || chat.ticket !== ticket) return 'not-found';
    this.#lapse(chat);
    return 'ok';
  }

  async lapseOffer(ref: string, chatRef: string, until: number): Promise<Withdrawn | undefined> {
    const chat = this.#chats.get(chatRef);
    const offer = chat?.offer;
    if (!chat || !offer || offer.peer.ref !== ref || offer.until !== until) return undefined;
    this.#lapse(chat);
    return this.#withdrawn(offer.peer, chat);
  }

  async peerRoute(ref: string, chatId: string): Promise<{ survivorSocket: string | undefined } | undefined> {
    const chat = this.#chatOfPeer(ref, chatId);
    return chat ? { survivorSocket: chat.survivor.socket } : undefined;
  }

  async endPeerChat(ref: string, chatId: string): Promise<Ended | 'not-found'> {
    const chat = this.#chatOfPeer(ref, chatId);
    return chat ? this.#end(chat, 'peer-ended') : 'not-found';
  }

  // ------------------------------------------------------------ blocking, colleagues, transfer

  async blockChat(ref: string, chatId: string, ms: number): Promise<Ended | 'not-found'> {
    const chat = this.#chatOfPeer(ref, chatId);
    if (!chat) return 'not-found';
    chat.survivor.blockedUntil = Date.now() + ms;
    return this.#end(chat, 'peer-ended');
  }

  async survivorBlocked(ref: string): Promise<boolean> {
    const session = this.#survivors.get(ref);
    return session !== undefined && this.#blocked(session);
  }

  async colleagues(): Promise<ColleagueEntry[]> {
    return [...this.#onDuty].flatMap((peer) =>
      peer.socket === undefined ? [] : [{ ref: peer.ref, name: peer.name, chats: peer.chats.size, maxChats: peer.maxChats }],
    );
  }

  async transfer(fromRef: string, chatId: string, toRef: string): Promise<Transferred | 'not-found' | 'colleague-unavailable'> {
    const chat = this.#chatOfPeer(fromRef, chatId);
    if (!chat?.peer) return 'not-found';
    const to = this.#peers.get(toRef);
    if (!to || to === chat.peer || !this.#onDuty.has(to) || to.socket === undefined || to.chats.size >= to.maxChats) return 'colleague-unavailable';
    chat.peer.chats.delete(chat.id);
    chat.peer = to;
    to.chats.add(chat.id);
    const supervisorSocket = this.#supervision.get(chat.id)?.socket;
    this.#supervision.delete(chat.id);
    // The new peer never asked for help: they may escalate again.
    this.#escalated.delete(chat.id);
    // Full now: their offer of someone else goes, as after an accept that fills the last place.
    let released: Withdrawn | undefined;
    if (to.offer && to.chats.size >= to.maxChats) {
      released = this.#withdrawn(to, to.offer.chat);
      this.#clearOffer(to.offer.chat);
    }
    return { chatId: chat.id, survivorName: chat.survivorName, survivorSocket: chat.survivor.socket, peerSocket: to.socket, peerName: to.name, released, supervisorSocket };
  }

  async peerAway(ref: string, socket: string): Promise<Away | undefined> {
    const peer = this.#peers.get(ref);
    if (!peer || peer.socket !== socket) return undefined;
    peer.socket = undefined;
    const dutyChanged = this.#onDuty.delete(peer);
    // Nobody is at that console now: the survivor goes on to the next peer.
    if (peer.offer) this.#clearOffer(peer.offer.chat);
    const tell = this.#chatsOf(peer).flatMap((chat) => (chat.survivor.socket ? [{ socket: chat.survivor.socket, chatId: chat.id }] : []));
    return { epoch: peer.epoch, tell, dutyChanged };
  }

  async expirePeer(ref: string, epoch: number): Promise<Requeued[] | undefined> {
    const peer = this.#peers.get(ref);
    if (!peer || peer.epoch !== epoch || peer.socket !== undefined) return undefined;
    const chats = this.#chatsOf(peer);
    this.#onDuty.delete(peer);
    this.#peers.delete(ref);
    // Each chat's supervisor, if any, is told that chat ended (the survivor's new one has none).
    const supervisors = new Map(chats.flatMap((old) => this.#supervisorOf(old)).map((told) => [told.survivor, told.supervisor] as const));
    // Never silently re-paired: each survivor is first in line again, with a new chat (new id
    // and ticket, so nothing of the old pairing reaches it) keeping the time they first came.
    const requeued = chats.map((old) => {
      this.#drop(old);
      const chat: Chat = { ...old, id: randomId(), ticket: randomId(), told: undefined, peer: undefined, offer: undefined, passed: new Set() };
      this.#chats.set(chat.id, chat);
      const lane = chat.urgent ? this.#urgent : this.#queue;
      const behind = [...lane];
      lane.clear();
      lane.set(chat.ticket, chat);
      for (const [ticket, waiting] of behind) lane.set(ticket, waiting);
      chat.survivor.chat = chat;
      return chat;
    });
    return requeued.map((chat) => ({ chatRef: chat.id, survivorSocket: chat.survivor.socket, figures: this.#figures(chat), supervisor: supervisors.get(chat.survivor) }));
  }

  // ----------------------------------------------------------------------------------- both

  async socketOf(side: Side, ref: string): Promise<string | undefined> {
    return (side === 'survivor' ? this.#survivors.get(ref) : this.#peers.get(ref))?.socket;
  }

  async queueSnapshot(): Promise<QueueSnapshot> {
    const entries = [...this.#urgent.values(), ...this.#queue.values()].map((chat) => ({
      chatRef: chat.id,
      ticket: chat.ticket,
      survivorName: chat.survivorName,
      queuedAt: chat.queuedAt,
      survivorSocket: chat.survivor.socket,
      told: chat.told,
      urgent: chat.urgent,
      topic: chat.topic,
      language: chat.language,
      offer: chat.offer ? { peer: chat.offer.peer.ref, until: chat.offer.until } : undefined,
      passed: [...chat.passed],
    }));
    const peers = [...this.#onDuty].flatMap((peer) =>
      peer.socket === undefined
        ? []
        : [
            {
              ref: peer.ref,
              socket: peer.socket,
              topics: [...peer.topics],
              languages: [...peer.languages],
              chats: peer.chats.size,
              maxChats: peer.maxChats,
              offer: peer.offer ? { chatRef: peer.offer.chat.id, until: peer.offer.until } : undefined,
              lastOfferAt: peer.lastOfferAt,
            },
          ],
    );
    return { now: Date.now(), peersOnDuty: this.#onDuty.size, acceptGapMs: this.#acceptGapMs, entries, peers };
  }

  async markTold(told: ReadonlyArray<readonly [string, string]>): Promise<void> {
    for (const [chatRef, key] of told) {
      const chat = this.#chats.get(chatRef);
      if (chat) chat.told = key;
    }
  }

  /** Every chat's reference, for ending them all when this (only) relay closes. */
  chatRefs(): string[] {
    return [...this.#chats.keys()];
  }

  /** Ends one chat because the relay is closing; both sides still connected are told. */
  endForClosing(chatRef: string): Ended | undefined {
    const chat = this.#chats.get(chatRef);
    return chat ? this.#end(chat, 'relay-closing') : undefined;
  }

  async close(): Promise<void> {}

  // ---------------------------------------------------------------------------- supervision

  async markSupervisor(ref: string): Promise<void> {
    const peer = this.#peers.get(ref);
    if (peer) this.#supervisors.add(peer);
  }

  async escalate(ref: string, chatId: string): Promise<{ supervisorsOnDuty: number; fresh: boolean } | 'not-found'> {
    const chat = this.#chatOfPeer(ref, chatId);
    if (!chat) return 'not-found';
    // The first asking counts: the board shows how long the peer has waited for help.
    const fresh = !this.#escalated.has(chat.id);
    if (fresh) this.#escalated.set(chat.id, Date.now());
    return { supervisorsOnDuty: this.#supervisorsConnected(chat.peer), fresh };
  }

  async boardFigures(): Promise<BoardFigures> {
    const waiting = [...this.#urgent.values(), ...this.#queue.values()];
    const oldest = waiting.reduce<number | undefined>((at, chat) => (at === undefined || chat.queuedAt < at ? chat.queuedAt : at), undefined);
    const escalations = [...this.#escalated].flatMap(([chatId, since]) => {
      const chat = this.#chats.get(chatId);
      return chat?.peer ? [{ chatId, peerName: chat.peer.name, survivorName: chat.survivorName, since }] : [];
    });
    escalations.sort((a, b) => a.since - b.since);
    return {
      now: Date.now(),
      waiting: waiting.length,
      oldestQueuedAt: oldest,
      activeChats: this.#chats.size - waiting.length,
      peersOnDuty: this.#onDuty.size,
      supervisors: this.#supervisorsConnected(),
      escalations,
    };
  }

  async joinSupervision(ref: string, socket: string, chatId: string): Promise<SupervisionJoined | 'not-found'> {
    const supervisor = this.#peers.get(ref);
    const chat = this.#chats.get(chatId);
    // Only an escalated chat, and never one's own: a supervisor's own chats are theirs as a peer.
    // Through their live connection only: a join that lands after that connection went would
    // leave a supervisor on the chat whom nobody is told has left.
    if (!supervisor || supervisor.socket !== socket || !chat?.peer || !this.#escalated.has(chatId) || chat.peer === supervisor) return 'not-found';
    const replaced = this.#supervision.get(chatId);
    this.#supervision.set(chatId, { peer: supervisor, socket });
    this.#escalated.delete(chatId);
    return {
      chatId,
      peerName: chat.peer.name,
      survivorName: chat.survivorName,
      peerSocket: chat.peer.socket,
      survivorSocket: chat.survivor.socket,
      replacedSocket: replaced && replaced.socket !== socket ? replaced.socket : undefined,
    };
  }

  async leaveSupervision(ref: string, chatId: string): Promise<SupervisionParties | 'not-found'> {
    const chat = this.#chats.get(chatId);
    if (!chat || this.#supervision.get(chatId)?.peer.ref !== ref) return 'not-found';
    this.#supervision.delete(chatId);
    return { chatId, peerSocket: chat.peer?.socket, survivorSocket: chat.survivor.socket };
  }

  async supervisorGone(ref: string, socket: string): Promise<SupervisionParties[]> {
    const left: SupervisionParties[] = [];
    for (const [chatId, supervision] of this.#supervision) {
      const chat = this.#chats.get(chatId);
      if (supervision.peer.ref !== ref || supervision.socket !== socket) continue;
      this.#supervision.delete(chatId);
      if (chat) left.push({ chatId, peerSocket: chat.peer?.socket, survivorSocket: chat.survivor.socket });
    }
    return left;
  }

  async supervisionRoute(ref: string, chatId: string): Promise<{ to: string | undefined } | undefined> {
    const chat = this.#chats.get(chatId);
    const supervision = this.#supervision.get(chatId);
    if (!chat?.peer || !supervision) return undefined;
    if (this.#chatOfPeer(ref, chatId)) return { to: supervision.socket };
    if (supervision.peer.ref === ref) return { to: chat.peer.socket };
    return undefined;
  }

  // -------------------------------------------------------------------------------- private

  #blocked(session: SurvivorSession): boolean {
    return session.blockedUntil !== undefined && session.blockedUntil > Date.now();
  }

  #figures(chat: Chat): QueueFigures {
    let position = 0;
    for (const waiting of [...this.#urgent.values(), ...this.#queue.values()]) {
      position += 1;
      if (waiting === chat) break;
    }
    return { position, peersOnDuty: this.#onDuty.size, acceptGapMs: this.#acceptGapMs };
  }

  /**
   * The chat with this id if, and only if, this peer is in it. Every peer request goes through
   * here: knowing a chat id grants nothing unless the relay itself put the peer in that chat.
   */
  #chatOfPeer(ref: string, chatId: string): Chat | undefined {
    const peer = this.#peers.get(ref);
    if (!peer?.chats.has(chatId)) return undefined;
    const chat = this.#chats.get(chatId);
    return chat?.peer === peer ? chat : undefined;
  }

  /** Supervisors signed in and connected, but for `except` (a supervisor asking about a chat of their own). */
  #supervisorsConnected(except?: Peer): number {
    let count = 0;
    for (const peer of this.#peers.values()) if (peer !== except && peer.socket !== undefined && this.#supervisors.has(peer)) count += 1;
    return count;
  }

  /** The supervisor of `chat`, keyed by its survivor's session (whose new chat the relay tells apart). */
  #supervisorOf(chat: Chat): Array<{ survivor: SurvivorSession; supervisor: { socket: string; chatId: string } }> {
    const supervision = this.#supervision.get(chat.id);
    return supervision ? [{ survivor: chat.survivor, supervisor: { socket: supervision.socket, chatId: chat.id } }] : [];
  }

  #chatsOf(peer: Peer): Chat[] {
    return [...peer.chats].flatMap((id) => this.#chats.get(id) ?? []);
  }

  /** Ends a chat: whoever did not end it is told now (a socket to emit to) or when they come back. */
  #end(chat: Chat, reason: EndReason): Ended {
    const told = toldOfEnd(reason);
    let survivorSocket: string | undefined;
    let peerSocket: string | undefined;
    if (told.survivor) {
      if (chat.survivor.socket) survivorSocket = chat.survivor.socket;
      else chat.survivor.ended = reason;
    }
    const peer = chat.peer;
    if (peer && told.peer) {
      if (peer.socket) peerSocket = peer.socket;
      else peer.ended.push({ chatId: chat.id, reason });
    }
    const offered = chat.offer?.peer;
    const withdrawn = offered ? this.#withdrawn(offered, chat) : undefined;
    const supervisorSocket = this.#supervision.get(chat.id)?.socket;
    const wasWaiting = this.#drop(chat);
    return { chatId: chat.id, survivorSocket, peerSocket, wasWaiting, ...(withdrawn ? { withdrawn } : {}), ...(supervisorSocket ? { supervisorSocket } : {}) };
  }

  /** The peer to tell that their offer of `chat` is over. */
  #withdrawn(peer: Peer, chat: Chat): Withdrawn {
    return { peer: peer.ref, socket: peer.socket, ticket: chat.ticket };
  }

  /** The offer of `chat` is over unanswered (declined, or run out): its peer counts as having passed on it. */
  #lapse(chat: Chat): void {
    if (chat.offer) chat.passed.add(chat.offer.peer.ref);
    this.#clearOffer(chat);
  }

  /** Ends the offer of `chat`, on both sides. */
  #clearOffer(chat: Chat): void {
    const peer = chat.offer?.peer;
    if (peer?.offer?.chat === chat) peer.offer = undefined;
    chat.offer = undefined;
  }

  /** Forgets everything about a chat. Returns whether it was waiting (the queue changed). */
  #drop(chat: Chat): boolean {
    this.#clearOffer(chat);
    this.#chats.delete(chat.id);
    this.#escalated.delete(chat.id);
    this.#supervision.delete(chat.id);
    if (chat.survivor.chat === chat) chat.survivor.chat = undefined;
    chat.peer?.chats.delete(chat.id);
    const wasUrgent = this.#urgent.delete(chat.ticket);
    return this.#queue.delete(chat.ticket) || wasUrgent;
  }
}
