// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collect, expectOk, next, pair, request, sharedRedisUrl, startRelay } from './helpers.js';
import { box } from './box.js';

test('the survivor ends the chat: the peer is told and the relay forgets it', async () => {
  const relay = await startRelay();
  const { survivor: sam, peer: robin, chatId } = await pair(relay);
  const ended = next(robin, 'chat:ended');
  expectOk(await request(sam, 'chat:end', {}));
  assert.deepEqual(await ended, { chatId, reason: 'survivor-ended' });
  assert.deepEqual(relay.counts(), { chats: 0, waiting: 0, peers: 1, survivors: 1 });
  const after = await request(robin, 'message:send', { chatId, id: 'late', seq: 1, box: box('still there?') });
  assert.equal(!after.ok && after.error.code, 'not-found');
});

test('the peer ends the chat: the survivor is told and can start again', async () => {
  const relay = await startRelay();
  const { survivor: sam, peer: robin, chatId } = await pair(relay);
  const ended = next(sam, 'chat:ended');
  expectOk(await request(robin, 'chat:end', { chatId }));
  assert.deepEqual(await ended, { reason: 'peer-ended' });
  assert.equal(relay.counts().chats, 0);
  assert.equal(expectOk<{ position: number }>(await request(sam, 'chat:start', {})).position, 1);
});

test('a survivor who disconnects and does not come back within the grace period ends the chat for the peer', async () => {
  const relay = await startRelay({ resumeGraceMs: 1_000 });
  const { survivor: sam, peer: robin, chatId } = await pair(relay);
  const away = next(robin, 'chat:presence');
  const ended = next(robin, 'chat:ended', 3_000);
  sam.disconnect();
  assert.deepEqual(await away, { chatId, present: false });
  assert.deepEqual(await ended, { chatId, reason: 'survivor-left' });
  assert.deepEqual(relay.counts(), { chats: 0, waiting: 0, peers: 1, survivors: 0 });
});

test('closing the relay tells both sides of every chat', async () => {
  const relay = await startRelay();
  const { survivor: sam, peer: robin, chatId } = await pair(relay);
  if (sharedRedisUrl) {
    // Relays sharing Redis hand their connections over instead: nothing ends, and each client
    // is left to reconnect (a transport close, not a goodbye) to another relay.
    const ended = collect(sam, 'chat:ended', 300);
    const closed = new Promise((resolve) => sam.once('disconnect', resolve));
    await relay.close();
    assert.equal(await closed, 'transport close');
    assert.deepEqual(await ended, []);
    return;
  }
  const survivorTold = next(sam, 'chat:ended');
  const peerTold = next(robin, 'chat:ended');
  const gone = new Promise((resolve) => sam.once('disconnect', resolve));
  await relay.close();
  assert.deepEqual(await survivorTold, { reason: 'relay-closing' });
  assert.deepEqual(await peerTold, { chatId, reason: 'relay-closing' });
  await gone;
});
