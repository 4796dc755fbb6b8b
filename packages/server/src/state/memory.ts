// SPDX-License-Identifier: Apache-2.0
/**
 * The relay's state, in memory: the queue, the chats, and the sessions of survivors and peers.
 * Pure bookkeeping with no sockets in it, so the pairing rules live in one place. It never
 * holds message text: a chat is who is in it and since when, and everything about it is
 * dropped when it ends.
 */
import type { EndReason, ErrorCode, PeerClaims } from '@kindred/protocol';
import { randomId, randomPseudonym } from '../ids.js';

/**
 * A survivor's session: one tab's worth of being a survivor. It outlives a dropped connection
 * by the grace period, so a reload, a network blip or a move to another page of the hospital
 * site takes the same chat back with the session's `resume` token.
 */
export interface SurvivorSession {
  /** Unguessable; held by the survivor's frame in sessionStorage, nowhere else. */
  readonly resume: string;
  /** The connection now, or undefined while away (within the grace period). */
  socketId: string | undefined;
  /** The chat (waiting or active), if any. */
  chat: Chat | undefined;
  /** Why the chat ended while this survivor was away: told when they come back. */
  endedWhileAway: EndReason | undefined;
}

export interface Chat {
  /** Unguessable id; the peer uses it to address the chat, the survivor never sees it. */
  readonly id: string;
  /** Single-use handle on the waiting list; peers accept by ticket, not by chat id. */
  readonly ticket: string;
  readonly survivorName: string;
  readonly survivor: SurvivorSession;
  readonly queuedAt: number;
  /** Said "not safe" or "not sure": waits ahead of everyone who did not. Memory only. */
  readonly urgent: boolean;
  /** The last queue status the survivor was told, so an unchanged one is not resent. */
  told?: string;
  peer?: Peer;
}

/** A peer's session: outlives a dropped connection or a console reload by the grace period. */
export interface Peer {
  /** Unguessable; held by the console in sessionStorage, nowhere else. */
  readonly resume: string;
  /** The connection now, or undefined while away (within the grace period). */
  socketId: string | undefined;
  readonly name: string;
  readonly maxChats: number;
  onDuty: boolean;
  readonly chats: Set<string>;
  /** Chats that ended while this peer was away: told when they come back. */
  readonly endedWhileAway: Array<{ chatId: string; reason: EndReason }>;
}

/** How much each new gap between accepts moves the average (exponential moving average). */
const gapWeight = 0.3;

export class MemoryState {
  readonly #chats = new Map<string, Chat>();
  // Two lanes, each a Map whose insertion order is its FIFO order: survivors who said they
  // are not safe (or not sure) are served first, in the order they came.
  readonly #urgent = new Map<string, Chat>();
  readonly #queue = new Map<string, Chat>();
  readonly #survivors = new Map<string, SurvivorSession>();
  readonly #peers = new Map<string, Peer>();
  readonly #onDuty = new Set<Peer>();
  // Throughput, for wait estimates: how long it has recently taken for the next person in
  // line to be accepted. An aggregate of the whole relay; nothing about any one chat.
  #lastAcceptAt: number | undefined;
  #acceptGapMs: number | undefined;

  /** A new survivor session for a connection. */
  addSurvivor(socketId: string): SurvivorSession {
    const session: SurvivorSession = { resume: randomId(), socketId, chat: undefined, endedWhileAway: undefined };
    this.#survivors.set(session.resume, session);
    return session;
  }

  /** The survivor session a resume token names, if the relay still has it. */
  survivorByResume(resume: string): SurvivorSession | undefined {
    return this.#survivors.get(resume);
  }

  /** Forgets a survivor session; its chat must already be dropped. */
  removeSurvivor(session: SurvivorSession): void {
    this.#survivors.delete(session.resume);
  }

