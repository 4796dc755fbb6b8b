// SPDX-License-Identifier: Apache-2.0
/**
 * The one place in the widget that opens a socket to the relay (STYLE.md), with our own small
 * Socket.IO client (`internal/socket-client.ts`). A ReactiveController that owns one socket's
 * lifetime: nothing connects until the person asks for it, and the socket closes when its
 * element leaves the page.
 */
import { fail, isErrorCode, socketPath, type Ack, type AckCallback, type ErrorCode } from '@kindred/protocol';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { openSocket, type SocketClient } from '../internal/socket-client.js';

/** Where the socket is. `refused` means the relay turned the handshake down and will not retry. */
export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'refused';

/** The payload type of a client → relay event. */
export type PayloadOf<F> = F extends (payload: infer P, ack: never) => void ? P : never;
/** The ack data type of a client → relay event. */
export type AckDataOf<F> = F extends (payload: never, ack: AckCallback<infer T>) => void ? T : never;
/** Names of the client → relay events that take an acknowledgement: requests. */
export type RequestName<E> = { [K in keyof E & string]: E[K] extends (...args: infer A) => void ? (A['length'] extends 2 ? K : never) : never }[keyof E & string];
/** Names of the client → relay events sent without one: signals (typing, read marks). */
export type SignalName<E> = { [K in keyof E & string]: E[K] extends (...args: infer A) => void ? (A['length'] extends 1 ? K : never) : never }[keyof E & string];

/** The handshake's `auth`, asked for again before every (re)connection. */
export type AuthSource = () => Record<string, string>;

/** Options of a {@link ConnectionController}. */
export interface ConnectionOptions {
  /** The relay's URL, read at connect time so a late `server` property still counts. */
  url: () => string;
  /** The Socket.IO namespace (`namespaces.survivor` or `namespaces.peer`). */
  namespace: string;
  /** Told after every status change the host did not ask for, after the host has been asked to update. */
  onStatus?: (status: ConnectionStatus, previous: ConnectionStatus) => void;
}

/** How long a request may wait for its ack before it counts as failed. */
export const requestTimeoutMs = 10_000;
/** How long a closed socket stays open for the answers to requests it had already sent. */
export const closeGraceMs = 2_000;

// The socket client is untyped by event; the public API below is typed from the protocol's maps.
type Listener = (...args: any[]) => void;

/**
 * Owns one socket. `L` is the map of events the relay sends, `E` the map of requests the
 * client makes (both from `@kindred/protocol`).
 */
export class ConnectionController<L extends object, E extends object> implements ReactiveController {
  /** Where the socket is; the host re-renders on every change. */
  status: ConnectionStatus = 'idle';
  /** Why the relay refused the last handshake (`auth-failed`, `origin-refused`), if it did. */
  refusal: ErrorCode | undefined;

  readonly #host: ReactiveControllerHost;
  readonly #options: ConnectionOptions;
  readonly #listeners: Array<[string, Listener]> = [];
  #socket: SocketClient | undefined;
  /** Requests sent on each socket and not yet answered. */
  readonly #inFlight = new Map<SocketClient, number>();

