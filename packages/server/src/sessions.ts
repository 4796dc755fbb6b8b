// SPDX-License-Identifier: Apache-2.0
/**
 * Coming and going: what happens when a survivor's or a peer's connection drops, comes back
 * within the grace period, or does not. The relay holds no message while someone is away;
 * it tells the other side, whose outbox holds the undelivered messages and resends them when
 * told the person is back.
 *
 * Grace periods across relays (REDIS_URL). The relay that sees a connection drop writes the
 * session away (with its end time, in the shared `grace` set) and arms a timer; when it fires,
 * the expiry is one atomic step that acts only if the session is still away with the same
 * connection generation (`epoch`): if the person came back meanwhile, through this relay or
 * any other, nothing happens. Nobody is stranded by a relay that dies with timers armed:
 *
 * - every relay ticks each second: a heartbeat, then a sweep. The sweep hands out grace
 *   periods that ended more than a second ago (their own relay's timer did not fire, so it is
 *   gone), and the sessions of relays whose heartbeat lapsed (five seconds) are held for the
 *   grace period as if their connections had dropped (their counterparts are told);
 * - every key also carries an expiry, renewed while someone's relay holds it, so even with
 *   every relay gone nothing outlives the grace period by more than ten minutes;
 * - a relay that finds its own heartbeat lapsed (it stalled, or Redis lost its data) closes
 *   its connections: their clients reconnect, through any relay, and take back what is left.
 */
import type { PeerClaims, PeerSession, SurvivorChatView, SurvivorSession as SurvivorSessionView } from '@kindred/protocol';
import { resumeKey, sealPeerResume, type PeerProfile } from './auth/resume-tokens.js';
import { onDutyRoom, queueStatusKey, type PeerSocket, type RelayContext, type SurvivorSocket } from './context.js';
import { MemoryState } from './state/memory.js';
import { StateUnavailableError, tickMs, type Away, type PeerBack, type Side } from './state/state.js';

export interface Sessions {
  /** Starts the heartbeat and sweep of a shared state, after a first one. */
  start(): Promise<void>;
  /** Takes a session for a new connection (back, if `resume` names one) and says what it holds. */
  survivorConnected(socket: SurvivorSocket, resume: string | undefined): Promise<{ ref: string; ready: SurvivorSessionView }>;
  /** The survivor's connection went: hold their chat for the grace period. */
  survivorDisconnected(ref: string, socketId: string): void;
  /**
   * Takes a peer session for a new connection: back, if `resume` names one, else a new one from
   * the token's claims. Undefined when neither (the session expired since the handshake). The
   * resume token it hands out carries the sign-in's `expiresAt` and `profile` (auth/resume-tokens.ts).
   */
  peerConnected(socket: PeerSocket, handshake: PeerHandshake): Promise<{ ref: string; name: string; ready: PeerSession } | undefined>;
  /** The peer's connection went: hold their chats for the grace period. */
  peerDisconnected(ref: string, socketId: string): void;
  /** Stops every timer. A relay alone (memory) ends every chat, and both sides are told. */
  close(): Promise<void>;
  /** Waits for the disconnects still being written (after the connections are closed). */
  drain(): Promise<void>;
}

/** What a peer's handshake established (namespaces/peer.ts). */
export interface PeerHandshake {
  /** The state's id of a session to take back. */
  resume?: string;
  /** A new session's claims, from a sign-in token. */
  claims?: PeerClaims;
  /** What the sign-in token said that the state does not keep. */
  profile: PeerProfile;
  /** When the sign-in token expires (ms): the session, and its resume token, end then. */
  expiresAt: number;
}

