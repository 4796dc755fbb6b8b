// SPDX-License-Identifier: Apache-2.0
/**
 * Slow clients (slowloris). PROTECTS the relay's sockets from clients that open a connection
 * and send a request a trickle at a time, to hold the socket for as long as the server lets
 * them: a request gets headersTimeoutMs for its headers and requestTimeoutMs in all (lowered
 * here to keep the test short), after which the relay closes it. Websockets, once upgraded,
 * are not requests any more, and a chat goes on for as long as it needs.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Socket as TcpSocket } from 'node:net';
import { test } from 'node:test';
import { startRelay } from './helpers.js';
import { assertStillChatting, bystanders, rawTcp } from './raw.js';

const headersTimeoutMs = 500;
const requestTimeoutMs = 1_000;
// Generous: Node looks for late requests at an interval, and other tests share the machine.
const closedWithinMs = 8_000;

/** Writes `next()` every 100 ms until the socket closes; resolves with what the relay answered and when. */
async function trickle(socket: TcpSocket, first: string, next: (i: number) => string): Promise<{ response: string; afterMs: number }> {
  const started = Date.now();
  let response = '';
  socket.on('data', (chunk) => (response += chunk));
  socket.write(first);
  let i = 0;
  const timer = setInterval(() => {
    if (!socket.destroyed && socket.writable) socket.write(next((i += 1)));
  }, 100);
  const deadline = setTimeout(() => socket.destroy(new Error('still open')), closedWithinMs);
  try {
    await once(socket, 'close');
  } finally {
    clearInterval(timer);
    clearTimeout(deadline);
  }
  return { response, afterMs: Date.now() - started };
}

test('a request whose headers trickle in is closed after the headers timeout, and chats carry on', { timeout: 30_000 }, async () => {
  const relay = await startRelay({ headersTimeoutMs, requestTimeoutMs });
  const chat = await bystanders(relay);

  const headers = await trickle(await rawTcp(relay), 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n', (i) => `X-Slow-${i}: 1\r\n`);
  assert.ok(headers.afterMs < closedWithinMs, `closed after ${headers.afterMs} ms`);
  assert.ok(headers.afterMs >= headersTimeoutMs - 50, 'not before its time');
  assert.match(headers.response, /^(HTTP\/1\.1 408|$)/, 'answered 408 Request Timeout, or closed');

  const requestLine = await trickle(await rawTcp(relay), 'GET /hea', () => 'l');
  assert.ok(requestLine.afterMs < closedWithinMs, `half a request line: closed after ${requestLine.afterMs} ms`);

  // Well past both timeouts, the websocket chat that started before is untouched.
  await assertStillChatting(relay, chat);
  const health = await fetch(`${relay.url}/healthz`);
  assert.equal(health.status, 200, 'a normal request is served');
});

test('a request whose body trickles in is closed after the request timeout', { timeout: 30_000 }, async () => {
  const relay = await startRelay({ headersTimeoutMs, requestTimeoutMs });
  const body = await trickle(
    await rawTcp(relay),
    'POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n',
    () => 'x',
  );
  assert.ok(body.afterMs < closedWithinMs, `closed after ${body.afterMs} ms`);
});

test('the timeouts are settings with sane bounds', async () => {
  await assert.rejects(startRelay({ headersTimeoutMs: 5_000, requestTimeoutMs: 1_000 }), /headersTimeoutMs/);
  await assert.rejects(startRelay({ headersTimeoutMs: 10 }), /headersTimeoutMs/);
});
