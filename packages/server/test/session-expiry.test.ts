// SPDX-License-Identifier: Apache-2.0
/**
 * A peer's session ends when their sign-in token does. PROTECTS the promise that a token's
 * `exp` means what it says, even in the middle of a shift: at expiry the console is told
 * (`session:expired`) and disconnected, its chats go the way of any peer who left (held for the
 * grace period, then each survivor is first in line again), and the resume token the console
 * holds no longer takes the session back, on this relay or any other.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SignJWT } from 'jose';
import type { Socket } from 'socket.io-client';
import { signPeerToken, type Relay } from '../src/relay.js';
import { client, connect, expectOk, next, pair, queueUpdate, request, secret, startRelay, survivor } from './helpers.js';
import { metricsToken, scrape } from './metrics-text.js';
import { deployment, startRedis } from './redis.js';

const graceMs = 1_000;

/** A peer on duty whose token expires at the next whole second but one (exp is in seconds). */
async function shortLivedPeer(relay: Relay, seconds = 2): Promise<{ socket: Socket; resume: string; expiresAt: number }> {
  const token = await signPeerToken(secret, { name: 'Robin', maxChats: 2, ttlSeconds: seconds });
  const expiresAt = (Math.floor(Date.now() / 1000) + seconds) * 1000;
  const socket = client(relay, '/peer', { auth: { token } });
  const ready = next(socket, 'session:ready');
  await connect(socket);
  const { resume } = await ready;
  expectOk(await request(socket, 'duty:set', { onDuty: true }));
  return { socket, resume, expiresAt };
}

/** Resolves with the reason of the socket's next disconnect. */
const disconnected = (socket: Socket) => new Promise<string>((resolve) => socket.once('disconnect', resolve));

test('at expiry the console is told, then disconnected by the relay; its survivor is requeued after the grace period', async () => {
  const relay = await startRelay({ resumeGraceMs: graceMs, metricsToken });
  const peer = await shortLivedPeer(relay);
  const chat = await pair(relay, peer.socket);
  const presence = next(chat.survivor, 'chat:presence', 5_000);
  const requeued = next(chat.survivor, 'chat:requeued', 5_000 + graceMs);
  const order: string[] = [];
  peer.socket.on('session:expired', () => order.push('session:expired'));
  const gone = disconnected(peer.socket).then((reason) => order.push(reason));

  await next(peer.socket, 'session:expired', 5_000);
  const toldAt = Date.now();
  assert.ok(toldAt >= peer.expiresAt - 50, `told at expiry, not before (${peer.expiresAt - toldAt} ms early)`);
  assert.ok(toldAt < peer.expiresAt + 1_000, 'told at expiry, not long after');
  await gone;
  assert.deepEqual(order, ['session:expired', 'io server disconnect'], 'told first, then disconnected by the relay (socket.io will not reconnect)');

  assert.deepEqual(await presence, { present: false }, 'the survivor learns at once that the peer is away');
  const { queue } = await requeued;
  assert.ok(Date.now() - toldAt >= graceMs - 100, 'requeued only after the grace period');
  assert.equal(queue.position, 1, 'first in line again');

  const metrics = await scrape(relay);
  assert.equal(metrics.value('kindred_peer_sessions_expired_total'), 1);
  assert.equal(metrics.value('kindred_chats_ended_total', { reason: 'peer-left' }), 1);
});

test('after expiry the old resume token is refused, and so is the expired sign-in token', async () => {
  const relay = await startRelay({ resumeGraceMs: 5_000 });
  const token = await signPeerToken(secret, { name: 'Robin', ttlSeconds: 2 });
  const socket = client(relay, '/peer', { auth: { token } });
  const ready = next(socket, 'session:ready');
  await connect(socket);
  const { resume } = await ready;
  await next(socket, 'session:expired', 5_000);
  // Well within the grace period: the session is still held for its chats, but not for this token.
  assert.equal(relay.counts().peers, 1, 'the session is still held for the grace period');
  await assert.rejects(connect(client(relay, '/peer', { auth: { resume } })), { message: 'auth-failed' });
  await assert.rejects(connect(client(relay, '/peer', { auth: { token, resume } })), { message: 'auth-failed' });
});

test('a resume before expiry keeps the original expiry: reconnecting does not extend a session', async () => {
  const relay = await startRelay({ resumeGraceMs: graceMs });
  const peer = await shortLivedPeer(relay, 3);
  peer.socket.disconnect();
  const again = client(relay, '/peer', { auth: { resume: peer.resume } });
  const ready = next(again, 'session:ready');
  await connect(again);
  const session = await ready;
  assert.equal(session.resumed, true);
  await next(again, 'session:expired', 5_000);
  assert.ok(Date.now() >= peer.expiresAt - 50, 'the resumed connection expires when the sign-in token does');
  assert.ok(Date.now() < peer.expiresAt + 1_000);
  await assert.rejects(connect(client(relay, '/peer', { auth: { resume: session.resume } })), { message: 'auth-failed' });
});

