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
  /** Last position the survivor was told, so unchanged positions are not resent. */
  toldPosition?: number;
  peer?: { readonly socketId: string; readonly name: string };
}

export interface Peer {
  readonly socketId: string;
  readonly name: string;
  readonly maxChats: number;
  onDuty: boolean;
  readonly chats: Set<string>;
}

export class MemoryState {
  readonly #chats = new Map<string, Chat>();
  // Map keeps insertion order, which is the queue's FIFO order.
  readonly #queue = new Map<string, Chat>();
  readonly #chatOfSurvivor = new Map<string, Chat>();
  readonly #peers = new Map<string, Peer>();

  /** Puts a new chat for this survivor connection at the back of the queue. */
  enqueue(survivorSocket: string, now: number): Chat {
    const chat: Chat = {
      id: randomId(),
      ticket: randomId(),
      survivorName: randomPseudonym(),
      survivorSocket,
      queuedAt: now,
    };
    this.#chats.set(chat.id, chat);
    this.#queue.set(chat.ticket, chat);
    this.#chatOfSurvivor.set(survivorSocket, chat);
    return chat;
  }

  /** The chat (waiting or active) of a survivor connection. */
  chatOfSurvivor(survivorSocket: string): Chat | undefined {
    return this.#chatOfSurvivor.get(survivorSocket);
  }

  /** Waiting chats, first in line first. */
  waiting(): IterableIterator<Chat> {
    return this.#queue.values();
  }

  get waitingCount(): number {
    return this.#queue.size;
  }

  /** 1-based queue position, or 0 when the chat is not waiting. */
  positionOf(chat: Chat): number {
    let position = 0;
    for (const waiting of this.#queue.values()) {
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

  peer(socketId: string): Peer | undefined {
    return this.#peers.get(socketId);
  }

  removePeer(socketId: string): void {
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
  accept(peer: Peer, ticket: string): Chat | ErrorCode {
    if (!peer.onDuty) return 'not-on-duty';
    if (peer.chats.size >= peer.maxChats) return 'capacity-reached';
    const chat = this.#queue.get(ticket);
    if (!chat) return 'not-found';
    this.#queue.delete(ticket);
    chat.peer = { socketId: peer.socketId, name: peer.name };
    peer.chats.add(chat.id);
    return chat;
  }

  /** Forgets everything about a chat. Returns whether it was waiting (the queue changed). */
  drop(chat: Chat): boolean {
    this.#chats.delete(chat.id);
    this.#chatOfSurvivor.delete(chat.survivorSocket);
    if (chat.peer) this.#peers.get(chat.peer.socketId)?.chats.delete(chat.id);
    return this.#queue.delete(chat.ticket);
  }

  /** Every chat, for shutting down. */
  allChats(): Chat[] {
    return [...this.#chats.values()];
  }

  /** Sizes only: what tests and health checks may see. */
  get counts(): { chats: number; waiting: number; peers: number } {
    return { chats: this.#chats.size, waiting: this.#queue.size, peers: this.#peers.size };
  }
}
