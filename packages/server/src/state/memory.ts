// SPDX-License-Identifier: Apache-2.0
/**
 * The relay's state, in memory: the queue, the chats and the peers. Pure bookkeeping with no
 * sockets in it, so the pairing rules live in one place. It never holds message text: a chat
 * is who is in it and since when, and everything about it is dropped when it ends.
 */
import type { ErrorCode, PeerClaims } from '@kindred/protocol';
import { randomId, randomPseudonym } from '../ids.js';

export interface Chat {
  /** Unguessable id; the peer uses it to address the chat, the survivor never sees it. */
  readonly id: string;
  /** Single-use handle on the waiting list; peers accept by ticket, not by chat id. */
  readonly ticket: string;
  readonly survivorName: string;
  readonly survivorSocket: string;
  readonly queuedAt: number;
  /** Said "not safe" or "not sure": waits ahead of everyone who did not. Memory only. */
  readonly urgent: boolean;
  /** The last queue status the survivor was told, so an unchanged one is not resent. */
  told?: string;
  peer?: { readonly socketId: string; readonly name: string };
}

export interface Peer {
  readonly socketId: string;
  readonly name: string;
  readonly maxChats: number;
  onDuty: boolean;
  readonly chats: Set<string>;
}

/** How much each new gap between accepts moves the average (exponential moving average). */
const gapWeight = 0.3;

export class MemoryState {
  readonly #chats = new Map<string, Chat>();
  // Two lanes, each a Map whose insertion order is its FIFO order: survivors who said they
  // are not safe (or not sure) are served first, in the order they came.
  readonly #urgent = new Map<string, Chat>();
  readonly #queue = new Map<string, Chat>();
  readonly #chatOfSurvivor = new Map<string, Chat>();
  readonly #peers = new Map<string, Peer>();
  readonly #onDuty = new Set<Peer>();
  // Throughput, for wait estimates: how long it has recently taken for the next person in
  // line to be accepted. An aggregate of the whole relay; nothing about any one chat.
  #lastAcceptAt: number | undefined;
  #acceptGapMs: number | undefined;

  /** Puts a new chat for this survivor connection at the back of its lane. */
  enqueue(survivorSocket: string, now: number, urgent = false): Chat {
    const chat: Chat = {
      id: randomId(),
      ticket: randomId(),
      survivorName: randomPseudonym(),
      survivorSocket,
      queuedAt: now,
      urgent,
    };
    this.#chats.set(chat.id, chat);
    (urgent ? this.#urgent : this.#queue).set(chat.ticket, chat);
    this.#chatOfSurvivor.set(survivorSocket, chat);
    return chat;
  }

  /** The chat (waiting or active) of a survivor connection. */
  chatOfSurvivor(survivorSocket: string): Chat | undefined {
    return this.#chatOfSurvivor.get(survivorSocket);
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
    const peer: Peer = { socketId, name: claims.name, maxChats: claims.maxChats, onDuty: false, chats: new Set() };
    this.#peers.set(socketId, peer);
    return peer;
  }

  removePeer(socketId: string): void {
    const peer = this.#peers.get(socketId);
    if (peer) this.#onDuty.delete(peer);
    this.#peers.delete(socketId);
  }

  /**
   * The chat with this id if, and only if, this peer is in it. Every peer request goes through
   * here: knowing a chat id grants nothing unless the relay itself put the peer in that chat.
   */
  chatOfPeer(peer: Peer, chatId: string): Chat | undefined {
    if (!peer.chats.has(chatId)) return undefined;
    const chat = this.#chats.get(chatId);
    return chat?.peer?.socketId === peer.socketId ? chat : undefined;
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
    chat.peer = { socketId: peer.socketId, name: peer.name };
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
    this.#chatOfSurvivor.delete(chat.survivorSocket);
    if (chat.peer) this.#peers.get(chat.peer.socketId)?.chats.delete(chat.id);
    const wasUrgent = this.#urgent.delete(chat.ticket);
    return this.#queue.delete(chat.ticket) || wasUrgent;
  }

  /** Every chat, for shutting down. */
  allChats(): Chat[] {
    return [...this.#chats.values()];
  }

  /** Sizes only: what tests and health checks may see. */
  get counts(): { chats: number; waiting: number; peers: number } {
    return { chats: this.#chats.size, waiting: this.waitingCount, peers: this.#peers.size };
  }
}