  /** Puts a new chat for this survivor at the back of its lane. */
  enqueue(survivor: SurvivorSession, now: number, urgent = false): Chat {
    const chat: Chat = { id: randomId(), ticket: randomId(), survivorName: randomPseudonym(), survivor, queuedAt: now, urgent };
    this.#chats.set(chat.id, chat);
    (urgent ? this.#urgent : this.#queue).set(chat.ticket, chat);
    survivor.chat = chat;
    return chat;
  }

  /**
   * A survivor whose peer never came back: a new chat (new id and ticket, so nothing of the old
   * pairing reaches it) at the front of their lane, keeping the time they first came.
   */
  requeue(old: Chat): Chat {
    this.drop(old);
    const chat: Chat = { ...old, id: randomId(), ticket: randomId(), told: undefined, peer: undefined };
    this.#chats.set(chat.id, chat);
    const lane = chat.urgent ? this.#urgent : this.#queue;
    const behind = [...lane];
    lane.clear();
    lane.set(chat.ticket, chat);
    for (const [ticket, waiting] of behind) lane.set(ticket, waiting);
    chat.survivor.chat = chat;
    return chat;
  }

  /** Waiting chats, first in line first. */
  *waiting(): IterableIterator<Chat> {
    yield* this.#urgent.values();
    yield* this.#queue.values();
  }

  get waitingCount(): number {
    return this.#urgent.size + this.#queue.size;
  }

  get peersOnDuty(): number {
    return this.#onDuty.size;
  }

  setOnDuty(peer: Peer, onDuty: boolean): void {
    peer.onDuty = onDuty;
    if (onDuty) this.#onDuty.add(peer);
    else this.#onDuty.delete(peer);
  }

  /**
   * A rough wait for whoever is at `position`, in minutes: position × the recent time between
   * accepts. Null when nobody is on duty or the relay has not yet seen enough to say.
   */
  estimateMinutes(position: number): number | null {
    if (this.#onDuty.size === 0 || this.#acceptGapMs === undefined) return null;
    return Math.max(1, Math.round((position * this.#acceptGapMs) / 60_000));
  }

  /** 1-based queue position, or 0 when the chat is not waiting. */
  positionOf(chat: Chat): number {
    let position = 0;
    for (const waiting of this.waiting()) {
      position += 1;
      if (waiting === chat) return position;
    }
    return 0;
  }

  addPeer(socketId: string, claims: PeerClaims): Peer {
    const peer: Peer = {
      resume: randomId(),
      socketId,
      name: claims.name,
      maxChats: claims.maxChats,
      onDuty: false,
      chats: new Set(),
      endedWhileAway: [],
    };
    this.#peers.set(peer.resume, peer);
    return peer;
  }

  /** The peer session a resume token names, if the relay still has it. */
  peerByResume(resume: string): Peer | undefined {
    return this.#peers.get(resume);
  }

  /** Forgets a peer session; its chats must already be dropped or requeued. */
  removePeer(peer: Peer): void {
    this.#onDuty.delete(peer);
    this.#peers.delete(peer.resume);
  }

  /**
   * The chat with this id if, and only if, this peer is in it. Every peer request goes through
   * here: knowing a chat id grants nothing unless the relay itself put the peer in that chat.
   */
  chatOfPeer(peer: Peer, chatId: string): Chat | undefined {
    if (!peer.chats.has(chatId)) return undefined;
    const chat = this.#chats.get(chatId);
    return chat?.peer === peer ? chat : undefined;
  }

  /** Chats this peer is in. */
  chatsOfPeer(peer: Peer): Chat[] {
    return [...peer.chats].flatMap((id) => this.#chats.get(id) ?? []);
  }

  /** Pairs the waiting survivor behind `ticket` with `peer`, or says why not. */
  accept(peer: Peer, ticket: string, now: number): Chat | ErrorCode {
    if (!peer.onDuty) return 'not-on-duty';
    if (peer.chats.size >= peer.maxChats) return 'capacity-reached';
    const chat = this.#urgent.get(ticket) ?? this.#queue.get(ticket);
    if (!chat) return 'not-found';
    this.#urgent.delete(ticket);
    this.#queue.delete(ticket);
    chat.peer = peer;
    peer.chats.add(chat.id);
    // The gap this accept closed: since the previous accept, or since this survivor came if
    // that is shorter (time with nobody waiting says nothing about how fast peers answer).
    const gap = Math.min(now - (this.#lastAcceptAt ?? chat.queuedAt), now - chat.queuedAt);
    this.#acceptGapMs = this.#acceptGapMs === undefined ? gap : this.#acceptGapMs + gapWeight * (gap - this.#acceptGapMs);
    this.#lastAcceptAt = now;
    return chat;
  }

  /** Forgets everything about a chat. Returns whether it was waiting (the queue changed). */
  drop(chat: Chat): boolean {
    this.#chats.delete(chat.id);
    if (chat.survivor.chat === chat) chat.survivor.chat = undefined;
    chat.peer?.chats.delete(chat.id);
    const wasUrgent = this.#urgent.delete(chat.ticket);
    return this.#queue.delete(chat.ticket) || wasUrgent;
  }

  /** Every chat, for shutting down. */
  allChats(): Chat[] {
    return [...this.#chats.values()];
  }

  /** Sizes only: what tests and health checks may see. */
  get counts(): { chats: number; waiting: number; peers: number; survivors: number } {
    return { chats: this.#chats.size, waiting: this.waitingCount, peers: this.#peers.size, survivors: this.#survivors.size };
  }
}
