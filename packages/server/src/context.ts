// SPDX-License-Identifier: Apache-2.0
/**
 * What every handler works with: the state, the two namespaces, and the few operations that
 * touch both sides of a chat (ending it, delivering a message, telling the queue).
 * Events always go to one socket id chosen by the relay, never to a room a client named; a
 * person who is away (connection dropped, within the grace period) has no socket id, and
 * what would have gone to them is not kept: their counterpart's outbox resends it.
 */
import type {
  EndReason,
  PeerClientEvents,
  PeerServerEvents,
  QueueStatus,
  RelayedMessage,
  SharedResource,
  SurvivorClientEvents,
  SurvivorServerEvents,
} from '@kindred/protocol';
import { limits } from '@kindred/protocol';
import type { BroadcastOperator, Namespace, Socket } from 'socket.io';
import type { RelayConfig } from './config.js';
import type { Logger } from './log.js';
import type { Chat, MemoryState, Peer, SurvivorSession } from './state/memory.js';

export type SurvivorNamespace = Namespace<SurvivorClientEvents, SurvivorServerEvents>;
export type PeerNamespace = Namespace<PeerClientEvents, PeerServerEvents>;
export type SurvivorSocket = Socket<SurvivorClientEvents, SurvivorServerEvents>;
export type PeerSocket = Socket<PeerClientEvents, PeerServerEvents>;

/** A queue status as one comparable string, so a survivor is only told what changed. */
export function queueStatusKey(status: QueueStatus): string {
  return `${status.position}/${status.peersOnDuty}/${status.estimateMinutes}`;
}

/** Room of the peers who are on duty and so see the waiting list. */
export const onDutyRoom = 'on-duty';

export interface RelayContext {
  readonly config: RelayConfig;
  readonly state: MemoryState;
  readonly survivors: SurvivorNamespace;
  readonly peers: PeerNamespace;
  readonly log: Logger;
  /** The survivor's connection, or undefined while they are away. */
  toSurvivor(session: SurvivorSession): BroadcastOperator<SurvivorServerEvents, unknown> | undefined;
  /** The peer's connection, or undefined while they are away. */
  toPeer(peer: Peer): BroadcastOperator<PeerServerEvents, unknown> | undefined;
  /** Tells waiting survivors their positions and on-duty peers the list, once per tick. */
  queueChanged(): void;
  /** Ends a chat: tells whoever did not end it (now, or when they come back), then forgets it. */
  endChat(chat: Chat, reason: EndReason): void;
  /** Sends a message to the other side of an active chat; marks it delivered once their client confirms. */
  deliver(chat: Chat, from: 'survivor' | 'peer', message: RelayedMessage): void;
  /** Sends a resources card from the peer to the survivor, marked delivered like a message. */
  shareResource(chat: Chat, card: SharedResource): void;
  /** Where a waiting survivor stands: position, peers on duty, estimate. */
  queueStatus(position: number): QueueStatus;
}

export function createContext(
  config: RelayConfig,
  state: MemoryState,
  survivors: SurvivorNamespace,
  peers: PeerNamespace,
  log: Logger,
): RelayContext {
  let broadcastPending = false;

  const toSurvivor = (session: SurvivorSession) => (session.socketId === undefined ? undefined : survivors.to(session.socketId));
  const toPeer = (peer: Peer) => (peer.socketId === undefined ? undefined : peers.to(peer.socketId));

  const queueStatus = (position: number): QueueStatus => ({
    position,
    peersOnDuty: state.peersOnDuty,
    estimateMinutes: state.estimateMinutes(position),
  });

  const broadcastQueue = () => {
    broadcastPending = false;
    const now = Date.now();
    const entries = [];
    let position = 0;
    for (const chat of state.waiting()) {
      position += 1;
      const status = queueStatus(position);
      const told = queueStatusKey(status);
      const channel = toSurvivor(chat.survivor);
      if (channel && chat.told !== told) {
        chat.told = told;
        channel.emit('queue:updated', status);
      }
      if (entries.length < limits.queueEntriesShown) {
        entries.push({ ticket: chat.ticket, survivorName: chat.survivorName, waitedMs: now - chat.queuedAt });
      }
    }
    peers.to(onDutyRoom).emit('queue:updated', { total: state.waitingCount, entries });
  };

  /**
   * A broadcast ack to one socket id answers with one response when it arrived and none when
   * that socket had gone: only a real confirmation counts. The callback keeps nothing of the
   * message but what `confirmed` closes over (an id), so no text outlives its delivery.
   */
  const onConfirmed = (confirmed: () => void) => (error: Error | null, responses: true[]) => {
    if (!error && responses.length === 1 && responses[0] === true) confirmed();
  };

  const context: RelayContext = {
    config,
    state,
    survivors,
    peers,
    log,
    queueStatus,
    toSurvivor,
    toPeer,

    queueChanged() {
      if (broadcastPending) return;
      broadcastPending = true;
      // Coalesce: a burst of joins and leaves in one tick costs one broadcast.
      setImmediate(broadcastQueue);
    },

    endChat(chat, reason) {
      if (!reason.startsWith('survivor-')) {
        const channel = toSurvivor(chat.survivor);
        if (channel) channel.emit('chat:ended', { reason });
        else chat.survivor.endedWhileAway = reason;
      }
      const peer = chat.peer;
      if (peer && !reason.startsWith('peer-')) {
        const channel = toPeer(peer);
        if (channel) channel.emit('chat:ended', { chatId: chat.id, reason });
        else peer.endedWhileAway.push({ chatId: chat.id, reason });
      }
      if (state.drop(chat)) context.queueChanged();
    },

    deliver(chat, from, message) {
      const peer = chat.peer;
      if (!peer) return;
      const { id } = message;
      // Resolved when the confirmation comes, so it reaches the sender's connection of that moment.
      if (from === 'survivor') {
        toPeer(peer)
          ?.timeout(config.deliveryTimeoutMs)
          .emit('message:received', { chatId: chat.id, ...message }, onConfirmed(() => {
            toSurvivor(chat.survivor)?.emit('message:delivered', { id });
          }));
      } else {
        toSurvivor(chat.survivor)
          ?.timeout(config.deliveryTimeoutMs)
          .emit('message:received', message, onConfirmed(() => {
            toPeer(peer)?.emit('message:delivered', { chatId: chat.id, id });
          }));
      }
    },

    shareResource(chat, card) {
      const peer = chat.peer;
      if (!peer) return;
      const { id } = card;
      toSurvivor(chat.survivor)
        ?.timeout(config.deliveryTimeoutMs)
        .emit('resource:shared', card, onConfirmed(() => {
          toPeer(peer)?.emit('message:delivered', { chatId: chat.id, id });
        }));
    },
  };
  return context;
}
