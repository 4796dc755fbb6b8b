// SPDX-License-Identifier: Apache-2.0
/**
 * What every handler works with: the state, the two namespaces, and the few operations that
 * touch both sides of a chat (ending it, delivering a message, telling the queue).
 * Events always go to one socket id chosen by the relay, never to a room a client named.
 */
import type {
  EndReason,
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
}

export function createContext(
  config: RelayConfig,
  state: MemoryState,
  survivors: SurvivorNamespace,
  peers: PeerNamespace,
  log: Logger,
): RelayContext {
  let broadcastPending = false;

  const broadcastQueue = () => {
    broadcastPending = false;
    const now = Date.now();
    const entries = [];
    let position = 0;
    for (const chat of state.waiting()) {
      position += 1;
      if (chat.toldPosition !== position) {
        chat.toldPosition = position;
        survivors.to(chat.survivorSocket).emit('queue:updated', { position });
      }
      if (entries.length < limits.queueEntriesShown) {
        entries.push({ ticket: chat.ticket, survivorName: chat.survivorName, waitedMs: now - chat.queuedAt });
      }
    }
    peers.to(onDutyRoom).emit('queue:updated', { total: state.waitingCount, entries });
  };

  const context: RelayContext = {
    config,
    state,
    survivors,
    peers,
    log,

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
      const timeout = config.deliveryTimeoutMs;
      // A broadcast ack to one socket id answers with one response when it arrived, none when
      // that socket had gone; only a real confirmation marks the message delivered.
      if (from === 'survivor') {
        peers
          .to(peer.socketId)
          .timeout(timeout)
          .emit('message:received', { chatId: chat.id, ...message }, (error: Error | null, responses: true[]) => {
            if (!error && responses.length === 1 && responses[0] === true) {
              survivors.to(chat.survivorSocket).emit('message:delivered', { id: message.id });
            }
          });
      } else {
        survivors
          .to(chat.survivorSocket)
          .timeout(timeout)
          .emit('message:received', message, (error: Error | null, responses: true[]) => {
            if (!error && responses.length === 1 && responses[0] === true) {
              peers.to(peer.socketId).emit('message:delivered', { chatId: chat.id, id: message.id });
            }
          });
      }
    },
  };
  return context;
}
