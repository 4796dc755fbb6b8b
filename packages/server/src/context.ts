// SPDX-License-Identifier: Apache-2.0
/**
 * What every handler works with: the state, the two namespaces, and the few operations that
 * touch both sides of a chat (ending it, delivering a message, telling the queue).
 * Events always go to one socket id chosen by the relay, never to a room a client named.
 */
import type {
  EndReason,
  QueueStatus,
  Resource,
  PeerClientEvents,
  PeerServerEvents,
  SurvivorClientEvents,
  SurvivorServerEvents,
} from '@kindred/protocol';
import { limits } from '@kindred/protocol';
import type { Namespace, Socket } from 'socket.io';
import type { RelayConfig } from './config.js';
import type { Logger } from './log.js';
import type { Chat, MemoryState } from './state/memory.js';

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
  /** Tells waiting survivors their positions and on-duty peers the list, once per tick. */
  queueChanged(): void;
  /** Ends a chat: tells whoever did not end it, then forgets everything about it. */
  endChat(chat: Chat, reason: EndReason): void;
  /** Sends a message to the other side of an active chat; marks it delivered once their client confirms. */
  deliver(chat: Chat, from: 'survivor' | 'peer', message: { id: string; text: string; sentAt: number }): void;
  /** Sends a resources card from the peer to the survivor, marked delivered like a message. */
  shareResource(chat: Chat, card: { id: string; resource: Resource; sentAt: number }): void;
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
      if (chat.told !== told) {
        chat.told = told;
        survivors.to(chat.survivorSocket).emit('queue:updated', status);
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

    queueChanged() {
      if (broadcastPending) return;
      broadcastPending = true;
      // Coalesce: a burst of joins and leaves in one tick costs one broadcast.
      setImmediate(broadcastQueue);
    },

    endChat(chat, reason) {
      const tellSurvivor = !reason.startsWith('survivor-');
      const tellPeer = !reason.startsWith('peer-');
      if (tellSurvivor) survivors.to(chat.survivorSocket).emit('chat:ended', { reason });
      if (tellPeer && chat.peer) peers.to(chat.peer.socketId).emit('chat:ended', { chatId: chat.id, reason });
      if (state.drop(chat)) context.queueChanged();
    },

    deliver(chat, from, message) {
      const peer = chat.peer;
      if (!peer) return;
      const { id } = message;
      if (from === 'survivor') {
        peers
          .to(peer.socketId)
          .timeout(config.deliveryTimeoutMs)
          .emit('message:received', { chatId: chat.id, ...message }, onConfirmed(() => {
            survivors.to(chat.survivorSocket).emit('message:delivered', { id });
          }));
      } else {
        survivors
          .to(chat.survivorSocket)
          .timeout(config.deliveryTimeoutMs)
          .emit('message:received', message, onConfirmed(() => {
            peers.to(peer.socketId).emit('message:delivered', { chatId: chat.id, id });
          }));
      }
    },

    shareResource(chat, card) {
      const peer = chat.peer;
      if (!peer) return;
      const { id } = card;
      survivors
        .to(chat.survivorSocket)
        .timeout(config.deliveryTimeoutMs)
        .emit('resource:shared', card, onConfirmed(() => {
          peers.to(peer.socketId).emit('message:delivered', { chatId: chat.id, id });
        }));
    },
  };
  return context;
}
