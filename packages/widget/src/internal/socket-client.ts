// SPDX-License-Identifier: Apache-2.0
/**
 * A small client of the Socket.IO v5 protocol over Engine.IO v4, on one WebSocket, with only
 * what the connection controller needs: one namespace, an `auth` asked for before every
 * connection, events, requests with acknowledgements and a timeout, a send buffer while the
 * connection is down, and socket.io-client's reconnection (same backoff, same `active`).
 * socket.io-client with engine.io-client cost about 10.5 KB gzipped of every open chat (issue 7,
 * docs/size.md), for transports, binary packets, multiplexing and options we never use.
 *
 * Written from the protocol documents (socketio/engine.io-protocol, socketio/socket.io-protocol):
 * - Engine.IO frames are `<type><data>`: the relay opens with `0{"sid","pingInterval",
 *   "pingTimeout","maxPayload"}`, pings with `2` (we answer `3`), may close with `1`, may send a
 *   noop `6`; `4<packet>` carries one Socket.IO packet.
 * - Socket.IO packets are `<type>[/namespace,][ack id][JSON]`: CONNECT `0` (ours carries the
 *   auth, the relay's answer a `sid`), DISCONNECT `1`, EVENT `2` (`[name, ...args]`), ACK `3`
 *   (`[...args]`), CONNECT_ERROR `4` (`{"message"}`). We send text only: no binary packets.
 * Everything inbound is checked before it is used; a frame that does not fit is ignored.
 */

// Listeners take whatever the relay's event carries; the controller types them from the
// protocol's event maps.
type Listener = (...args: any[]) => void;

/** Called with `null` and the ack's arguments, or with an error if none came in time. */
export type AckCallback = (error: Error | null, ...args: unknown[]) => void;

/** Options of {@link openSocket}. */
export interface SocketOptions {
  /** The relay's origin (`https://…`; `http://…` in development). Only its origin is used. */
  url: string;
  /** The Engine.IO path on the relay (`/socket.io`). */
  path: string;
  /** The namespace (`/survivor`). */
  namespace: string;
  /**
   * The namespace CONNECT packet's payload, asked for again before every connection, so a
   * reconnection sends the newest resume token. It travels inside the WebSocket, never in the
   * URL, where proxies and logs would keep it.
   */
  auth?: (() => object) | undefined;
}

/**
 * One namespace's socket. Besides the relay's own events, listeners hear:
 * - `connect`: the namespace is connected; buffered emits have just left, in order.
 * - `disconnect` (reason): it was connected and is not any more.
 * - `connect_error` (Error): an attempt failed before connecting; the message is the relay's
 *   (an error code) when its middleware refused the handshake.
 * After `disconnect` or `connect_error`, {@link active} says whether it is trying again.
 */
export interface SocketClient {
  /** True while the namespace is connected: what is emitted now leaves at once. */
  readonly connected: boolean;
  /**
   * True while connected or trying to be. False once the relay refused the handshake (CONNECT_ERROR)
   * or closed the namespace (DISCONNECT), or after `disconnect()`: none of these is retried.
   */
  readonly active: boolean;
  on(event: string, listener: Listener): void;
  removeAllListeners(): void;
  /**
   * Sends an event with no acknowledgement. While disconnected it waits in the buffer, unless
   * `volatile`, in which case it is dropped.
   */
  emit(event: string, payload: unknown, volatile?: boolean): void;
  /**
   * Sends an event with an ack id and calls `callback` once: with the ack, or with an error after
   * `timeoutMs` (counted from now, buffered or not), when the connection is lost after it left
   * (the relay's answer would have gone with it), when the socket closes, or when it is larger
   * than the relay accepts.
   */
  request(event: string, payload: unknown, timeoutMs: number, callback: AckCallback): void;
  /** Closes for good: tells the relay when connected, fails what is waiting, never retries. */
  disconnect(): void;
}

/** The first reconnection's delay, doubled after each failed attempt (socket.io-client's default). */
export const reconnectDelayMs = 1_000;
/** The longest delay between reconnection attempts (socket.io-client's default). */
export const reconnectDelayMaxMs = 5_000;
/** How long the WebSocket may take to open and say Engine.IO's open (socket.io-client: 20 s). */
export const openTimeoutMs = 20_000;

/** Events that name what happens to the socket itself; the relay cannot send them. */
const reserved = new Set(['connect', 'disconnect', 'connect_error']);

