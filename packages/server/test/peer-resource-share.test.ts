// SPDX-License-Identifier: Apache-2.0
/**
 * Peers are given the hospital's configured resources and share them as cards, sealed end to
 * end like messages (the box holds the resource's id): the relay passes them on unread.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Resource } from '@kindred/protocol';
import { defaultHospital } from '../src/config.js';
import { signPeerToken } from '../src/relay.js';
import { box } from './box.js';
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

test('a shared card reaches the survivor sealed, as it came, and is marked delivered', async () => {
  const relay = await startRelay({ hospital });
  const { survivor: sam, peer: robin, chatId } = await pair(relay);
  const card = next(sam, 'resource:shared');
  const delivered = next(robin, 'message:delivered');
  const ack = expectOk(await request<{ sentAt: number }>(robin, 'resource:share', { chatId, id: 'r1', seq: 1, box: box('samaritans') }));
  assert.deepEqual(await card, { id: 'r1', seq: 1, box: box('samaritans'), sentAt: ack.sentAt });
  assert.deepEqual(await delivered, { chatId, id: 'r1' });
});

test('other peers’ chats get not-found and send nothing; a card must be a box', async () => {
  const relay = await startRelay({ hospital });
  const { survivor: sam, peer: robin, chatId } = await pair(relay);
  const cards = watch(sam, 'resource:shared');
  const intruder = await peer(relay, { name: 'Mallory' });
  const foreign = await request(intruder, 'resource:share', { chatId, id: 'x', seq: 1, box: box('samaritans') });
  assert.equal(!foreign.ok && foreign.error.code, 'not-found');
  const plain = await request(robin, 'resource:share', { chatId, id: 'x', seq: 1, resourceId: 'samaritans' });
  assert.equal(!plain.ok && plain.error.code, 'payload-invalid');
  assert.deepEqual(await cards.settle(), []);
});
