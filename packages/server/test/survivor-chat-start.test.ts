// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectOk, next, nextWhere, peer, queueUpdate, request, startRelay, survivor, watch } from './helpers.js';

test('survivors queue first come, first served, and hear their position move up', async () => {
  const relay = await startRelay();
  const [first, second, third] = [await survivor(relay), await survivor(relay), await survivor(relay)];
  const position = async (socket: typeof first) => expectOk<{ position: number }>(await request(socket, 'chat:start', {})).position;
  assert.equal(await position(first), 1);
  assert.equal(await position(second), 2);
  assert.equal(await position(third), 3);

  const robin = await peer(relay, {}, { onDuty: false });
  const listed = queueUpdate(robin, (l) => l.total === 3);
  expectOk(await request(robin, 'duty:set', { onDuty: true }));
  const list = await listed;
  assert.ok(list.entries.every((entry: { waitedMs: number }) => entry.waitedMs >= 0));

  // The first in line leaves: everyone behind moves up one, and is told.
  // Survivors also hear about peers coming on duty; what matters here is their position.
  const secondMoves = nextWhere(second, 'queue:updated', (status) => status.position === 1);
  const thirdMoves = nextWhere(third, 'queue:updated', (status) => status.position === 2);
  const peerSees = queueUpdate(robin, (l) => l.total === 2);
  expectOk(await request(first, 'chat:end', {}));
  assert.equal((await secondMoves).position, 1);
  assert.equal((await thirdMoves).position, 2);

  // The peer accepts the oldest entry, which is the survivor now first in line.
  const updated = await peerSees;
  const joined = next(second, 'peer:joined');
  const lastMoves = nextWhere(third, 'queue:updated', (status) => status.position === 1);
  expectOk(await request(robin, 'chat:accept', { ticket: updated.entries[0].ticket }));
  assert.deepEqual(await joined, { peerName: 'Robin' });
  assert.equal((await lastMoves).position, 1);
});

test('a peer sees pseudonyms and waiting times only, never anything that reaches a chat', async () => {
  const relay = await startRelay();
  const robin = await peer(relay);
  const listed = queueUpdate(robin);
  expectOk(await request(await survivor(relay), 'chat:start', {}));
  const { entries } = await listed;
  assert.equal(entries.length, 1);
  // `matches`: whether this peer fits them (matching.test.ts); no topic or language was chosen here.
  assert.deepEqual(Object.keys(entries[0]).sort(), ['matches', 'survivorName', 'ticket', 'waitedMs']);
  assert.equal(entries[0].matches, true);
  assert.match(entries[0].survivorName, /^[A-Z][a-z]+ [A-Z][a-z]+ \d{2}$/);
  assert.match(entries[0].ticket, /^[A-Za-z0-9_-]{22}$/);
});

test('one chat per survivor connection at a time', async () => {
  const relay = await startRelay();
  const sam = await survivor(relay);
  expectOk(await request(sam, 'chat:start', {}));
  const again = await request(sam, 'chat:start', {});
  assert.equal(again.ok, false);
  assert.equal(!again.ok && again.error.code, 'already-started');
  assert.equal(relay.counts().waiting, 1);
});

test('an off-duty peer is not sent the waiting list', async () => {
  const relay = await startRelay();
  const offDuty = await peer(relay, {}, { onDuty: false });
  const seen = watch(offDuty, 'queue:updated');
  expectOk(await request(await survivor(relay), 'chat:start', {}));
  assert.deepEqual(await seen.settle(), []);
});

test('a malformed chat:start is refused and queues nobody', async () => {
  const relay = await startRelay();
  const sam = await survivor(relay);
  const shapes = [{ topic: 'Not An Id' }, { language: 'english' }, { language: 42 }, { mood: 'x' }];
  for (const payload of [null, 'start', [], ...shapes, JSON.parse('{"__proto__":{"polluted":true}}')]) {
    const ack = await request(sam, 'chat:start', payload);
    assert.equal(!ack.ok && ack.error.code, 'payload-invalid', JSON.stringify(payload));
  }
  assert.equal(relay.counts().waiting, 0);
});