/** JSON, or `undefined` if it is not. */
function parse(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
// Whole milliseconds under about 11 days, so that two of them still fit setTimeout (2^31 − 1).
const isDuration = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0 && (value as number) < 1e9;

/**
 * Calls a listener or a callback. One that throws must not leave the socket half-way through a
 * packet, so its error is thrown again on its own, where the page's error handling sees it.
 */
function call(fn: Listener, args: unknown[]): void {
  try {
    fn(...args);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}

interface Pending {
  callback: AckCallback;
  timer: ReturnType<typeof setTimeout>;
  /** Written to a connection: its answer can only come on that one. */
  sent: boolean;
}

/** Opens a socket on `options.namespace` at once, and keeps it open until `disconnect()`. */
export function openSocket({ url, path, namespace, auth }: SocketOptions): SocketClient {
  const prefix = namespace === '/' ? '' : `${namespace},`;
  const listeners = new Map<string, Listener[]>();
  const acks = new Map<number, Pending>();
  /** What waits for the namespace to connect: frames and their ack ids, in order. */
  let buffer: Array<[frame: string, id: number | undefined]> = [];
  let ws: WebSocket | undefined;
  let connected = false;
  let active = true;
  let attempts = 0;
  let ids = 0;
  // One timer at a time: the backoff before a retry, the open timeout, or the ping deadline.
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** When the relay's next ping is due at the latest; 0 until Engine.IO has opened. */
  let deadline = 0;
  /** pingInterval + pingTimeout, from the open packet: the longest the relay may be silent. */
  let silence = 0;
  /** The most the relay accepts in one frame, in bytes (its maxHttpBufferSize). */
  let maxPayload = 0;

  const fire = (event: string, ...args: unknown[]): void => {
    for (const listener of listeners.get(event) ?? []) call(listener, args);
  };

  /** Calls request `id`'s callback (once), and forgets it. */
  const settle = (id: number | undefined, error: Error | null, args: unknown[] = []): void => {
    const pending = id === undefined ? undefined : acks.get(id);
    if (!pending) return;
    acks.delete(id!);
    clearTimeout(pending.timer);
    buffer = buffer.filter((each) => each[1] !== id);
    call(pending.callback, [error, ...args]);
  };

  const write = (frame: string, id?: number): void => {
    // The relay closes a connection that sends more than maxPayload bytes, and what was sent
    // behind this frame would go with it: it fails alone instead. (UTF-8 is at most 3 bytes
    // per UTF-16 unit, so most frames skip the encoding.)
    if (frame.length * 3 > maxPayload && new TextEncoder().encode(frame).length > maxPayload) {
      settle(id, new Error('payload too large'));
      return;
    }
    ws?.send(frame);
    const pending = id === undefined ? undefined : acks.get(id);
    if (pending) pending.sent = true;
  };

  /**
   * True if what is emitted now can leave now. A background tab's timers are throttled, so the
   * ping deadline can pass unnoticed: then the connection counts as lost, as socket.io-client
   * does, and what is emitted waits for the next one.
   */
  const live = (): boolean => {
    if (!connected) return false;
    if (Date.now() <= deadline) return true;
    const current = ws;
    queueMicrotask(() => lost(current, 'ping timeout'));
    return false;
  };

  const queue = (event: string, payload: unknown, id?: number): void => {
    let frame: string;
    try {
      frame = `42${prefix}${id ?? ''}${JSON.stringify([event, payload])}`;
    } catch (error) {
      settle(id, error as Error);
      return;
    }
    if (live()) write(frame, id);
    else if (active) buffer.push([frame, id]);
    else settle(id, new Error('socket closed'));
  };

  /** Lets go of the WebSocket and every timer. */
  const stop = (): void => {
    clearTimeout(timer);
    removeEventListener('offline', offline);
    deadline = 0;
    if (ws) {
      ws.onmessage = ws.onclose = null;
      ws.close();
      ws = undefined;
    }
  };

  /** Closes for good: the relay refused or closed the namespace, or `disconnect()`. */
  const finish = (event?: string, detail?: unknown): void => {
    active = false;
    stop();
    connected = false;
    if (event) fire(event, detail);
    buffer = [];
    for (const id of acks.keys()) settle(id, new Error('socket closed'));
  };

  /**
   * The connection `from` is gone, or never opened: say so, and try again after the backoff.
   * Requests that had left on it fail now, since their answers can only come on it; buffered
   * ones wait for the next connection.
   */
  const lost = (from: WebSocket | undefined, reason: string): void => {
    if (from !== ws || !active) return;
    stop();
    const was = connected;
    connected = false;
    if (was) {
      fire('disconnect', reason);
      for (const [id, pending] of acks) if (pending.sent) settle(id, new Error(reason));
    } else {
      fire('connect_error', new Error(reason));
    }
    if (!active) return;
    // socket.io-client's backoff: 1 s, 2 s, 4 s… each ±50 % at random, never over 5 s.
    timer = setTimeout(open, Math.min(reconnectDelayMaxMs, reconnectDelayMs * 2 ** Math.min(attempts++, 8) * (0.5 + Math.random())));
  };

  // The browser knows the network is gone before the ping deadline does (socket.io-client too).
  const offline = (): void => lost(ws, 'transport close');

  /** Expects the relay's next ping within pingInterval + pingTimeout, or counts it as gone. */
  const beat = (on: WebSocket): void => {
    clearTimeout(timer);
    deadline = Date.now() + silence;
    timer = setTimeout(() => lost(on, 'ping timeout'), silence);
  };

  const handshake = (on: WebSocket, json: string): void => {
    const hello = parse(json);
    if (!isRecord(hello) || typeof hello['sid'] !== 'string') return;
    const { pingInterval, pingTimeout, maxPayload: max } = hello;
    if (!isDuration(pingInterval) || !isDuration(pingTimeout) || !Number.isInteger(max) || (max as number) <= 0) return;
    maxPayload = max as number;
    silence = pingInterval + pingTimeout;
    // As socket.io-client: a connection that opened starts the backoff over.
    attempts = 0;
    beat(on);
    addEventListener('offline', offline);
    const data = auth?.();
    on.send(`40${prefix}${data ? JSON.stringify(data) : ''}`);
  };

  /** One Socket.IO packet (after the Engine.IO `4`), if it is for our namespace and well formed. */
  const packet = (on: WebSocket, text: string): void => {
    if (!text.startsWith(prefix, 1)) return;
    const type = text[0];
    // [ack id][JSON]; with the main namespace, a `/` here is another namespace's packet.
    const match = /^(\d{0,15})([^/\d][\s\S]*)?$/.exec(text.slice(1 + prefix.length));
    if (!match) return;
    const id = match[1] ? Number(match[1]) : undefined;
    const json = match[2];
    const body = json === undefined ? undefined : parse(json);
    if (type === '0' && !connected && id === undefined && isRecord(body) && typeof body['sid'] === 'string') {
      connected = true;
      // The buffer leaves before `connect` is told, as in socket.io-client.
      const waiting = buffer;
      buffer = [];
      for (const [frame, waitingId] of waiting) write(frame, waitingId);
      // Unless a callback of a request that could not leave closed the socket meanwhile.
      if (connected) fire('connect');
    } else if (type === '4' && !connected && id === undefined && isRecord(body) && typeof body['message'] === 'string') {
      finish('connect_error', new Error(body['message']));
    } else if (type === '1' && id === undefined && json === undefined) {
      finish('disconnect', 'io server disconnect');
    } else if (type === '2' && connected && Array.isArray(body) && typeof body[0] === 'string' && !reserved.has(body[0])) {
      const args: unknown[] = body.slice(1);
      if (id !== undefined) {
        let answered = false;
        // The relay asked for an acknowledgement: answered once, and only on the connection it
        // asked on (an id means nothing on another one).
        args.push((...reply: unknown[]) => {
          if (answered || on !== ws) return;
          answered = true;
          on.send(`43${prefix}${id}${JSON.stringify(reply)}`);
        });
      }
      fire(body[0], ...args);
    } else if (type === '3' && id !== undefined && Array.isArray(body) && acks.get(id)?.sent) {
      settle(id, null, body);
    }
  };

  const receive = (on: WebSocket, data: unknown): void => {
    if (on !== ws || typeof data !== 'string') return;
    if (data[0] === '4' && deadline) packet(on, data.slice(1));
    else if (data === '2' && deadline) {
      on.send('3');
      beat(on);
    } else if (data[0] === '0' && !deadline) handshake(on, data.slice(1));
    else if (data === '1') lost(on, 'transport close');
    // `3` (pong: we never ping), `6` (noop) and anything else: nothing to do.
  };

  function open(): void {
    let socket: WebSocket;
    try {
      const address = new URL(`${path.replace(/\/$/, '')}/?EIO=4&transport=websocket`, url);
      address.protocol = address.protocol.replace('http', 'ws');
      socket = new WebSocket(address);
    } catch {
      // A URL that cannot be a relay's fails like a relay that cannot be reached: told
      // asynchronously (after the caller has added its listeners), and retried.
      timer = setTimeout(() => lost(undefined, 'transport error'));
      return;
    }
    ws = socket;
    socket.onmessage = (event) => receive(socket, event.data);
    socket.onclose = () => lost(socket, 'transport close');
    timer = setTimeout(() => lost(socket, 'timeout'), openTimeoutMs);
  }

  open();

  return {
    get connected() {
      return connected;
    },
    get active() {
      return active;
    },
    on(event, listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
    },
    removeAllListeners() {
      listeners.clear();
    },
    emit(event, payload, volatile = false) {
      // Dropped while down rather than buffered.
      if (!volatile || live()) queue(event, payload);
    },
    request(event, payload, timeoutMs, callback) {
      const id = ids++;
      acks.set(id, { callback, timer: setTimeout(() => settle(id, new Error('timeout')), timeoutMs), sent: false });
      queue(event, payload, id);
    },
    disconnect() {
      if (!active) return;
      if (connected) ws?.send(`41${prefix}`);
      finish(connected ? 'disconnect' : undefined, 'io client disconnect');
    },
  };
}
