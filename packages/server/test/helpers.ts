// SPDX-License-Identifier: Apache-2.0
/**
 * Test helpers: a real relay on a free loopback port and real socket.io-client connections,
 * as a browser would make them (websocket only, with an Origin header).
 */
import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import type { Ack, Board, PeerSession, QueueEntry } from '@kindred/protocol';
import { io, type Socket } from 'socket.io-client';
import { createRelay, signPeerToken, type Relay, type RelayConfig } from '../src/relay.js';

export const secret = 'test-secret-that-is-long-enough-0123456789';
export const hospital = 'https://hospital.example';

/**
 * Set when this run checks the relay against the shared Redis state (redis-parity.test.ts runs
 * chosen suites again with it): every relay these helpers start then uses that Redis, each
 * under a key prefix of its own so that tests do not see each other's queues.
 */
export const sharedRedisUrl = process.env.KINDRED_TEST_REDIS_URL;

/** Starts a relay for this test file; it is closed when the file's tests are done. */
export async function startRelay(overrides: Partial<RelayConfig> = {}): Promise<Relay> {
  const shared = sharedRedisUrl ? { redisUrl: sharedRedisUrl, redisPrefix: `t${randomBytes(4).toString('hex')}` } : {};
  const relay = await createRelay({ port: 0, host: '127.0.0.1', secret, origins: [hospital], ...shared, ...overrides });
  after(() => relay.close());
  return relay;
}

const open = new Set<Socket>();
after(() => {
  for (const socket of open) socket.disconnect();
});

/** A client socket on `namespace`, not yet connected. */
export function client(
  relay: Relay,
  namespace: '/survivor' | '/peer',
  options: { origin?: string | null; auth?: Record<string, unknown>; localAddress?: string } = {},
): Socket {
  const origin = options.origin === undefined ? hospital : options.origin;
  const socket = io(relay.url + namespace, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    autoConnect: false,
    extraHeaders: origin === null ? {} : { origin },
    auth: options.auth ?? {},
    // The loopback address the client connects from (any 127.x.y.z works on Linux).
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
  });
  open.add(socket);
  return socket;
}

/** Connects and resolves once connected; rejects with the relay's error message when refused. */
export function connect(socket: Socket): Promise<Socket> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => reject(error));
    socket.connect();
  });
}

/** A connected survivor. */
export function survivor(relay: Relay): Promise<Socket> {
  return connect(client(relay, '/survivor'));
}

/** A connected peer with a valid token, already on duty unless `onDuty: false`. */
export async function peer(
  relay: Relay,
  claims: { name?: string; maxChats?: number } = {},
  { onDuty = true } = {},
): Promise<Socket> {
  const token = await signPeerToken(secret, { name: claims.name ?? 'Robin', maxChats: claims.maxChats ?? 1, ttlSeconds: 600 });
  const socket = client(relay, '/peer', { auth: { token } });
  const ready = next(socket, 'session:ready');
  await connect(socket);
  await ready;
  if (onDuty) expectOk(await request(socket, 'duty:set', { onDuty: true }));
  return socket;
}

/** Sends a request and resolves with its acknowledgement. */
export function request<T = unknown>(socket: Socket, event: string, payload: unknown): Promise<Ack<T>> {
  return socket.timeout(2_000).emitWithAck(event, payload) as Promise<Ack<T>>;
}

/** The data of a successful acknowledgement; throws with the code otherwise. */
export function expectOk<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`expected ok, got ${ack.error.code}`);
  return ack.data;
}

