// SPDX-License-Identifier: Apache-2.0
/**
 * Limits on connections. PROTECTS the relay from one address opening connection after
 * connection, and from more connections than it can hold — each refused with a code the
 * widget can explain (`rate-limited`, `relay-full`) — without keeping any address: counts are
 * keyed by an HMAC whose secret, and every count with it, is replaced each window.
 * The no-logs test proves, from a heap snapshot, that the clients' address is not retained.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import type { Server } from 'socket.io';
import { addressIdentity, clientAddress } from '../src/guard/client-address.js';
import { createConnectionGuard } from '../src/guard/connection-guard.js';
import { signPeerToken } from '../src/relay.js';
import { client, connect, hospital, secret, startRelay } from './helpers.js';
import { assertStillChatting, bystanders, rawSocket } from './raw.js';

/** Connects and resolves with the relay's refusal code, or 'connected'. */
async function attempt(socket: Socket): Promise<string> {
  try {
    await connect(socket);
    return 'connected';
  } catch (error) {
    return (error as Error).message;
  }
}

const from = (relay: Parameters<typeof client>[0], localAddress: string, namespace: '/survivor' | '/peer' = '/survivor') =>
  client(relay, namespace, { localAddress });

test('an address past its new connections per minute is refused rate-limited, across both namespaces; others are not', async () => {
  const relay = await startRelay({ connectionsPerMinute: 4 });
  const chat = await bystanders(relay); // two connections from 127.0.0.1
  assert.equal(await attempt(from(relay, '127.0.0.1')), 'connected');
  assert.equal(await attempt(from(relay, '127.0.0.1', '/peer')), 'auth-failed', 'counted before sign-in is checked');
  assert.equal(await attempt(from(relay, '127.0.0.1')), 'rate-limited', 'the fifth, whatever the namespace');
  const token = await signPeerToken(secret, { name: 'Robin', maxChats: 1, ttlSeconds: 600 });
  assert.equal(await attempt(client(relay, '/peer', { auth: { token } })), 'rate-limited', 'a valid sign-in too');
  assert.equal(await attempt(from(relay, '127.0.0.2')), 'connected', 'another address is not held up');
  // The connections already open carry on.
  await assertStillChatting(relay, chat, { newcomerAddress: '127.0.0.3' });
});

test('behind a reverse proxy on the same machine, each X-Forwarded-For client is counted on its own', async () => {
  const relay = await startRelay({ connectionsPerMinute: 2 });
  const behindProxy = (forwardedFor: string) =>
    io(`${relay.url}/survivor`, { transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false, extraHeaders: { origin: hospital, 'x-forwarded-for': forwardedFor } });
  const sockets: Socket[] = [];
  const outcomes: string[] = [];
  for (const forwardedFor of ['127.0.0.7', '10.9.9.9, 127.0.0.7', '127.0.0.7', '127.0.0.8']) {
    const socket = behindProxy(forwardedFor);
    sockets.push(socket);
    outcomes.push(await attempt(socket));
  }
  for (const socket of sockets) socket.disconnect();
  // The last entry is the one the proxy wrote; what the client put before it is not trusted.
  assert.deepEqual(outcomes, ['connected', 'connected', 'rate-limited', 'connected']);
});

test('the relay holds at most maxConnections; the next is refused relay-full until one leaves', async () => {
  const relay = await startRelay({ maxConnections: 3 });
  const chat = await bystanders(relay);
  const third = client(relay, '/survivor');
  assert.equal(await attempt(third), 'connected');
  assert.equal(await attempt(client(relay, '/survivor')), 'relay-full');
  third.disconnect();
  let outcome = '';
  for (let tries = 0; tries < 30 && outcome !== 'connected'; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    outcome = await attempt(client(relay, '/survivor'));
  }
  assert.equal(outcome, 'connected', 'a place came free');
  // The relay is full again, so no newcomer: the chat under way is what must still work.
  await assertStillChatting(relay, chat, { newcomerAddress: null });
});

