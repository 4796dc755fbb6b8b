// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { limits } from '@kindred/protocol';
import { collect, expectOk, next, pair, request, startRelay, survivor, watch } from './helpers.js';
import { box } from './box.js';

test('messages go both ways and are marked delivered once the other client confirms', async () => {
  const relay = await startRelay();
  const { survivor: sam, peer: robin, chatId } = await pair(relay);

  const toPeer = next(robin, 'message:received');
  const survivorDelivered = next(sam, 'message:delivered');
  const sent = expectOk(await request<{ sentAt: number }>(sam, 'message:send', { id: 'm1', seq: 1, box: box('I was in a car crash.') }));
  const received = await toPeer;
  assert.deepEqual(received, { chatId, id: 'm1', seq: 1, box: box('I was in a car crash.'), sentAt: sent.sentAt });
  assert.deepEqual(await survivorDelivered, { id: 'm1' });

  const toSurvivor = next(sam, 'message:received');
  const peerDelivered = next(robin, 'message:delivered');
  expectOk(await request(robin, 'message:send', { chatId, id: 'p1', seq: 1, box: box('I am here. Take your time.') }));
  const reply = await toSurvivor;
  assert.equal(reply.box, box('I am here. Take your time.'));
  assert.equal(reply.id, 'p1');
  assert.equal('chatId' in reply, false, 'the survivor never learns the chat id');
  assert.deepEqual(await peerDelivered, { chatId, id: 'p1' });
});

test('a message the recipient never confirms is not marked delivered', async () => {
  const relay = await startRelay({ deliveryTimeoutMs: 200 });
  const { survivor: sam, peer: robin, chatId } = await pair(relay);
  sam.off('message:received'); // no listener: the survivor's client never confirms
  const delivered = collect(robin, 'message:delivered', 600);
  expectOk(await request(robin, 'message:send', { chatId, id: 'p1', seq: 1, box: box('hello') }));
  assert.deepEqual(await delivered, []);
});

test('a box is base64url, bounded so the longest message fits, and passed on as it came', async () => {
  const relay = await startRelay();
  const { survivor: sam } = await pair(relay);
  expectOk(await request(sam, 'message:send', { id: 'ok', seq: 1, box: 'x'.repeat(limits.box) }));
  for (const bad of ['x'.repeat(limits.box + 1), '', 'not base64url', 'a+b/c=', 42]) {
    const ack = await request(sam, 'message:send', { id: 'bad', seq: 1, box: bad });
    assert.equal(!ack.ok && ack.error.code, 'payload-invalid');
  }
  for (const id of ['', 'has space', 'x'.repeat(limits.messageId + 1)]) {
    const ack = await request(sam, 'message:send', { id, seq: 1, box: box('hi') });
    assert.equal(!ack.ok && ack.error.code, 'payload-invalid');
  }
});

test('a survivor still waiting cannot send yet', async () => {
  const relay = await startRelay();
  const sam = await survivor(relay);
  expectOk(await request(sam, 'chat:start', {}));
  const ack = await request(sam, 'message:send', { id: 'm1', seq: 1, box: box('hello?') });
  assert.equal(!ack.ok && ack.error.code, 'no-chat');
});

test('typing is a signal without an answer, and goes to the other side of the chat only', async () => {
  const relay = await startRelay();
  const { survivor: sam, peer: robin, chatId } = await pair(relay);
  // Typing is volatile: like socket.io, the relay drops it while the other side's connection
  // is still busy writing (here, the pairing's own events, slow on a loaded machine). Typing
  // matters in a conversation under way, so one message goes both ways first.
  const heard = next(robin, 'message:received');
  const delivered = next(sam, 'message:delivered');
  expectOk(await request(sam, 'message:send', { id: 'm1', seq: 1, box: box('hello') }));
  await heard;
  await delivered;
  const typing = next(robin, 'typing:changed');
  sam.emit('typing:set', { typing: true });
  assert.deepEqual(await typing, { chatId, typing: true });
  const back = next(sam, 'typing:changed');
  robin.emit('typing:set', { chatId, typing: false });
  assert.deepEqual(await back, { typing: false });
  // Asked with a callback, it is refused rather than answered as a request.
  const asked = await request(sam, 'typing:set', { typing: true });
  assert.equal(!asked.ok && asked.error.code, 'payload-invalid');
});

test('read marks pass to the other side, and a survivor’s read mark never reaches another chat', async () => {
  const relay = await startRelay();
  const { survivor: sam, peer: robin, chatId } = await pair(relay);
  const bystander = await pair(relay);
  const stray = watch(bystander.peer, 'message:read');
  const read = next(robin, 'message:read');
  sam.emit('message:read', { seq: 3 });
  assert.deepEqual(await read, { chatId, seq: 3 });
  const back = next(sam, 'message:read');
  robin.emit('message:read', { chatId, seq: 2 });
  assert.deepEqual(await back, { seq: 2 });
  assert.deepEqual(await stray.settle(), []);
});

test('a message carries its sender’s sequence number through the relay', async () => {
  const relay = await startRelay();
  const { survivor: sam, peer: robin, chatId } = await pair(relay);
  const heard = next(robin, 'message:received');
  expectOk(await request(sam, 'message:send', { id: 'm7', seq: 7, box: box('seventh') }));
  assert.deepEqual({ ...(await heard), sentAt: 0 }, { chatId, id: 'm7', seq: 7, box: box('seventh'), sentAt: 0 });
  for (const seq of [0, -1, 1.5, 2 ** 31, '1']) {
    const ack = await request(sam, 'message:send', { id: 'bad', seq, box: box('hi') });
    assert.equal(!ack.ok && ack.error.code, 'payload-invalid', String(seq));
  }
});
