// SPDX-License-Identifier: Apache-2.0
/**
 * Coming and going: what happens when a survivor's or a peer's connection drops, comes back
 * within the grace period, or does not. The relay holds no message while someone is away;
 * it tells the other side, whose outbox holds the undelivered messages and resends them when
 * told the person is back.
 */
import type { PeerSession, SurvivorChatView, SurvivorSession as SurvivorSessionView } from '@kindred/protocol';
import { onDutyRoom, queueStatusKey, type PeerSocket, type RelayContext, type SurvivorSocket } from './context.js';
import type { Peer, SurvivorSession } from './state/memory.js';

export interface Sessions {
  /** Binds a (re)connected survivor to their session and says what it holds. */
  survivorConnected(session: SurvivorSession, socket: SurvivorSocket, resumed: boolean): SurvivorSessionView;
  /** The survivor's connection went: hold their chat for the grace period. */
  survivorDisconnected(session: SurvivorSession, socketId: string): void;
  /** Binds a (re)connected peer to their session and says what it holds. */
  peerConnected(peer: Peer, socket: PeerSocket, resumed: boolean): PeerSession;
  /** The peer's connection went: hold their chats for the grace period. */
  peerDisconnected(peer: Peer, socketId: string): void;
  /** Stops every grace timer (the relay is closing). */
  close(): void;
}

export function createSessions(ctx: RelayContext): Sessions {
  const { state } = ctx;
  // One timer per away person; cleared when they come back.
  const timers = new Map<SurvivorSession | Peer, NodeJS.Timeout>();

  const startGrace = (who: SurvivorSession | Peer, expire: () => void) => {
    clearTimeout(timers.get(who));
    const timer = setTimeout(() => {
      timers.delete(who);
      expire();
    }, ctx.config.resumeGraceMs);
    timer.unref();
    timers.set(who, timer);
  };

  const stopGrace = (who: SurvivorSession | Peer) => {
    clearTimeout(timers.get(who));
    timers.delete(who);
  };

  /**
   * A resumed session may still have its old connection, when the network dropped without the
   * relay noticing yet, or when a duplicated tab took it over: the newest connection wins, and
   * the old one is closed without ending anything.
   */
  const takeOver = (previous: string | undefined, socket: SurvivorSocket | PeerSocket) => {
    if (previous === undefined || previous === socket.id) return;
    socket.nsp.sockets.get(previous)?.disconnect(true);
  };

  const survivorView = (session: SurvivorSession): SurvivorChatView | null => {
    const chat = session.chat;
    if (!chat) return null;
    if (!chat.peer) {
      const queue = ctx.queueStatus(state.positionOf(chat));
      chat.told = queueStatusKey(queue);
      return { state: 'waiting', queue };
    }
    return { state: 'chatting', peerName: chat.peer.name, peerPresent: chat.peer.socketId !== undefined };
  };

  return {
    survivorConnected(session, socket, resumed) {
      stopGrace(session);
      const previous = session.socketId;
      session.socketId = socket.id;
      takeOver(previous, socket);
      const peer = session.chat?.peer;
      if (resumed && peer && session.chat) ctx.toPeer(peer)?.emit('chat:presence', { chatId: session.chat.id, present: true });
      const ended = session.endedWhileAway;
      session.endedWhileAway = undefined;
      return { resume: session.resume, resumed, chat: survivorView(session), ...(ended ? { ended } : {}) };
    },

    survivorDisconnected(session, socketId) {
      if (session.socketId !== socketId) return; // a newer connection took this session over
      session.socketId = undefined;
      const chat = session.chat;
      if (!chat) {
        state.removeSurvivor(session);
        return;
      }
      if (chat.peer) ctx.toPeer(chat.peer)?.emit('chat:presence', { chatId: chat.id, present: false });
      startGrace(session, () => {
        if (session.chat) ctx.endChat(session.chat, 'survivor-left');
        state.removeSurvivor(session);
      });
    },

    peerConnected(peer, socket, resumed) {
      stopGrace(peer);
      const previous = peer.socketId;
      peer.socketId = socket.id;
      takeOver(previous, socket);
      if (peer.onDuty) void socket.join(onDutyRoom);
      const chats = state.chatsOfPeer(peer);
      if (resumed) for (const chat of chats) ctx.toSurvivor(chat.survivor)?.emit('chat:presence', { present: true });
      if (peer.onDuty) ctx.queueChanged(); // the waiting list, to this connection too
      return {
        name: peer.name,
        maxChats: peer.maxChats,
        onDuty: peer.onDuty,
        resources: [...ctx.config.hospital.resources],
        resume: peer.resume,
        resumed,
        chats: chats.map((chat) => ({
          chatId: chat.id,
          survivorName: chat.survivorName,
          survivorPresent: chat.survivor.socketId !== undefined,
        })),
        ended: peer.endedWhileAway.splice(0),
      };
    },

    peerDisconnected(peer, socketId) {
      if (peer.socketId !== socketId) return; // a newer connection took this session over
      peer.socketId = undefined;
      for (const chat of state.chatsOfPeer(peer)) ctx.toSurvivor(chat.survivor)?.emit('chat:presence', { present: false });
      startGrace(peer, () => {
        // Never silently re-paired: each survivor is told, and is first in line again.
        const chats = state.chatsOfPeer(peer);
        state.removePeer(peer);
        for (const chat of chats) {
          const waiting = state.requeue(chat);
          const queue = ctx.queueStatus(state.positionOf(waiting));
          waiting.told = queueStatusKey(queue);
          ctx.toSurvivor(waiting.survivor)?.emit('chat:requeued', { queue });
        }
        ctx.queueChanged(); // survivors back in line, and maybe one fewer peer on duty
      });
    },

    close() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
