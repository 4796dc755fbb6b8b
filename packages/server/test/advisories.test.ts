// SPDX-License-Identifier: Apache-2.0
/**
 * The published advisories against Socket.IO, engine.io and ws, replayed against the relay.
 * PROTECTS the process — every survivor's chat at once — from the packets that took down
 * servers running the vulnerable versions. Each row names its advisory and says what its
 * payload did there; here each must be answered (an error code, or the connection closed),
 * leave no uncaught exception in this process, where the relay runs, and leave a chat that
 * was under way carrying messages both ways. versions.test.ts checks the fixed versions are
 * the ones installed; this file checks what the relay does, whatever the versions.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { socketPath } from '@kindred/protocol';
import { hospital, startRelay } from './helpers.js';
import { assertStillChatting, bystanders, codeOf, outcome, rawNamespace, rawTcp, watchForCrashes } from './raw.js';

const ns = '/survivor';
const frames4k = (count: number) => Array.from({ length: count }, () => Buffer.alloc(4_096, 1));

const packetAdvisories: { advisory: string; payload: string; frames: (string | Buffer)[]; expected: 'closed' | 'event-unknown' }[] = [
  {
    advisory: 'CVE-2022-2421 (GHSA-qm95-pgcg-qqfq), socket.io-parser < 4.2.1',
    // The decoder took `buffers[num]` for any `num`: "toString" put Array.prototype.toString,
    // a function, into the decoded payload, for the handler to call or keep.
    payload: 'a placeholder whose index is the name of an Array method',
    frames: [`451-${ns},1["chat:start",{"_placeholder":true,"num":"toString"}]`, Buffer.from('x')],
    expected: 'closed',
  },
  {
    advisory: 'CVE-2022-2421 (GHSA-qm95-pgcg-qqfq), socket.io-parser < 4.2.1',
    payload: 'a placeholder whose index is "__proto__"',
    frames: [`451-${ns},1["chat:start",{"_placeholder":true,"num":"__proto__"}]`, Buffer.from('x')],
    expected: 'closed',
  },
  {
    advisory: 'CVE-2023-32695 (GHSA-cqmj-92xf-r6r9), socket.io-parser < 4.2.3',
    // An object for an event name reached socket.emit, which threw "Cannot convert object to
    // primitive value" out of the event loop: the process died.
    payload: 'an event name that is an object with its own toString',
    frames: [`42${ns},1[{"toString":"foo"},{}]`],
    expected: 'closed',
  },
  {
    advisory: 'CVE-2023-32695 (GHSA-cqmj-92xf-r6r9), socket.io-parser < 4.2.3',
    payload: 'the same, without a callback',
    frames: [`42${ns},[{"toString":"foo"}]`],
    expected: 'closed',
  },
  {
    advisory: 'CVE-2024-38355 (GHSA-25hc-qcg6-38wj), socket.io < 4.6.2',
    // An event named "error" was emitted on a server socket with no "error" listener, and
    // Node threw ERR_UNHANDLED_ERROR: the process died. The relay's gate knows no such event.
    payload: 'an event named "error", with nothing and then with a callback',
    frames: [`42${ns},["error"]`, `42${ns},1["error",{}]`],
    expected: 'event-unknown',
  },
  {
    advisory: 'CVE-2026-33151 (GHSA-677m-j7p3-52f9), socket.io-parser < 4.2.6',
    // A binary packet could announce any number of attachments, and the decoder kept every
    // binary frame that followed until the count was reached: memory without bound.
    payload: 'a binary packet announcing 99,999,999 attachments, then 20 frames of 4 KB',
    frames: [`4599999999-${ns},1["chat:start",{"_placeholder":true,"num":0}]`, ...frames4k(20)],
    expected: 'closed',
  },
  {
    advisory: 'GHSA-2m8v-j782-fhvr (CVE-2026-69185), socket.io-parser < 4.2.7',
    // Zero announced attachments: the packet could never complete, and again every binary
    // frame that followed was kept.
    payload: 'a binary packet announcing zero attachments, then 20 frames of 4 KB',
    frames: [`450-${ns},1["chat:start",{}]`, ...frames4k(20)],
    expected: 'closed',
  },
];

test('Socket.IO packet advisories: each is answered, nothing is thrown, and chats carry on', { timeout: 60_000 }, async () => {
  const crashes = watchForCrashes();
  const relay = await startRelay({ connectionsPerMinute: 1_000 });
  const chat = await bystanders(relay);
  for (const row of packetAdvisories) {
    const socket = await rawNamespace(relay, ns);
    for (const frame of row.frames) socket.send(frame);
    const result = await outcome(socket, ns, 1);
    assert.equal('closed' in result ? 'closed' : codeOf(result), row.expected, `${row.advisory}: ${row.payload}`);
    socket.close();
  }
  crashes.assertNone();
  await assertStillChatting(relay, chat);
});

/** Sends a raw HTTP request and resolves with the status line of the answer, or 'closed'. */
async function rawRequest(relay: Awaited<ReturnType<typeof startRelay>>, text: string): Promise<string> {
  const socket = await rawTcp(relay);
  let received = '';
  socket.on('data', (chunk) => (received += chunk));
  socket.write(text);
  const timer = setTimeout(() => socket.destroy(), 5_000);
  await Promise.race([once(socket, 'close'), new Promise((resolve) => socket.on('data', () => received.includes('\r\n') && resolve(undefined)))]);
  clearTimeout(timer);
  socket.destroy();
  return received === '' ? 'closed' : received.split('\r\n')[0]!;
}