test('a new sign-in after expiry is a new session: the old chats are not handed over', async () => {
  const relay = await startRelay({ resumeGraceMs: graceMs });
  const peer = await shortLivedPeer(relay);
  const chat = await pair(relay, peer.socket);
  await next(peer.socket, 'session:expired', 5_000);
  const fresh = client(relay, '/peer', { auth: { token: await signPeerToken(secret, { name: 'Robin', ttlSeconds: 600 }), resume: peer.resume } });
  const ready = next(fresh, 'session:ready');
  await connect(fresh);
  const session = await ready;
  assert.deepEqual({ resumed: session.resumed, chats: session.chats }, { resumed: false, chats: [] });
  // The survivor is requeued, and the new session can accept them like anyone else.
  await next(chat.survivor, 'chat:requeued', 5_000);
  const listed = queueUpdate(fresh);
  expectOk(await request(fresh, 'duty:set', { onDuty: true }));
  const { entries } = await listed;
  expectOk(await request(fresh, 'chat:accept', { ticket: entries[0]!.ticket }));
});

const forgeries: Array<{ title: string; resume: (real: string) => Promise<string> }> = [
  {
    title: 'signed with another secret',
    resume: async (real) => {
      const claims = JSON.parse(Buffer.from(real.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
      return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('another-secret-that-is-long-enough-0123'));
    },
  },
  {
    title: 'signed with KINDRED_SECRET itself (the sign-in key, not the resume key), expiry pushed back',
    resume: async (real) => {
      const claims = JSON.parse(Buffer.from(real.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
      return new SignJWT({ ...claims, exp: Math.floor(Date.now() / 1000) + 86_400 }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));
    },
  },
  {
    title: 'its expiry changed without re-signing',
    resume: async (real) => {
      const [header, payload, signature] = real.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
      return `${header}.${Buffer.from(JSON.stringify({ ...claims, exp: Math.floor(Date.now() / 1000) + 86_400 })).toString('base64url')}.${signature}`;
    },
  },
];

for (const { title, resume } of forgeries) {
  test(`a forged resume token is refused: ${title}`, async () => {
    const relay = await startRelay();
    const socket = client(relay, '/peer', { auth: { token: await signPeerToken(secret, { name: 'Robin', ttlSeconds: 600 }) } });
    const ready = next(socket, 'session:ready');
    await connect(socket);
    const real = (await ready).resume as string;
    socket.disconnect();
    await assert.rejects(connect(client(relay, '/peer', { auth: { resume: await resume(real) } })), { message: 'auth-failed' });
    // The real one still works: the refusal was the forgery's.
    await connect(client(relay, '/peer', { auth: { resume: real } }));
  });
}

test('a sign-in token is no resume token, and a resume token no sign-in token', async () => {
  const relay = await startRelay();
  const token = await signPeerToken(secret, { name: 'Robin', ttlSeconds: 600 });
  const socket = client(relay, '/peer', { auth: { token } });
  const ready = next(socket, 'session:ready');
  await connect(socket);
  const { resume } = await ready;
  await assert.rejects(connect(client(relay, '/peer', { auth: { resume: token } })), { message: 'auth-failed' });
  await assert.rejects(connect(client(relay, '/peer', { auth: { token: resume } })), { message: 'auth-failed' });
});

test('relays sharing Redis: expiry on one relay, the resume refused on another, the survivor on a third requeued', async () => {
  const redis = await startRedis();
  const shared = deployment(redis);
  const [a, b, c] = await Promise.all([shared.relay({ resumeGraceMs: graceMs }), shared.relay({ resumeGraceMs: graceMs }), shared.relay({ resumeGraceMs: graceMs })]);
  const peer = await shortLivedPeer(a!);
  const survivorSocket = await survivor(c!);
  const queued = queueUpdate(peer.socket);
  expectOk(await request(survivorSocket, 'chat:start', {}));
  const { entries } = await queued;
  const joined = next(survivorSocket, 'peer:joined');
  expectOk(await request(peer.socket, 'chat:accept', { ticket: entries[0]!.ticket }));
  await joined;
  const requeued = next(survivorSocket, 'chat:requeued', 5_000 + graceMs);

  await next(peer.socket, 'session:expired', 5_000);
  await assert.rejects(connect(client(b!, '/peer', { auth: { resume: peer.resume } })), { message: 'auth-failed' });
  assert.equal((await requeued).queue.position, 1);
});
