// SPDX-License-Identifier: Apache-2.0
/**
 * What every handler works with: the state, the two namespaces, and the few operations that
 * touch both sides of a chat (telling that it ended, delivering a message, telling the queue).
 * Events always go to one socket id chosen by the relay, never to a room a client named; a
 * person who is away (connection dropped, within the grace period) has no socket id, and
 * what would have gone to them is not kept: their counterpart's outbox resends it.
 *
 * With REDIS_URL the socket id may belong to another relay: Socket.IO's Redis adapter carries
 * the emit there (acknowledgements included), so nothing here depends on where anyone is.
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
import type { BroadcastOperator, Namespace, Socket } from 'socket.io';
import type { RelayConfig } from './config.js';
import { createSupervisorsBoard, type SupervisorsBoard } from './board.js';
import type { Logger } from './log.js';
import { createQueueRounds, type QueueRounds } from './offers.js';
import { estimateMinutes, type Ended, type QueueFigures, type State } from './state/state.js';

export type SurvivorNamespace = Namespace<SurvivorClientEvents, SurvivorServerEvents>;
export type PeerNamespace = Namespace<PeerClientEvents, PeerServerEvents>;
export type SurvivorSocket = Socket<SurvivorClientEvents, SurvivorServerEvents>;
export type PeerSocket = Socket<PeerClientEvents, PeerServerEvents>;

/** One connection's hold on a session: the state's reference to it, and this connection's id. */
export interface SessionHandle {
  readonly ref: string;
  readonly socket: string;
}

/** A peer connection's hold on their session, with the display name their token gave. */
export interface PeerHandle extends SessionHandle {
  readonly name: string;
}

/** A queue status as one comparable string, so a survivor is only told what changed. */
export function queueStatusKey(status: QueueStatus): string {
  return `${status.position}/${status.peersOnDuty}/${status.estimateMinutes}${status.noMatch ? '/unmatched' : ''}`;
}

/** Room of the peers who are on duty. (Each one's waiting list goes to their own connection: offers.ts.) */
export const onDutyRoom = 'on-duty';

export interface RelayContext {
  readonly config: RelayConfig;
  readonly state: State;
  readonly survivors: SurvivorNamespace;
  readonly peers: PeerNamespace;
  readonly log: Logger;
  /** A survivor's connection by id (on any relay), or undefined while they are away. */
  toSurvivor(socket: string | undefined): BroadcastOperator<SurvivorServerEvents, unknown> | undefined;
  /** A peer's connection by id (on any relay), or undefined while they are away. */
  toPeer(socket: string | undefined): BroadcastOperator<PeerServerEvents, unknown> | undefined;
  /** Tells waiting survivors their positions and on-duty peers their lists, then makes offers: once per tick (offers.ts). */
  queueChanged(): void;
  /** Offers survivors to peers who have room: after a chat ends, or an offer is declined (offers.ts). */
  offersChanged(): void;
  /** The rounds of lists and offers (offers.ts): withdrawing offers, forgetting their timers. */
  readonly rounds: QueueRounds;
  /** The supervisors' live board (board.ts): told of every change the queue rounds hear of, and of escalations. */
  readonly board: SupervisorsBoard;
  /** Tells whoever the state says must hear now that a chat ended. */
  tellEnded(ended: Ended, reason: EndReason): void;
  /** Sends a survivor's message to their peer; marks it delivered once the peer's client confirms. */
  deliverToPeer(survivor: SessionHandle, peerSocket: string, chatId: string, message: RelayedMessage): void;
  /** Sends a peer's message to the survivor of one of their chats, marked delivered likewise. */
  deliverToSurvivor(peer: SessionHandle, survivorSocket: string, chatId: string, message: RelayedMessage): void;
  /** Sends a resources card from the peer to the survivor, marked delivered like a message. */
  shareResource(peer: SessionHandle, survivorSocket: string, chatId: string, card: SharedResource): void;
  /** Where a waiting survivor stands: position, peers on duty, estimate. */
  queueStatus(figures: QueueFigures): QueueStatus;
}

