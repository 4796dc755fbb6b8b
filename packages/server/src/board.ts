// SPDX-License-Identifier: Apache-2.0
/**
 * The supervisors' live board (`board:updated`): how many wait and for how long, how many chats
 * are under way, how many peers are on duty or on a break, and the chats whose peer asked for
 * help. Counts and pseudonyms only: nothing any survivor wrote, and no chat is listed unless its
 * peer escalated it.
 *
 * When it is sent:
 *
 * - to a supervisor's connection right after their `session:ready`;
 * - to every supervisor (the `supervisors` room: with REDIS_URL the adapter carries it to every
 *   relay) whenever the queue, a chat, duty or an escalation changes. Changes in one tick are
 *   coalesced into one board, and the relay that saw the change is the one that sends it, so a
 *   change is sent once, deployment-wide;
 * - every few seconds while anyone waits or an escalation is open, so the waits keep counting
 *   up. Each relay sends this one to its own supervisors only (`local`), and keeps its timer
 *   only while it has supervisors connected.
 */
import type { Board } from '@kindred/protocol';
import type { PeerNamespace, PeerSocket } from './context.js';
import type { Logger } from './log.js';
import { StateUnavailableError, type State } from './state/state.js';

/** The room every connected supervisor is in (on the peer namespace). */
export const supervisorsRoom = 'supervisors';

/** How often the board is sent again while anyone waits or an escalation is open. */
export const boardRefreshMs = 5_000;

export interface SupervisorsBoard {
  /** Something on the board changed: one coalesced board to every supervisor, on any relay. */
  changed(): void;
  /** A supervisor's connection on this relay, after `session:ready`: their first board. */
  supervisorConnected(socket: PeerSocket): Promise<void>;
  /** Stops the timer; nothing is sent after this. */
  close(): void;
}

export interface BoardDeps {
  state: State;
  peers: PeerNamespace;
  log: Logger;
}

/** The board, as the state says now. */
export async function readBoard(state: State): Promise<{ board: Board; supervisors: number }> {
  const figures = await state.boardFigures();
  // The counts were refreshed by that very read (Redis) or are exact (memory).
  const { peersOnBreak } = state.counts();
  const since = (at: number) => Math.max(0, figures.now - at);
  const board: Board = {
    waiting: figures.waiting,
    longestWaitMs: figures.oldestQueuedAt === undefined ? 0 : since(figures.oldestQueuedAt),
    activeChats: figures.activeChats,
    peersOnDuty: figures.peersOnDuty,
    peersOnBreak,
    escalations: figures.escalations.map(({ chatId, peerName, survivorName, since: at }) => ({ chatId, peerName, survivorName, waitedMs: since(at) })),
  };
  return { board, supervisors: figures.supervisors };
}

export function createSupervisorsBoard({ state, peers, log }: BoardDeps): SupervisorsBoard {
  let wanted = false;
  let running = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const localSupervisors = () => peers.adapter.rooms.get(supervisorsRoom)?.size ?? 0;

  const failed = (error: unknown) => {
    // The store is away: the next change or refresh brings a fresh board. Anything else is a
    // bug, logged without its message (which could quote state).
    if (!(error instanceof StateUnavailableError)) log.error('handler-failed');
  };

  const send = async () => {
    // Alone (memory), nobody else could be listening; shared, supervisors may be on other relays.
    if (!state.shared && localSupervisors() === 0) return;
    const { board, supervisors } = await readBoard(state);
    if (supervisors > 0 && !closed) peers.to(supervisorsRoom).emit('board:updated', board);
  };

  const drain = async () => {
    if (running) return;
    running = true;
    try {
      while (wanted && !closed) {
        wanted = false;
        await send().catch(failed);
      }
    } finally {
      running = false;
    }
  };

  const refresh = async () => {
    if (localSupervisors() === 0) {
      clearInterval(timer);
      timer = undefined;
      return;
    }
    const { board } = await readBoard(state);
    // Nothing is counting up: the last board sent still holds.
    if ((board.waiting > 0 || board.escalations.length > 0) && !closed) peers.local.to(supervisorsRoom).emit('board:updated', board);
  };

  return {
    changed() {
      if (closed || wanted) return;
      wanted = true;
      // Coalesce: a burst of changes in one tick costs one board.
      if (!running) setImmediate(() => void drain());
    },

    async supervisorConnected(socket) {
      // Gone meanwhile: joining now would leave a room entry that no disconnect ever clears.
      if (!socket.connected) return;
      await socket.join(supervisorsRoom);
      if (!timer && !closed) {
        timer = setInterval(() => void refresh().catch(failed), boardRefreshMs);
        timer.unref();
      }
      const { board } = await readBoard(state);
      if (socket.connected) socket.emit('board:updated', board);
    },

    close() {
      closed = true;
      clearInterval(timer);
      timer = undefined;
    },
  };
}