test('raw connections that never join a namespace are counted, and closed beyond twice the limit', async () => {
  const relay = await startRelay({ connectionsPerMinute: 3 });
  const raws = [];
  for (let i = 0; i < 10; i += 1) raws.push(await rawSocket(relay, { localAddress: '127.0.0.4' }));
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.deepEqual(
    raws.map((raw) => raw.isClosed()),
    [false, false, false, false, false, false, true, true, true, true],
  );
  for (const raw of raws) raw.close();
});

/** A stand-in for the Socket.IO server: the guard only reads the engine's count and listens to it. */
function fakeServer(clientsCount = 1): Server {
  return { engine: { clientsCount, on() {}, off() {} } } as unknown as Server;
}

const handshake = (address: string, forwardedFor?: string) => ({
  handshake: { address, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } },
});

function admits(guard: ReturnType<typeof createConnectionGuard>, socket: ReturnType<typeof handshake>): string {
  let result = '';
  guard.admit(socket, (error) => (result = error ? error.message : 'admitted'));
  return result;
}

test('each window starts with every count forgotten', () => {
  const guard = createConnectionGuard({ connectionsPerMinute: 2, maxConnections: 100 }, fakeServer());
  try {
    assert.equal(admits(guard, handshake('127.0.0.5')), 'admitted');
    assert.equal(admits(guard, handshake('127.0.0.5')), 'admitted');
    assert.equal(admits(guard, handshake('127.0.0.5')), 'rate-limited');
    assert.equal(admits(guard, handshake('::ffff:127.0.0.5')), 'rate-limited', 'the same address written as IPv6');
    assert.equal(admits(guard, handshake('127.0.0.6')), 'admitted', 'another address has its own count');
    guard.newWindow();
    assert.equal(admits(guard, handshake('127.0.0.5')), 'admitted', 'a new window, a clean slate');
  } finally {
    guard.close();
  }
});

test('a new window starts on its own every windowMs', async () => {
  const guard = createConnectionGuard({ connectionsPerMinute: 2, maxConnections: 100 }, fakeServer(), { windowMs: 50 });
  try {
    let refused = false;
    for (let i = 0; i < 10 && !refused; i += 1) refused = admits(guard, handshake('127.0.0.5')) === 'rate-limited';
    assert.ok(refused);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(admits(guard, handshake('127.0.0.5')), 'admitted');
  } finally {
    guard.close();
  }
});

test('the cap counts the connection asking: at maxConnections it is still admitted, past it refused', () => {
  const full = createConnectionGuard({ connectionsPerMinute: 0, maxConnections: 10 }, fakeServer(11));
  const room = createConnectionGuard({ connectionsPerMinute: 0, maxConnections: 10 }, fakeServer(10));
  try {
    assert.equal(admits(full, handshake('127.0.0.6')), 'relay-full');
    assert.equal(admits(room, handshake('127.0.0.6')), 'admitted');
  } finally {
    full.close();
    room.close();
  }
});

test('a client is an IPv4 address or an IPv6 /64; X-Forwarded-For counts only from this machine', () => {
  // Documentation prefixes (RFC 3849, RFC 5737): strings only, nothing is connected to.
  assert.equal(addressIdentity('2001:db8:1:2:3:4:5:6'), addressIdentity('2001:0db8:0001:0002:ffff::1'), 'one /64');
  assert.notEqual(addressIdentity('2001:db8:1:2::1'), addressIdentity('2001:db8:1:3::1'), 'another /64');
  assert.equal(addressIdentity('::ffff:192.0.2.1'), '192.0.2.1');
  assert.equal(addressIdentity('2001:db8::c000:201'), addressIdentity('2001:db8::192.0.2.1'));
  assert.equal(addressIdentity('fe80::1%eth0'), addressIdentity('fe80::2'));
  assert.equal(clientAddress('127.0.0.1', '192.0.2.1, 198.51.100.7'), '198.51.100.7', 'the entry the proxy wrote');
  assert.equal(clientAddress('::1', ['192.0.2.1']), '192.0.2.1');
  assert.equal(clientAddress('192.0.2.9', '198.51.100.7'), '192.0.2.9', 'from elsewhere the header is anyone’s to write');
  assert.equal(clientAddress('127.0.0.1', 'not-an-address'), '127.0.0.1');
  assert.equal(clientAddress('127.0.0.1', undefined), '127.0.0.1');
});
