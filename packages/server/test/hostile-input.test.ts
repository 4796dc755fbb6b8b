// SPDX-License-Identifier: Apache-2.0
/**
 * Hostile input: a bad request gets a clear error code, changes nothing, and neither the
 * process nor any other chat notices.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectOk, next, pair, request, startRelay, survivor } from './helpers.js';
import { box } from './box.js';

const badPayloads: { title: string; payload: unknown }[] = [
  { title: 'null', payload: null },
  { title: 'a number', payload: 7 },
  { title: 'a string', payload: '{"id":"a","seq":1,"box":"Yg"}' },
  { title: 'an array', payload: [{ id: 'a', box: 'Yg' }] },
  { title: 'a __proto__ key', payload: JSON.parse('{"id":"a","seq":1,"box":"Yg","__proto__":{"isAdmin":true}}') },
  { title: 'a constructor key', payload: { id: 'a', seq: 1, box: box('b'), constructor: { prototype: { x: 1 } } } },
  { title: 'a nested object for the box', payload: { id: 'a', seq: 1, box: { toString: 'x' } } },
  { title: 'deep nesting', payload: JSON.parse('{"id":"a","seq":1,"box":' + '['.repeat(500) + ']'.repeat(500) + '}') },
  { title: 'a binary box', payload: { id: 'a', seq: 1, box: Buffer.from('hello') } },
];

test('malformed payloads get payload-invalid and the chat carries on', async () => {
  const relay = await startRelay();
  const { survivor: sam, peer: robin } = await pair(relay);
  for (const { title, payload } of badPayloads) {
    const ack = await request(sam, 'message:send', payload);
    assert.equal(!ack.ok && ack.error.code, 'payload-invalid', title);
  }
  assert.equal(({} as Record<string, unknown>).isAdmin, undefined, 'no prototype was polluted');
  const heard = next(robin, 'message:received');
  expectOk(await request(sam, 'message:send', { id: 'after', seq: 1, box: box('still here') }));
  assert.equal((await heard).box, box('still here'));
});

test('unknown event names, and names that exist only on Object.prototype, get event-unknown', async () => {
  const relay = await startRelay();
  const sam = await survivor(relay);
  // Server→client names and the other namespace's names are unknown here too.
  for (const event of ['chat:delete', 'queue:updated', 'peer:joined', 'duty:set', '__proto__', 'hasOwnProperty', 'constructor', 'toString']) {
    const ack = await request(sam, event, {});
    assert.equal(!ack.ok && ack.error.code, 'event-unknown', event);
  }
});

test('a request with extra arguments is refused; one without a callback is dropped', async () => {
  const relay = await startRelay();
  const { survivor: sam, peer: robin } = await pair(relay);
  const extra = (await sam.timeout(2000).emitWithAck('message:send', { id: 'a', seq: 1, box: box('b') }, 'extra')) as { ok: boolean; error?: { code: string } };
  assert.equal(extra.error?.code, 'payload-invalid');
  sam.emit('message:send', { id: 'b', seq: 1, box: box('no callback') });
  const heard = next(robin, 'message:received');
  expectOk(await request(sam, 'message:send', { id: 'c', seq: 1, box: box('with callback') }));
  assert.equal((await heard).id, 'c', 'the callback-less message was not relayed');
});

test('a packet over the size limit closes only that connection', async () => {
  const relay = await startRelay({ resumeGraceMs: 1_000 });
  const { survivor: sam, peer: robin } = await pair(relay);
  const other = await pair(relay);
  const dropped = new Promise((resolve) => sam.once('disconnect', resolve));
  const ended = next(robin, 'chat:ended', 3_000);
  sam.emit('message:send', { id: 'big', seq: 1, box: 'x'.repeat(20_000) }, () => {});
  await dropped;
  assert.equal((await ended).reason, 'survivor-left');
  const heard = next(other.peer, 'message:received');
  expectOk(await request(other.survivor, 'message:send', { id: 'fine', seq: 1, box: box('unaffected') }));
  assert.equal((await heard).box, box('unaffected'));
});
