// SPDX-License-Identifier: Apache-2.0
/**
 * Never a dead end: a survivor learns at once whether any peer is on duty, hears an estimate
 * once the relay has one, and a survivor who is not safe is served first.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectOk, next, peer, queueUpdate, request, startRelay, survivor } from './helpers.js';

test('with nobody on duty, the survivor is told so in the answer to chat:start', async () => {
  const relay = await startRelay();
  const sam = await survivor(relay);
  const status = expectOk(await request(sam, 'chat:start', {}));
  assert.deepEqual(status, { position: 1, peersOnDuty: 0, estimateMinutes: null });
});

test('waiting survivors hear when a peer comes on duty, and when the last one leaves', async () => {
  const relay = await startRelay();
  const sam = await survivor(relay);
  expectOk(await request(sam, 'chat:start', {}));
  const arrived = next(sam, 'queue:updated');
  const robin = await peer(relay);
  assert.deepEqual(await arrived, { position: 1, peersOnDuty: 1, estimateMinutes: null });
  const left = next(sam, 'queue:updated');
  robin.disconnect();
  assert.deepEqual(await left, { position: 1, peersOnDuty: 0, estimateMinutes: null });
});

test('"not safe" and "not sure" wait ahead of everyone else, in the order they came', async () => {
  const relay = await startRelay();
  const first = await survivor(relay);
  const second = await survivor(relay);
  const unsure = await survivor(relay);
  const unsafe = await survivor(relay);
  expectOk(await request(first, 'chat:start', {}));
  expectOk(await request(second, 'chat:start', { safety: 'safe' }));
  const firstMoves = next(first, 'queue:updated');
  assert.equal(expectOk<{ position: number }>(await request(unsure, 'chat:start', { safety: 'unsure' })).position, 1);
  assert.equal((await firstMoves).position, 2);
  assert.equal(expectOk<{ position: number }>(await request(unsafe, 'chat:start', { safety: 'unsafe' })).position, 2);
  assert.equal(relay.counts().waiting, 4, 'the urgent lane counts as waiting');

  const robin = await peer(relay, { maxChats: 4 }, { onDuty: false });
  const listed = queueUpdate(robin, (list) => list.total === 4);
  expectOk(await request(robin, 'duty:set', { onDuty: true }));
  const { entries } = await listed;
  // Accepting the first entry reaches the "not sure" survivor, then the "not safe" one.
  const unsureJoined = next(unsure, 'peer:joined');
  expectOk(await request(robin, 'chat:accept', { ticket: entries[0].ticket }));
  await unsureJoined;
  const unsafeJoined = next(unsafe, 'peer:joined');
  expectOk(await request(robin, 'chat:accept', { ticket: entries[1].ticket }));
  await unsafeJoined;
});

test('an invalid safety answer is refused', async () => {
  const relay = await startRelay();
  const sam = await survivor(relay);
  for (const safety of ['no', true, '', null]) {
    const ack = await request(sam, 'chat:start', { safety });
    assert.equal(!ack.ok && ack.error.code, 'payload-invalid', String(safety));
  }
});

test('after peers have accepted someone, waiting survivors get an estimate in minutes', async () => {
  const relay = await startRelay();
  const robin = await peer(relay, { maxChats: 3 });
  const listed = queueUpdate(robin, (list) => list.total === 2);
  const first = await survivor(relay);
  const second = await survivor(relay);
  expectOk(await request(first, 'chat:start', {}));
  expectOk(await request(second, 'chat:start', {}));
  const { entries } = await listed;
  const estimated = next(second, 'queue:updated');
  expectOk(await request(robin, 'chat:accept', { ticket: entries[0].ticket }));
  const status = await estimated;
  assert.equal(status.position, 1);
  assert.equal(status.peersOnDuty, 1);
  assert.equal(typeof status.estimateMinutes, 'number');
  assert.ok(status.estimateMinutes >= 1);
});