test('CVE-2024-37890 (GHSA-3h5v-q93c-6h6q), ws < 8.17.1: an upgrade with more headers than maxHeadersCount', { timeout: 30_000 }, async () => {
  // Node keeps the first 2,000 headers (server.maxHeadersCount); the advisory's proof of
  // concept puts 2,000 filler headers first, so the Upgrade, Sec-WebSocket-Key and -Version
  // headers are dropped from req.headers while the request is still an upgrade, and ws read
  // a header that was not there: an uncaught TypeError killed the process.
  const crashes = watchForCrashes();
  const relay = await startRelay();
  const chat = await bystanders(relay);
  const chars = "!#$%&'*+-.0123456789abcdefghijklmnopqrstuvwxyz^_`|~".split('');
  const filler = chars.flatMap((a) => chars.map((b) => `${a}${b}: x\r\n`)).slice(0, 2_000);
  const request =
    `GET ${socketPath}/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:${relay.port}\r\n` +
    filler.join('') +
    `Origin: ${hospital}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';
  const status = await rawRequest(relay, request);
  assert.match(status, /^HTTP\/1\.1 400 /, `refused, not upgraded: ${status}`);
  crashes.assertNone();
  await assertStillChatting(relay, chat);
});

/** A websocket frame from a client (masked), with `firstByte` as given: FIN, RSV bits, opcode. */
function clientFrame(firstByte: number, payload: string): Buffer {
  const body = Buffer.from(payload);
  const mask = Buffer.from([1, 2, 3, 4]);
  const masked = body.map((byte, i) => byte ^ mask[i % 4]!);
  return Buffer.concat([Buffer.from([firstByte, 0x80 | body.length]), mask, masked]);
}

test('CVE-2022-21676 (GHSA-273r-mgr4-v34f), engine.io < 6.1.1: a websocket frame with RSV bits set', { timeout: 30_000 }, async () => {
  // The RangeError ws raises for a frame with RSV2/RSV3 set ("RSV2 and RSV3 must be clear")
  // went unhandled in engine.io and killed the process. Here, after a real handshake, the
  // frame must only close that one connection.
  const crashes = watchForCrashes();
  const relay = await startRelay();
  const chat = await bystanders(relay);
  const socket = await rawTcp(relay);
  let received = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
  socket.write(
    `GET ${socketPath}/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:${relay.port}\r\nOrigin: ${hospital}\r\n` +
      'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  while (!received.includes('\r\n\r\n')) await once(socket, 'data');
  assert.match(received.toString('latin1'), /^HTTP\/1\.1 101/, 'a real websocket first');
  const closed = once(socket, 'close');
  socket.write(clientFrame(0x80 | 0x20 | 0x01, '40/survivor,')); // FIN, RSV2, text
  const timer = setTimeout(() => socket.destroy(new Error('still open')), 5_000);
  await closed;
  clearTimeout(timer);
  crashes.assertNone();
  await assertStillChatting(relay, chat);
});
