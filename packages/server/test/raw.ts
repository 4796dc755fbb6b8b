// SPDX-License-Identifier: Apache-2.0
/**
 * Helpers for hostile-input tests that go below socket.io-client: a raw websocket speaking
 * engine.io and Socket.IO packets as text, so a test can send what no well-behaved client
 * would (reserved event names, broken binary placeholders, lying attachment counts); a raw
 * TCP socket; a watch on the process for uncaught exceptions; and the check every such test
 * ends with — a chat that was under way all along still carries a message both ways.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { connect as connectTcp, type Socket as TcpSocket } from 'node:net';
import { after } from 'node:test';
import { isErrorCode, socketPath } from '@kindred/protocol';
import type WebSocketClass from 'ws';
import type { Relay } from '../src/relay.js';
import { expectOk, hospital, next, pair, request } from './helpers.js';
import { box } from './box.js';

// The very `ws` the relay runs on (socket.io → engine.io → ws), not whichever copy is hoisted.
const requireHere = createRequire(import.meta.url);
const engineIoMain = createRequire(requireHere.resolve('socket.io')).resolve('engine.io');
const WebSocket = createRequire(engineIoMain)('ws') as typeof WebSocketClass;

/** What became of a request sent raw: its acknowledgement, or the relay closing the connection. */
export type Outcome = { answer: unknown } | { closed: true };

/** A raw websocket to the relay, past the engine.io handshake. */
export interface RawSocket {
  /** Sends one websocket frame as it is: text (an engine.io packet) or binary (an attachment). */
  send(frame: string | Buffer): void;
  /** The next text frame that `wanted` accepts, or a rejection after `ms`. */
  next(wanted: (frame: string) => boolean, ms?: number): Promise<string>;
  /** Resolves when the relay (or anything) closes the connection. */
  readonly closed: Promise<void>;
  isClosed(): boolean;
  close(): void;
}

const openSockets = new Set<RawSocket>();
after(() => {
  for (const socket of openSockets) socket.close();
});

/** Where a raw connection comes from: another loopback address, extra request headers. */
export interface RawOptions {
  localAddress?: string;
  headers?: Record<string, string>;
}

