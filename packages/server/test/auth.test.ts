// SPDX-License-Identifier: Apache-2.0
/**
 * Peer sign-in. Every way a token can be wrong gets the same `auth-failed`, so a probe cannot
 * tell a forged token from an expired one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { peerResumePattern } from '@kindred/protocol';
import { SignJWT, UnsecuredJWT } from 'jose';
import { client, connect, secret, startRelay } from './helpers.js';
import { signPeerToken } from '../src/relay.js';

const key = (s: string) => new TextEncoder().encode(s);
const now = () => Math.floor(Date.now() / 1000);

const refusals: { title: string; token: () => Promise<unknown> }[] = [
  { title: 'no token at all', token: async () => undefined },
  { title: 'a token that is not a string', token: async () => ({ name: 'Robin' }) },
  { title: 'a token that is not a JWT', token: async () => 'not-a-token' },
  { title: 'a token signed with another secret', token: () => signPeerToken('another-secret-that-is-long-enough-0123', { name: 'Robin', ttlSeconds: 60 }) },
  {
    title: 'an expired token',
    token: () =>
      new SignJWT({ name: 'Robin', maxChats: 1 }).setProtectedHeader({ alg: 'HS256' }).setIssuer('kindred-relay')
        .setAudience('kindred-peer').setIssuedAt(now() - 120).setExpirationTime(now() - 60).sign(key(secret)),
  },
  {
    title: 'alg: none (CVE-2015-9235 class)',
    token: async () => new UnsecuredJWT({ name: 'Robin', maxChats: 1 }).setIssuer('kindred-relay').setAudience('kindred-peer').setExpirationTime('1h').encode(),
  },
  {
    title: 'a token for another audience',
    token: () =>
      new SignJWT({ name: 'Robin', maxChats: 1 }).setProtectedHeader({ alg: 'HS256' }).setIssuer('kindred-relay')
        .setAudience('somewhere-else').setExpirationTime('1h').sign(key(secret)),
  },
  {
    title: 'a token without an expiry',
    token: () =>
      new SignJWT({ name: 'Robin', maxChats: 1 }).setProtectedHeader({ alg: 'HS256' }).setIssuer('kindred-relay')
        .setAudience('kindred-peer').sign(key(secret)),
  },
  {
    title: 'a token issued to live longer than 7 days',
    token: () =>
      new SignJWT({ name: 'Robin', maxChats: 1 }).setProtectedHeader({ alg: 'HS256' }).setIssuer('kindred-relay')
        .setAudience('kindred-peer').setIssuedAt().setExpirationTime('8d').sign(key(secret)),
  },
  {
    title: 'a token whose claims are malformed',
    token: () =>
      new SignJWT({ name: '', maxChats: 99 }).setProtectedHeader({ alg: 'HS256' }).setIssuer('kindred-relay')
        .setAudience('kindred-peer').setExpirationTime('1h').sign(key(secret)),
  },
];

for (const { title, token } of refusals) {
  test(`refused with auth-failed: ${title}`, async () => {
    const relay = await startRelay();
    const socket = client(relay, '/peer', { auth: { token: await token() } });
    await assert.rejects(connect(socket), { message: 'auth-failed' });
    assert.equal(relay.counts().peers, 0);
  });
}

test('a valid token signs the peer in under the name it carries', async () => {
  const relay = await startRelay();
  const token = await signPeerToken(secret, { name: 'Robin', maxChats: 3, ttlSeconds: 60 });
  const socket = client(relay, '/peer', { auth: { token } });
  const ready = new Promise((resolve) => socket.once('session:ready', resolve));
  await connect(socket);
  const session = (await ready) as Record<string, unknown>;
  assert.deepEqual(
    { name: session.name, maxChats: session.maxChats, onDuty: session.onDuty, resumed: session.resumed, chats: session.chats },
    { name: 'Robin', maxChats: 3, onDuty: false, resumed: false, chats: [] },
  );
  assert.match(String(session.resume), peerResumePattern, 'a token to resume this session with (signed by the relay: it carries the expiry)');
});
