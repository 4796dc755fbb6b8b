// SPDX-License-Identifier: Apache-2.0
/**
 * The end-to-end key exchange through the relay: `key:offer` reaches only the survivor's own
 * peer, `key:answer` only that chat's survivor; shapes are checked and nothing is kept.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectOk, next, pair, peer, request, startRelay, survivor, watch } from './helpers.js';

const keysA = { p256: 'A'.repeat(87), x25519: 'B'.repeat(43) };
const keysB = { p256: 'C'.repeat(87) };

test('an offer reaches the peer with the chat id, and the answer reaches the survivor without it', async () => {
  const relay = await startRelay();
  const { survivor: sam, peer: robin, chatId } = await pair(relay);
  const offered = next(robin, 'key:offered');
  expectOk(await request(sam, 'key:offer', { keys: keysA }));
  assert.deepEqual(await offered, { chatId, keys: keysA });
  const answered = next(sam, 'key:answered');
  expectOk(await request(robin, 'key:answer', { chatId, keys: keysB, offer: keysA }));
  assert.deepEqual(await answered, { keys: keysB, offer: keysA });
});

test('keys of the wrong shape are refused, and nobody outside the chat can send or receive them', async () => {
  const relay = await startRelay();
  const { survivor: sam, chatId } = await pair(relay);
  const intruder = await peer(relay, { name: 'Mallory' });
  const heard = watch(intruder, 'key:offered');
  const toSam = watch(sam, 'key:answered');
  for (const keys of [{ p256: 'A'.repeat(86) }, { x25519: 'B'.repeat(43) }, { p256: 'A'.repeat(87), extra: 1 }, 'keys']) {
    const ack = await request(sam, 'key:offer', { keys });
    assert.equal(!ack.ok && ack.error.code, 'payload-invalid');
  }
  expectOk(await request(sam, 'key:offer', { keys: keysA }));
  const foreign = await request(intruder, 'key:answer', { chatId, keys: keysB, offer: keysA });
  assert.equal(!foreign.ok && foreign.error.code, 'not-found');
  assert.deepEqual(await heard.settle(), []);
  assert.deepEqual(await toSam.settle(), []);
  const lonely = await survivor(relay);
  const none = await request(lonely, 'key:offer', { keys: keysA });
  assert.equal(!none.ok && none.error.code, 'no-chat');
});