export function createContext(
  config: RelayConfig,
  state: State,
  survivors: SurvivorNamespace,
  peers: PeerNamespace,
  log: Logger,
): RelayContext {
  const toSurvivor = (socket: string | undefined) => (socket === undefined ? undefined : survivors.to(socket));
  const toPeer = (socket: string | undefined) => (socket === undefined ? undefined : peers.to(socket));

  const queueStatus = (figures: QueueFigures): QueueStatus => ({
    position: figures.position,
    peersOnDuty: figures.peersOnDuty,
    estimateMinutes: estimateMinutes(figures),
  });

  // Statuses, each peer's list and offers: one coalesced round at a time (offers.ts).
  const rounds = createQueueRounds({ config, state, survivors, peers, log, queueStatus, statusKey: queueStatusKey });
  // Whatever changes the queue, a chat's load or duty changes the supervisors' board too.
  const board = createSupervisorsBoard({ state, peers, log });
  const queueChanged = () => {
    rounds.changed();
    board.changed();
  };

  /*
   * The per-message path (a message, its acknowledgement, its receipt) reaches a connection on
   * this relay through its socket: Socket.IO's broadcast to one socket id costs an operator, a
   * room lookup and, for an acknowledgement, a counter and a timer of its own per emit, which
   * added up to a measurable share of the relay's CPU per message (BENCHMARKS.md). Elsewhere
   * (REDIS_URL), or gone, through the adapter, which carries it to whichever relay holds it.
   */
  // The gate typed what each event carries; these only need a socket id.
  const anySurvivors = survivors as unknown as Namespace;
  const anyPeers = peers as unknown as Namespace;

  /**
   * Tells the sender of a message that it was delivered: on the connection that sent it while
   * that is still here, else wherever the state says they are now (a newer connection, maybe
   * on another relay), so that one relay asks the state nothing per receipt.
   */
  const receipt = async (namespace: Namespace, side: 'survivor' | 'peer', sender: SessionHandle, payload: object) => {
    const here = namespace.sockets.get(sender.socket);
    if (here) {
      here.emit('message:delivered', payload);
      return;
    }
    const socket = await state.socketOf(side, sender.ref);
    if (socket !== undefined) (namespace.sockets.get(socket) ?? namespace.to(socket)).emit('message:delivered', payload);
  };

  /**
   * Emits `event` to one connection and runs `confirmed` once its client acknowledges with
   * `true` within the delivery timeout. Through the adapter, the acknowledgement of a broadcast
   * to one socket id is one response when it arrived and none when that socket had gone: only a
   * real confirmation counts. The callback keeps nothing of the message but what `confirmed`
   * closes over (an id), so no text outlives its delivery.
   */
  const deliver = (namespace: Namespace, socket: string, event: string, payload: object, confirmed: () => Promise<void>) => {
    // Without the state the receipt is lost; the sender's outbox resends and the
    // recipient shows the message once, so nothing worse than a late receipt follows.
    const confirm = () => void confirmed().catch(() => undefined);
    const here = namespace.sockets.get(socket);
    if (here) {
      here.timeout(config.deliveryTimeoutMs).emit(event, payload, (error: Error | null, response: unknown) => {
        if (!error && response === true) confirm();
      });
    } else {
      namespace.to(socket).timeout(config.deliveryTimeoutMs).emit(event, payload, (error: Error | null, responses: unknown[]) => {
        if (!error && responses.length === 1 && responses[0] === true) confirm();
      });
    }
  };

  return {
    config,
    state,
    survivors,
    peers,
    log,
    queueStatus,
    toSurvivor,
    toPeer,

    queueChanged,
    offersChanged: () => {
      rounds.offersChanged();
      board.changed();
    },
    // Closing the rounds (relay.ts) stops the board's timer too: both end with the relay.
    rounds: {
      ...rounds,
      close() {
        rounds.close();
        board.close();
      },
    },
    board,

    tellEnded(ended, reason) {
      toSurvivor(ended.survivorSocket)?.emit('chat:ended', { reason });
      toPeer(ended.peerSocket)?.emit('chat:ended', { chatId: ended.chatId, reason });
      // The supervisor who joined it, whatever the reason (they were never its ender).
      toPeer(ended.supervisorSocket)?.emit('chat:ended', { chatId: ended.chatId, reason });
      rounds.withdraw(ended.withdrawn, 'ended');
      // A waiting survivor left the queue; otherwise a peer has room for one more.
      if (ended.wasWaiting) queueChanged();
      else rounds.offersChanged();
      board.changed();
    },

    // The receipt goes to the sender's connection at the moment of confirmation, which may be
    // a newer one than the connection that sent the message (`receipt`).
    deliverToPeer(survivor, peerSocket, chatId, message) {
      const { id } = message;
      deliver(anyPeers, peerSocket, 'message:received', { chatId, ...message }, () => receipt(anySurvivors, 'survivor', survivor, { id }));
    },

    deliverToSurvivor(peer, survivorSocket, chatId, message) {
      const { id } = message;
      deliver(anySurvivors, survivorSocket, 'message:received', message, () => receipt(anyPeers, 'peer', peer, { chatId, id }));
    },

    shareResource(peer, survivorSocket, chatId, card) {
      const { id } = card;
      deliver(anySurvivors, survivorSocket, 'resource:shared', card, () => receipt(anyPeers, 'peer', peer, { chatId, id }));
    },
  };
}
