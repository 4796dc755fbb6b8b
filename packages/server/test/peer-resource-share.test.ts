// SPDX-License-Identifier: Apache-2.0
/** Peers share the hospital's configured resources as cards; a card carries only configured content. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Resource } from '@kindred/protocol';
import { defaultHospital } from '../src/config.js';
import { signPeerToken } from '../src/relay.js';
import { client, connect, expectOk, next, pair, peer, request, secret, startRelay, watch } from './helpers.js';

const samaritans: Resource = {
  id: 'samaritans',
  name: 'Samaritans',
  description: 'Someone to talk to, day or night.',
  phone: '116 123',
  url: 'https://www.samaritans.org',
  hours: '24 hours, every day',
};
const hospital = { ...defaultHospital, resources: [samaritans] };

test('peers are given the resources they can share when they sign in', async () => {
  const relay = await startRelay({ hospital });
  const token = await signPeerToken(secret, { name: 'Robin', ttlSeconds: 60 });
  const socket = client(relay, '/peer', { auth: { token } });
  const ready = next(socket, 'session:ready');
  await connect(socket);
  assert.deepEqual((await ready).resources, [samaritans]);
});

test('a shared resource reaches the survivor as a card and is marked delivered', async () => {
  const relay = await startRelay({ hospital });
  const { survivor: sam, peer: robin, chatId } = await pair(relay);
  const card = next(sam, 'resource:shared');
  const delivered = next(robin, 'message:delivered');
  const ack = expectOk(await request<{ resource: Resource; sentAt: number }>(robin, 'resource:share', { chatId, id: 'r1', seq: 1, resourceId: 'samaritans' }));
  assert.deepEqual(ack.resource, samaritans);
  assert.deepEqual(await card, { id: 'r1', seq: 1, resource: samaritans, sentAt: ack.sentAt });
  assert.deepEqual(await delivered, { chatId, id: 'r1' });
});

test('unknown resources, and other peers’ chats, get not-found and send nothing', async () => {
  const relay = await startRelay({ hospital });
  const { survivor: sam, peer: robin, chatId } = await pair(relay);
  const cards = watch(sam, 'resource:shared');
  const unknown = await request(robin, 'resource:share', { chatId, id: 'u', seq: 1, resourceId: 'not-configured' });
  assert.equal(!unknown.ok && unknown.error.code, 'not-found');
  const intruder = await peer(relay, { name: 'Mallory' });
  const foreign = await request(intruder, 'resource:share', { chatId, id: 'x', seq: 1, resourceId: 'samaritans' });
  assert.equal(!foreign.ok && foreign.error.code, 'not-found');
  assert.deepEqual(await cards.settle(), []);
  const bad = await request(intruder, 'resource:share', { chatId, id: 'x', seq: 1, resourceId: 'Not An Id' });
  assert.equal(!bad.ok && bad.error.code, 'payload-invalid');
});