/** The next `event` on `socket` (its first argument), or a rejection after `ms`. */
export function next<T = any>(socket: Socket, event: string, ms = 2_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    const listener = (payload: T, ack?: (value: true) => void) => {
      clearTimeout(timer);
      socket.off(event, listener);
      ack?.(true);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}

/** The next `event` on `socket` whose payload satisfies `wanted`, skipping the others. */
export function nextWhere<T = any>(socket: Socket, event: string, wanted: (payload: T) => boolean, ms = 10_000): Promise<T> {
  // One listener for the whole wait: re-listening after each unwanted payload missed one that
  // arrived in the same tick (two boards in one burst), and the wait then timed out.
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no ${event} as wanted within ${ms} ms`));
    }, ms);
    const listener = (payload: T, ack?: (value: true) => void) => {
      ack?.(true);
      if (!wanted(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}

type WaitingList = { total: number; entries: QueueEntry[] };

/** The next waiting-list update on a peer socket that satisfies `wanted` (by default: not empty). */
export function queueUpdate(socket: Socket, wanted: (list: WaitingList) => boolean = (list) => list.total > 0) {
  return nextWhere<WaitingList>(socket, 'queue:updated', wanted);
}

/**
 * Watches `event` on `socket`, for asserting that nothing arrives. `settle()` makes one round
 * trip on that same socket first: the relay handles a connection's packets in order, so by the
 * time it answers, anything it had already sent this socket has arrived. Call it after awaiting
 * whatever might have leaked.
 */
export function watch<T = unknown>(socket: Socket, event: string): { settle(): Promise<T[]> } {
  const seen: T[] = [];
  const listener = (payload: T) => seen.push(payload);
  socket.on(event, listener);
  return {
    async settle() {
      await request(socket, 'sync:probe', {}); // answered event-unknown, changes nothing
      socket.off(event, listener);
      return seen;
    },
  };
}

/** Resolves after `ms` with every `event` seen meanwhile: for what must not happen within a time. */
export function collect<T = unknown>(socket: Socket, event: string, ms: number): Promise<T[]> {
  const seen: T[] = [];
  const listener = (payload: T) => seen.push(payload);
  socket.on(event, listener);
  return new Promise((resolve) =>
    setTimeout(() => {
      socket.off(event, listener);
      resolve(seen);
    }, ms),
  );
}

/** A waiting survivor and an on-duty peer who accepted them. */
export async function pair(relay: Relay, peerSocket?: Socket) {
  const peerClient = peerSocket ?? (await peer(relay));
  const survivorClient = await survivor(relay);
  const queued = queueUpdate(peerClient);
  expectOk(await request(survivorClient, 'chat:start', {}));
  const entry = (await queued).entries.at(-1)!;
  const joined = next(survivorClient, 'peer:joined');
  const chat = expectOk(await request<{ chatId: string; survivorName: string }>(peerClient, 'chat:accept', { ticket: entry.ticket }));
  await joined;
  return { survivor: survivorClient, peer: peerClient, chatId: chat.chatId, survivorName: chat.survivorName };
}

/**
 * A connected peer with a valid token, and the `session:ready` it was sent (its resume token
 * among it): on duty unless `onDuty: false`. For tests that reload a console or read its session.
 */
export async function peerSession(
  relay: Relay,
  claims: { name?: string; maxChats?: number } = {},
  { onDuty = true } = {},
): Promise<{ socket: Socket; ready: PeerSession }> {
  const token = await signPeerToken(secret, { name: claims.name ?? 'Robin', maxChats: claims.maxChats ?? 1, ttlSeconds: 600 });
  return peerBack(relay, { token }, { onDuty });
}

/** A peer connection signing in with `auth` (a token, or a resume token after a reload), and its `session:ready`. */
export async function peerBack(relay: Relay, auth: { token?: string; resume?: string }, { onDuty = false } = {}): Promise<{ socket: Socket; ready: PeerSession }> {
  const socket = client(relay, '/peer', { auth });
  const ready = next<PeerSession>(socket, 'session:ready');
  await connect(socket);
  const session = await ready;
  if (onDuty) expectOk(await request(socket, 'duty:set', { onDuty: true }));
  return { socket, ready: session };
}

/**
 * A connected supervisor (their token's role), off duty unless `onDuty`, and the board the
 * relay sent them right after `session:ready`.
 */
export async function supervisor(
  relay: Relay,
  claims: { name?: string; maxChats?: number } = {},
  { onDuty = false } = {},
): Promise<{ socket: Socket; board: Board }> {
  const token = await signPeerToken(secret, { name: claims.name ?? 'Sage', maxChats: claims.maxChats ?? 1, role: 'supervisor', ttlSeconds: 600 });
  const socket = client(relay, '/peer', { auth: { token } });
  const ready = next(socket, 'session:ready');
  const board = next<Board>(socket, 'board:updated');
  await connect(socket);
  await ready;
  const first = await board;
  if (onDuty) expectOk(await request(socket, 'duty:set', { onDuty: true }));
  return { socket, board: first };
}