  constructor(host: ReactiveControllerHost, options: ConnectionOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** True while a socket exists, connected or trying to be. */
  get active(): boolean {
    return this.#socket !== undefined;
  }

  /** True while the socket is connected: what is emitted now leaves at once. */
  get connected(): boolean {
    return this.#socket?.connected === true;
  }

  hostDisconnected(): void {
    this.disconnect();
  }

  /** Listens to one relay event, on this socket and every later one. Call before `connect`. */
  on<K extends keyof L & string>(event: K, listener: L[K]): void {
    this.#listeners.push([event, listener as Listener]);
    this.#socket?.on(event as string, listener as Listener);
  }

  /**
   * Opens the socket unless one is open. `auth` travels in the handshake body, never in the
   * URL, where proxies and logs would keep it; the socket asks for it again before every
   * automatic reconnection, so the newest resume token is the one sent. Websocket only: no
   * long-polling requests that carry content through caches.
   */
  connect(auth?: AuthSource): void {
    if (this.#socket) return;
    this.refusal = undefined;
    const socket = openSocket({ url: this.#options.url(), path: socketPath, namespace: this.#options.namespace, auth });
    this.#socket = socket;
    for (const [event, listener] of this.#listeners) socket.on(event, listener);
    socket.on('connect', () => this.#setStatus('connected'));
    socket.on('disconnect', () => {
      if (socket.active) {
        this.#setStatus('reconnecting');
        return;
      }
      // The relay closed it on purpose, and the socket will not retry: forget this socket, or
      // the next `connect()` would find it and leave the host on a dead connection.
      this.#drop();
      this.#setStatus('idle');
    });
    socket.on('connect_error', (error: Error) => {
      if (socket.active) {
        this.#setStatus(this.status === 'connecting' ? 'connecting' : 'reconnecting');
        return;
      }
      // The relay's middleware refused us; it says why with a code from the table.
      this.refusal = isErrorCode(error.message) ? error.message : 'internal';
      this.#drop();
      this.#setStatus('refused');
    });
    this.#setStatus('connecting');
  }

  /**
   * Closes the socket; listeners stay registered for the next `connect`. The host asked for
   * it, so `onStatus` is not told: `idle` there always means the relay closed the connection.
   */
  disconnect(): void {
    if (!this.#socket) return;
    this.#drop();
    this.#setStatus('idle', false);
  }

  /**
   * Sends one request and resolves with its ack. A missing socket, a timeout or a malformed
   * ack all resolve as failures, so callers handle one shape.
   */
  request<K extends RequestName<E>>(event: K, payload: PayloadOf<E[K]>, timeoutMs = requestTimeoutMs): Promise<Ack<AckDataOf<E[K]>>> {
    const socket = this.#socket;
    if (!socket) return Promise.resolve(fail('internal'));
    this.#inFlight.set(socket, (this.#inFlight.get(socket) ?? 0) + 1);
    return new Promise((resolve) => {
      // The socket calls back with an error if the relay does not answer within `timeoutMs`.
      socket.request(event, payload, timeoutMs, (error, ack) => {
        const left = (this.#inFlight.get(socket) ?? 1) - 1;
        if (left > 0) this.#inFlight.set(socket, left);
        else this.#inFlight.delete(socket);
        // The host closed this socket meanwhile; it waited only for its last answer.
        if (left <= 0 && socket !== this.#socket) socket.disconnect();
        resolve(error || !isAck(ack) ? fail('internal') : (ack as Ack<AckDataOf<E[K]>>));
      });
    });
  }

  /**
   * Sends one signal: no acknowledgement, nothing to wait for. `volatile` ones (typing) are
   * dropped rather than buffered while the socket is down: a stale "is typing" is worth
   * nothing. Others wait in the socket's buffer for the connection to come back.
   */
  signal<K extends SignalName<E>>(event: K, payload: PayloadOf<E[K]>, { volatile = false } = {}): void {
    this.#socket?.emit(event, payload, volatile);
  }

  /**
   * Forgets the socket at once (nothing more reaches the host) and closes it — after the
   * answers to requests it has already sent, if any, within {@link closeGraceMs}. A close
   * right behind a request ("end chat", then the page goes) could overtake it at the relay,
   * which ignores what arrives from a socket it has already seen go.
   */
  #drop(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    if (!socket) return;
    socket.removeAllListeners();
    if (socket.connected && this.#inFlight.has(socket)) setTimeout(() => socket.disconnect(), closeGraceMs);
    else socket.disconnect();
  }

  #setStatus(status: ConnectionStatus, tell = true): void {
    const previous = this.status;
    if (previous === status) return;
    this.status = status;
    this.#host.requestUpdate();
    if (tell) this.#options.onStatus?.(status, previous);
  }
}

function isAck(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const ack = value as { ok?: unknown; error?: unknown };
  if (ack.ok === true) return true;
  return ack.ok === false && typeof ack.error === 'object' && ack.error !== null && isErrorCode((ack.error as { code?: unknown }).code);
}
