// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectOk, pair, peer, queueUpdate, request, startRelay, survivor } from './helpers.js';

async function waitingTicket(relay: Awaited<ReturnType<typeof startRelay>>, watcher: Awaited<ReturnType<typeof peer>>) {
  const listed = queueUpdate(watcher);
  expectOk(await request(await survivor(relay), 'chat:start', {}));
  return (await listed).entries.at(-1)!.ticket;
}

test('accepting pairs the survivor with the peer, who sees the survivor pseudonym', async () => {
  const relay = await startRelay();
  const { chatId, survivorName } = await pair(relay);
  assert.match(chatId, /^[A-Za-z0-9_-]{22}$/);
  assert.match(survivorName, /\d{2}$/);
  assert.deepEqual(relay.counts(), { chats: 1, waiting: 0, peers: 1, survivors: 1 });
});

test('a ticket is good for one accept only', async () => {
  const relay = await startRelay();
  const robin = await peer(relay, { name: 'Robin' });
  const ash = await peer(relay, { name: 'Ash' });
  const ticket = await waitingTicket(relay, robin);
  expectOk(await request(robin, 'chat:accept', { ticket }));
  const late = await request(ash, 'chat:accept', { ticket });
  assert.equal(!late.ok && late.error.code, 'not-found');
});

test('a peer holds at most max-chats chats at once', async () => {
  const relay = await startRelay();
  const robin = await peer(relay, { maxChats: 2 });
  await pair(relay, robin);
  await pair(relay, robin);
  const ticket = await waitingTicket(relay, robin);
  const third = await request(robin, 'chat:accept', { ticket });
  assert.equal(!third.ok && third.error.code, 'capacity-reached');
  assert.equal(relay.counts().waiting, 1, 'the survivor keeps their place');
});

test('an off-duty peer cannot accept, and going on duty sends the list at once', async () => {
  const relay = await startRelay();
  const watcher = await peer(relay, { name: 'Watcher' });
  const ticket = await waitingTicket(relay, watcher);
  const resting = await peer(relay, {}, { onDuty: false });
  const refused = await request(resting, 'chat:accept', { ticket });
  assert.equal(!refused.ok && refused.error.code, 'not-on-duty');

  const listed = queueUpdate(resting);
  assert.deepEqual(expectOk(await request(resting, 'duty:set', { onDuty: true })), { onDuty: true, onBreak: false });
  assert.equal((await listed).total, 1);
  expectOk(await request(resting, 'chat:accept', { ticket }));
});

test('malformed accepts are refused', async () => {
  const relay = await startRelay();
  const robin = await peer(relay);
  for (const payload of [{}, { ticket: 'short' }, { ticket: 42 }, { ticket: 'A'.repeat(22), extra: 1 }]) {
    const ack = await request(robin, 'chat:accept', payload);
    assert.equal(!ack.ok && ack.error.code, 'payload-invalid', JSON.stringify(payload));
  }
  const unknown = await request(robin, 'chat:accept', { ticket: 'A'.repeat(22) });
  assert.equal(!unknown.ok && unknown.error.code, 'not-found');
});
