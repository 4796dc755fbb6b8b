// SPDX-License-Identifier: Apache-2.0
/**
 * Isolation: only the two people in a chat receive its events, and no payload lets anyone
 * reach a chat that is not theirs. Room membership is the relay's decision alone.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectOk, pair, peer, request, startRelay, survivor, watch } from './helpers.js';
import { box } from './box.js';

test('a peer cannot act on another peer’s chat even knowing its id', async () => {
  const relay = await startRelay();
  const mine = await pair(relay, await peer(relay, { name: 'Robin' }));
  const intruder = await peer(relay, { name: 'Mallory', maxChats: 2 });
  await pair(relay, intruder); // the intruder has a chat of their own, so is a real, paired peer

  const survivorHears = watch(mine.survivor, 'message:received');
  const survivorTyping = watch(mine.survivor, 'typing:changed');
  const survivorKeys = watch(mine.survivor, 'key:answered');
  for (const [event, payload] of [
    ['message:send', { chatId: mine.chatId, id: 'x1', seq: 1, box: box('injected') }],
    ['resource:share', { chatId: mine.chatId, id: 'x2', seq: 2, box: box('samaritans') }],
    ['key:answer', { chatId: mine.chatId, keys: { p256: 'A'.repeat(87) }, offer: { p256: 'B'.repeat(87) } }],
    ['chat:end', { chatId: mine.chatId }],
  ] as const) {
    const ack = await request(intruder, event, payload);
    assert.equal(!ack.ok && ack.error.code, 'not-found', event);
  }
  // Signals have no answer to check: what matters is that nothing reaches the survivor.
  const survivorReads = watch(mine.survivor, 'message:read');
  intruder.emit('typing:set', { chatId: mine.chatId, typing: true });
  intruder.emit('message:read', { chatId: mine.chatId, seq: 1 });
  assert.deepEqual(await survivorHears.settle(), []);
  assert.deepEqual(await survivorTyping.settle(), []);
  assert.deepEqual(await survivorKeys.settle(), []);
  assert.deepEqual(await survivorReads.settle(), []);
  assert.equal(relay.counts().chats, 2, 'both chats still stand');
});

test('a survivor cannot address any chat: their payloads carry no chat id', async () => {
  const relay = await startRelay();
  const target = await pair(relay);
  const other = await survivor(relay);
  expectOk(await request(other, 'chat:start', {}));
  const peerHears = watch(target.peer, 'message:received');
  const ack = await request(other, 'message:send', { chatId: target.chatId, id: 'x', seq: 1, box: box('injected') });
  assert.equal(!ack.ok && ack.error.code, 'payload-invalid');
  const waiting = await request(other, 'message:send', { id: 'x', seq: 1, box: box('injected') });
  assert.equal(!waiting.ok && waiting.error.code, 'no-chat');
  assert.deepEqual(await peerHears.settle(), []);
});

test('messages of one chat reach its two people and nobody else', async () => {
  const relay = await startRelay();
  const robin = await peer(relay, { name: 'Robin', maxChats: 2 });
  const a = await pair(relay, robin);
  const b = await pair(relay, robin);
  const bystander = await peer(relay, { name: 'Ash' });

  const bHears = watch(b.survivor, 'message:received');
  const ashHears = watch(bystander, 'message:received');
  expectOk(await request(robin, 'message:send', { chatId: a.chatId, id: 'm', seq: 1, box: box('for A only') }));
  assert.deepEqual(await bHears.settle(), []);
  assert.deepEqual(await ashHears.settle(), []);
});

test('clients cannot join rooms: there is no such event', async () => {
  const relay = await startRelay();
  const target = await pair(relay);
  const mallory = await peer(relay, { name: 'Mallory' });
  for (const event of ['join', 'room:join', 'subscribe']) {
    const ack = await request(mallory, event, { room: target.chatId });
    assert.equal(!ack.ok && ack.error.code, 'event-unknown');
  }
  const hears = watch(mallory, 'message:received');
  expectOk(await request(target.survivor, 'message:send', { id: 'm', seq: 1, box: box('private') }));
  assert.deepEqual(await hears.settle(), []);
});