/** Opens a websocket as a browser on the hospital's page would, and waits for engine.io's open packet. */
export async function rawSocket(relay: Relay, options: RawOptions = {}): Promise<RawSocket> {
  const url = `${relay.url.replace('http:', 'ws:')}${socketPath}/?EIO=4&transport=websocket`;
  const ws = new WebSocket(url, {
    headers: { origin: hospital, ...options.headers },
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
  });
  const frames: string[] = [];
  const waiters = new Set<() => void>();
  let closed = false;
  const closedPromise = new Promise<void>((resolve) => {
    ws.once('close', () => {
      closed = true;
      for (const wake of waiters) wake();
      resolve();
    });
  });
  ws.on('error', () => {}); // a refused or reset connection shows up as 'close'
  // ws 8 passes (data, isBinary); the installed type definitions describe ws 7's (data).
  ws.on('message', (data: WebSocketClass.Data, ...rest: unknown[]) => {
    if (rest[0] === true) return; // a binary frame
    const frame = data.toString();
    if (frame === '2') ws.send('3'); // engine.io ping → pong
    frames.push(frame);
    for (const wake of waiters) wake();
  });

  const socket: RawSocket = {
    send: (frame) => ws.send(frame),
    next(wanted, ms = 3_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const index = frames.findIndex(wanted);
          if (index >= 0) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(frames.splice(index, 1)[0]!);
          } else if (closed) {
            waiters.delete(check);
            clearTimeout(timer);
            reject(new Error('the connection closed'));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no such frame within ${ms} ms`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
    closed: closedPromise,
    isClosed: () => closed,
    close: () => ws.terminate(),
  };
  openSockets.add(socket);
  await socket.next((frame) => frame.startsWith('0{'));
  return socket;
}

/** A raw websocket connected to `namespace` (Socket.IO CONNECT, then its answer). */
export async function rawNamespace(relay: Relay, namespace: '/survivor' | '/peer', options: RawOptions & { auth?: object } = {}): Promise<RawSocket> {
  const { auth = {}, ...rawOptions } = options;
  const socket = await rawSocket(relay, rawOptions);
  socket.send(`40${namespace},${JSON.stringify(auth)}`);
  const answer = await socket.next((frame) => frame.startsWith(`40${namespace},`) || frame.startsWith(`44${namespace},`));
  assert.ok(answer.startsWith(`40${namespace},`), `connected to ${namespace}: ${answer}`);
  return socket;
}

/**
 * Waits for the acknowledgement with `ackId` in `namespace` (`43/survivor,7[…]`), or for the
 * connection to close; neither within `ms` rejects: silence is never an answer.
 */
export async function outcome(socket: RawSocket, namespace: string, ackId: number, ms = 3_000): Promise<Outcome> {
  const prefix = `43${namespace},${ackId}[`;
  const answered = socket.next((frame) => frame.startsWith(prefix), ms).then(
    (frame): Outcome => ({ answer: (JSON.parse(frame.slice(prefix.length - 1)) as unknown[])[0] }),
    (error: Error): Outcome | Promise<never> => (socket.isClosed() ? { closed: true } : Promise.reject(error)),
  );
  return Promise.race([answered, socket.closed.then((): Outcome => ({ closed: true }))]);
}

/** The error code of an acknowledgement that failed, or undefined. */
export function codeOf(outcome: Outcome): string | undefined {
  if (!('answer' in outcome)) return undefined;
  const answer = outcome.answer as { ok?: unknown; error?: { code?: unknown } };
  return answer.ok === false && isErrorCode(answer.error?.code) ? answer.error.code : undefined;
}

/** A raw TCP connection to the relay's port. */
export async function rawTcp(relay: Relay): Promise<TcpSocket> {
  const socket = connectTcp(relay.port, '127.0.0.1');
  socket.on('error', () => {}); // a reset shows up as 'close'
  await once(socket, 'connect');
  after(() => socket.destroy());
  return socket;
}

/**
 * Watches this process for uncaught exceptions and unhandled rejections, which the relay
 * under test (running in this process) must never cause. `assertNone()` fails the test with
 * whatever was caught.
 */
export function watchForCrashes(): { assertNone(): void } {
  const caught: unknown[] = [];
  const onError = (error: unknown) => caught.push(error);
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  const stop = () => {
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
  };
  after(stop);
  return {
    assertNone() {
      assert.deepEqual(caught.map(String), [], 'no uncaught exception or unhandled rejection');
    },
  };
}

/** A chat under way: a survivor and a peer, paired, who have not sent anything yet. */
export type Bystanders = Awaited<ReturnType<typeof pair>>;

/** Pairs a survivor and a peer before the hostile part of a test begins. */
export function bystanders(relay: Relay): Promise<Bystanders> {
  return pair(relay);
}

/**
 * The chat that was under way all along still works: a message each way arrives, and a new
 * survivor (from `newcomerAddress`, by default 127.0.0.1; null: none) can still connect.
 * `round` keeps sequence numbers increasing across calls.
 */
export async function assertStillChatting(
  relay: Relay,
  chat: Bystanders,
  { round = 1, newcomerAddress = '127.0.0.1' as string | null } = {},
): Promise<void> {
  const toPeer = next(chat.peer, 'message:received');
  expectOk(await request(chat.survivor, 'message:send', { id: `s${round}`, seq: round, box: box('are you still there?') }));
  assert.equal((await toPeer).box, box('are you still there?'));
  const toSurvivor = next(chat.survivor, 'message:received');
  expectOk(await request(chat.peer, 'message:send', { chatId: chat.chatId, id: `p${round}`, seq: round, box: box('yes, still here') }));
  assert.equal((await toSurvivor).box, box('yes, still here'));
  if (newcomerAddress === null) return;
  const newcomer = await rawNamespace(relay, '/survivor', { localAddress: newcomerAddress });
  newcomer.close();
}