export function createSessions(ctx: RelayContext): Sessions {
  const { state, config } = ctx;
  const resumeTokenKey = resumeKey(config.secret);
  // One timer per away person; cleared when they come back.
  const timers = new Map<string, NodeJS.Timeout>();
  // State writes that nobody awaits (disconnects, expiries): closing waits for them.
  const pending = new Set<Promise<void>>();
  let ticker: NodeJS.Timeout | undefined;
  let ticking = false;
  let closed = false;

  const track = (work: Promise<void>) => {
    const done = work.catch((error: unknown) => {
      // Redis away: the sweep or the next reconcile finishes the job. Anything else is a bug,
      // logged without its message (which could quote state).
      if (!(error instanceof StateUnavailableError)) ctx.log.error('handler-failed');
    });
    pending.add(done);
    void done.finally(() => pending.delete(done));
  };

  const expire = async (side: Side, ref: string, epoch: number) => {
    if (side === 'survivor') {
      const ended = await state.expireSurvivor(ref, epoch);
      if (ended && ended !== 'removed') ctx.tellEnded(ended, 'survivor-left');
      return;
    }
    const requeued = await state.expirePeer(ref, epoch);
    if (!requeued) return; // they came back in time
    // Never silently re-paired: each survivor is told, and is first in line again.
    const told: Array<[string, string]> = [];
    for (const waiting of requeued) {
      const queue = ctx.queueStatus(waiting.figures);
      told.push([waiting.chatRef, queueStatusKey(queue)]);
      ctx.toSurvivor(waiting.survivorSocket)?.emit('chat:requeued', { queue });
      // The chat that ended had a supervisor: it is over for them too (the new one has none).
      if (waiting.supervisor) ctx.toPeer(waiting.supervisor.socket)?.emit('chat:ended', { chatId: waiting.supervisor.chatId, reason: 'peer-left' });
    }
    await state.markTold(told);
    ctx.queueChanged(); // survivors back in line, and maybe one fewer peer on duty
  };

  const timerKey = (side: Side, ref: string) => `${side}:${ref}`;

  const startGrace = (side: Side, ref: string, epoch: number) => {
    if (closed) return; // another relay's sweep takes it from here (or, alone, nothing is left)
    const key = timerKey(side, ref);
    clearTimeout(timers.get(key));
    const timer = setTimeout(() => {
      timers.delete(key);
      track(expire(side, ref, epoch));
    }, config.resumeGraceMs);
    timer.unref();
    timers.set(key, timer);
  };

  const stopGrace = (side: Side, ref: string) => {
    const key = timerKey(side, ref);
    clearTimeout(timers.get(key));
    timers.delete(key);
  };

  const tellAway = (side: Side, away: Away) => {
    for (const { socket, chatId } of away.tell) {
      if (side === 'survivor') ctx.toPeer(socket)?.emit('chat:presence', { chatId, present: false });
      else ctx.toSurvivor(socket)?.emit('chat:presence', { present: false });
    }
    if (away.dutyChanged) ctx.queueChanged(); // one fewer peer who can answer now
  };

  /**
   * A resumed session may still have its old connection, when the network dropped without the
   * relay noticing yet, or when a duplicated tab took it over: the newest connection wins, and
   * the old one (on this relay or another) is closed without ending anything.
   */
  const takeOver = (previous: string | undefined, socket: SurvivorSocket | PeerSocket) => {
    if (previous === undefined || previous === socket.id) return;
    socket.nsp.in(previous).disconnectSockets(true);
  };

  const survivorDisconnected = (ref: string, socketId: string) => {
    track(
      (async () => {
        const away = await state.survivorAway(ref, socketId, config.resumeGraceMs);
        if (!away || away === 'removed') return; // taken over, or nothing to hold
        tellAway('survivor', away);
        startGrace('survivor', ref, away.epoch);
      })(),
    );
  };

  const peerDisconnected = (ref: string, socketId: string) => {
    track(
      (async () => {
        const away = await state.peerAway(ref, socketId, config.resumeGraceMs);
        if (!away) return;
        tellAway('peer', away);
        startGrace('peer', ref, away.epoch);
      })(),
    );
  };

  /** Closes this relay's connections without a word: their clients reconnect and resume. */
  const dropConnections = () => {
    for (const namespace of [ctx.survivors, ctx.peers] as const) {
      for (const socket of namespace.sockets.values()) socket.conn.close();
    }
  };

  const tick = async () => {
    if (ticking || !state.tick) return;
    ticking = true;
    try {
      const found = await state.tick(config.resumeGraceMs);
      if (found.lapsed) {
        ctx.log.error('relay-lapsed');
        dropConnections();
      }
      for (const { side, ref, away } of found.away) {
        tellAway(side, away);
        startGrace(side, ref, away.epoch);
      }
      for (const due of found.due) track(expire(due.side, due.ref, due.epoch));
      // Sessions the store thinks this relay holds, whose connection is gone: a disconnect
      // that could not be written when it happened.
      for (const held of found.lapsed ? [] : (found.mine ?? [])) {
        const namespace = held.side === 'survivor' ? ctx.survivors : ctx.peers;
        if (held.socket === undefined || namespace.sockets.has(held.socket)) continue;
        (held.side === 'survivor' ? survivorDisconnected : peerDisconnected)(held.ref, held.socket);
      }
    } catch {
      // Redis is away: the relay reports not ready until a tick gets through.
    } finally {
      ticking = false;
    }
  };

  return {
    async start() {
      if (!state.tick) return;
      await tick();
      ticker = setInterval(() => void tick(), tickMs);
      ticker.unref();
    },

    async survivorConnected(socket, resume) {
      const found = resume === undefined ? undefined : await state.resumeSurvivor(resume, socket.id);
      if (!found) {
        const session = await state.openSurvivor(socket.id);
        return { ref: session.ref, ready: { resume: session.resume, resumed: false, chat: null } };
      }
      stopGrace('survivor', found.ref);
      const { previousSocket, chat, ended } = found.back;
      takeOver(previousSocket, socket);
      let view: SurvivorChatView | null = null;
      if (chat?.state === 'chatting') {
        ctx.toPeer(chat.peerSocket)?.emit('chat:presence', { chatId: chat.chatId, present: true });
        view = { state: 'chatting', peerName: chat.peerName, peerPresent: chat.peerSocket !== undefined, ...(chat.supervised ? { supervised: true as const } : {}) };
      } else if (chat?.state === 'waiting') {
        const queue = ctx.queueStatus(chat.figures);
        await state.markTold([[chat.chatRef, queueStatusKey(queue)]]);
        view = { state: 'waiting', queue };
      }
      return { ref: found.ref, ready: { resume: resume!, resumed: true, chat: view, ...(ended ? { ended } : {}) } };
    },

    survivorDisconnected,

    async peerConnected(socket, { resume, claims, profile, expiresAt }) {
      const found = resume === undefined ? undefined : await state.resumePeer(resume, socket.id);
      let ref: string;
      let token: string;
      let back: PeerBack;
      if (found) {
        ({ ref, back } = found);
        token = resume!;
      } else if (claims) {
        const session = await state.openPeer(socket.id, claims);
        ({ ref, resume: token } = session);
        back = { previousSocket: undefined, name: claims.name, maxChats: claims.maxChats, onDuty: false, onBreak: false, chats: [], ended: [] };
      } else {
        return undefined;
      }
      // Signed before anyone is told this peer is back: `session:ready` must reach the console
      // before a survivor's fresh key offer does (the console drops its keys on `session:ready`).
      const sealedResume = await sealPeerResume(resumeTokenKey, { sid: token, expiresAt, profile });
      stopGrace('peer', ref);
      takeOver(back.previousSocket, socket);
      if (back.onDuty) void socket.join(onDutyRoom);
      if (found) for (const chat of back.chats) ctx.toSurvivor(chat.survivorSocket)?.emit('chat:presence', { present: true });
      if (back.onDuty) ctx.queueChanged(); // one more peer who can answer; the waiting list, to this connection too
      const ready: PeerSession = {
        name: back.name,
        maxChats: back.maxChats,
        ...profile,
        onDuty: back.onDuty,
        onBreak: back.onBreak,
        resources: [...config.hospital.resources],
        wellbeing: { ...config.wellbeing },
        resume: sealedResume,
        resumed: found !== undefined,
        chats: back.chats.map((chat) => ({ chatId: chat.chatId, survivorName: chat.survivorName, survivorPresent: chat.survivorSocket !== undefined })),
        ended: back.ended,
      };
      return { ref, name: back.name, ready };
    },

    peerDisconnected,

    async close() {
      closed = true;
      clearInterval(ticker);
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      // One relay alone is the whole service: closing it ends every chat, out loud. Relays
      // sharing Redis hand their connections over instead (their clients resume elsewhere).
      if (state instanceof MemoryState) {
        for (const chatRef of state.chatRefs()) {
          const ended = state.endForClosing(chatRef);
          if (ended) ctx.tellEnded(ended, 'relay-closing');
        }
      }
    },

    async drain() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
