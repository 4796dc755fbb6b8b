// SPDX-License-Identifier: Apache-2.0
/**
 * Relays sharing Redis (REDIS_URL) are one service: any relay serves anyone. PROTECTS the
 * scale-out promise: a survivor on one relay and a peer on another chat as if on one relay
 * (messages, delivery receipts through the adapter's broadcast acknowledgements, typing, read
 * marks, cards, the queue), a session moves between relays, and two relays racing for one
 * survivor never both get them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PeerSession, SurvivorSession } from '@kindred/protocol';
import type { Socket } from 'socket.io-client';
import { signPeerToken, type Relay } from '../src/relay.js';
import { client, collect, connect, expectOk, next, nextWhere, peer, queueUpdate, request, secret, survivor } from './helpers.js';
import { box } from './box.js';
import { deployment, startRedis } from './redis.js';

const redis = await startRedis();

/** A survivor on `relay` with their resume token. */
async function survivorWithToken(relay: Relay, auth: Record<string, unknown> = {}) {
  const socket = client(relay, '/survivor', { auth });
  const ready = next<SurvivorSession>(socket, 'session:ready');
  await connect(socket);
  return { socket, ready: await ready };
}

/** Pairs a survivor connected to one relay with an on-duty peer connected to another. */
async function crossPair(survivorRelay: Relay, peerSocket: Socket) {
  const sam = await survivorWithToken(survivorRelay);
  const listed = queueUpdate(peerSocket);
  expectOk(await request(sam.socket, 'chat:start', {}));
  const { ticket } = (await listed).entries.at(-1)!;
  const joined = next(sam.socket, 'peer:joined');
  const { chatId } = expectOk(await request<{ chatId: string }>(peerSocket, 'chat:accept', { ticket }));
  await joined;
  return { sam: sam.socket, resume: sam.ready.resume, chatId };
}

test('a survivor on one relay and a peer on another talk both ways, with delivery receipts', async () => {
  const service = deployment(redis);
  const a = await service.relay();
  const b = await service.relay();
  const robin = await peer(b, { name: 'Robin' });
  const { sam, chatId } = await crossPair(a, robin);

  // Survivor (relay A) → peer (relay B): the receipt comes back across through the ack.
  const heard = next(robin, 'message:received');
  const delivered = next(sam, 'message:delivered');
  const sent = expectOk(await request<{ sentAt: number }>(sam, 'message:send', { id: 'm1', seq: 1, box: box('hello from relay A') }));
  assert.deepEqual(await heard, { chatId, id: 'm1', seq: 1, box: box('hello from relay A'), sentAt: sent.sentAt });
  assert.deepEqual(await delivered, { id: 'm1' });

  // Peer (relay B) → survivor (relay A).
  const reply = next(sam, 'message:received');
  const peerDelivered = next(robin, 'message:delivered');
  expectOk(await request(robin, 'message:send', { chatId, id: 'p1', seq: 1, box: box('hello from relay B') }));
  assert.equal((await reply).box, box('hello from relay B'));
  assert.deepEqual(await peerDelivered, { chatId, id: 'p1' });

  // Signals and cards cross too.
  const typing = next(robin, 'typing:changed');
  sam.emit('typing:set', { typing: true });
  assert.deepEqual(await typing, { chatId, typing: true });
  const read = next(robin, 'message:read');
  sam.emit('message:read', { seq: 1 });
  assert.deepEqual(await read, { chatId, seq: 1 });
  const card = next(sam, 'resource:shared');
  const cardDelivered = next(robin, 'message:delivered');
  expectOk(await request(robin, 'resource:share', { chatId, id: 'r1', seq: 2, box: box('samaritans') }));
  assert.equal((await card).box, box('samaritans'));
  // And so does the key exchange, which the shared state never holds.
  const offered = next(robin, 'key:offered');
  expectOk(await request(sam, 'key:offer', { keys: { p256: 'A'.repeat(87) } }));
  assert.deepEqual(await offered, { chatId, keys: { p256: 'A'.repeat(87) } });
  const answered = next(sam, 'key:answered');
  expectOk(await request(robin, 'key:answer', { chatId, keys: { p256: 'B'.repeat(87) }, offer: { p256: 'A'.repeat(87) } }));
  assert.deepEqual(await answered, { keys: { p256: 'B'.repeat(87) }, offer: { p256: 'A'.repeat(87) } });
  assert.deepEqual(await cardDelivered, { chatId, id: 'r1' });

  // Either side ends it; the other hears, across relays, and the shared state forgets it.
  const ended = next(robin, 'chat:ended');
  expectOk(await request(sam, 'chat:end', {}));
  assert.deepEqual(await ended, { chatId, reason: 'survivor-ended' });
  assert.deepEqual(await b.countsNow(), { chats: 0, waiting: 0, peers: 1, survivors: 1 });
});

test('across relays, a message the recipient never confirms is not marked delivered', async () => {
  const service = deployment(redis);
  const a = await service.relay({ deliveryTimeoutMs: 300 });
  const b = await service.relay({ deliveryTimeoutMs: 300 });
  const robin = await peer(b);
  const { sam, chatId } = await crossPair(a, robin);
  sam.off('message:received'); // no listener: the survivor's client never confirms
  const delivered = collect(robin, 'message:delivered', 800);
  expectOk(await request(robin, 'message:send', { chatId, id: 'p1', seq: 1, box: box('hello?') }));
  assert.deepEqual(await delivered, []);
});

test('the queue is one queue: positions, the waiting list and peers on duty agree on every relay', async () => {
  const service = deployment(redis);
  const a = await service.relay();
  const b = await service.relay();
  const first = await survivor(a);
  const second = await survivor(b);
  assert.deepEqual(expectOk(await request(first, 'chat:start', {})), { position: 1, peersOnDuty: 0, estimateMinutes: null });
  assert.deepEqual(expectOk(await request(second, 'chat:start', {})), { position: 2, peersOnDuty: 0, estimateMinutes: null });

  // A peer coming on duty on relay B: survivors on both relays hear it.
  const firstHears = nextWhere(first, 'queue:updated', (status) => status.peersOnDuty === 1);
  const secondHears = nextWhere(second, 'queue:updated', (status) => status.peersOnDuty === 1);
  const robin = await peer(b, { name: 'Robin', maxChats: 2 }, { onDuty: false });
  const listed = queueUpdate(robin, (list) => list.total === 2);
  expectOk(await request(robin, 'duty:set', { onDuty: true }));
  assert.equal((await firstHears).position, 1);
  assert.equal((await secondHears).position, 2);
  const { entries } = await listed;

  // A peer on relay A sees the same list.
  const ash = await peer(a, { name: 'Ash' }, { onDuty: false });
  const alsoListed = queueUpdate(ash, (list) => list.total === 2);
  expectOk(await request(ash, 'duty:set', { onDuty: true }));
  assert.deepEqual((await alsoListed).entries.map((entry) => entry.ticket), entries.map((entry) => entry.ticket));

  // The first in line leaves through relay A: the second, on relay B, moves up.
  const movesUp = nextWhere(second, 'queue:updated', (status) => status.position === 1);
  expectOk(await request(first, 'chat:end', {}));
  assert.equal((await movesUp).position, 1);
  assert.equal((await a.countsNow()).waiting, 1);
});

test('a survivor who comes back through another relay takes the same chat back', async () => {
  const service = deployment(redis);
  const a = await service.relay();
  const b = await service.relay();
  const robin = await peer(b, { name: 'Robin' });
  const { sam, resume, chatId } = await crossPair(a, robin);

  const away = next(robin, 'chat:presence');
  sam.disconnect();
  assert.deepEqual(await away, { chatId, present: false });

  const back = next(robin, 'chat:presence');
  const again = await survivorWithToken(b, { resume });
  assert.deepEqual(again.ready, { resume, resumed: true, chat: { state: 'chatting', peerName: 'Robin', peerPresent: true } });
  assert.deepEqual(await back, { chatId, present: true });

  const heard = next(robin, 'message:received');
  const delivered = next(again.socket, 'message:delivered');
  expectOk(await request(again.socket, 'message:send', { id: 'm2', seq: 2, box: box('back, through relay B') }));
  assert.equal((await heard).box, box('back, through relay B'));
  assert.deepEqual(await delivered, { id: 'm2' });
  assert.equal((await a.countsNow()).chats, 1);
});

test('a newer connection on another relay takes the session over and closes the old one', async () => {
  const service = deployment(redis);
  const a = await service.relay();
  const b = await service.relay();
  const robin = await peer(a);
  const { sam, resume } = await crossPair(a, robin);
  const closed = new Promise((resolve) => sam.once('disconnect', resolve));
  const ended = collect(robin, 'chat:ended', 600);
  const again = await survivorWithToken(b, { resume });
  assert.equal(await closed, 'io server disconnect', 'the old tab is closed for good, not told to reconnect');
  assert.deepEqual(await ended, []);
  assert.equal(again.ready.chat?.state, 'chatting');
});

test('a peer console reloaded onto another relay takes all its chats back with the resume token alone', async () => {
  const service = deployment(redis);
  const a = await service.relay();
  const b = await service.relay();
  const token = await signPeerToken(secret, { name: 'Robin', maxChats: 2, ttlSeconds: 600 });
  const first = client(a, '/peer', { auth: { token } });
  const ready = next<PeerSession>(first, 'session:ready');
  await connect(first);
  const { resume } = await ready;
  expectOk(await request(first, 'duty:set', { onDuty: true }));
  const one = await crossPair(b, first);
  const two = await crossPair(a, first);

  // Both survivors hear the peer went before it comes back (each on its own relay: waiting for
  // one only let the other's `present: false` arrive late and pass for the return).
  const awayOne = next(one.sam, 'chat:presence');
  const awayTwo = next(two.sam, 'chat:presence');
  first.disconnect();
  assert.deepEqual(await awayOne, { present: false });
  assert.deepEqual(await awayTwo, { present: false });

  const backOne = next(one.sam, 'chat:presence');
  const backTwo = next(two.sam, 'chat:presence');
  const again = client(b, '/peer', { auth: { resume } });
  const againReady = next<PeerSession>(again, 'session:ready');
  await connect(again);
  const session = await againReady;
  assert.equal(session.resumed, true);
  assert.equal(session.onDuty, true);
  assert.deepEqual(session.chats.map((chat) => chat.chatId).sort(), [one.chatId, two.chatId].sort());
  assert.deepEqual(await backOne, { present: true });
  assert.deepEqual(await backTwo, { present: true });
});

test('a peer gone past the grace period on one relay: the survivor on another is requeued, first in line', async () => {
  const service = deployment(redis);
  const a = await service.relay({ resumeGraceMs: 1_000 });
  const b = await service.relay({ resumeGraceMs: 1_000 });
  const token = await signPeerToken(secret, { name: 'Robin', maxChats: 1, ttlSeconds: 600 });
  const robin = client(a, '/peer', { auth: { token } });
  const robinReady = next(robin, 'session:ready');
  await connect(robin);
  await robinReady;
  expectOk(await request(robin, 'duty:set', { onDuty: true }));
  const { sam } = await crossPair(b, robin);
  const other = await survivor(b);
  expectOk(await request(other, 'chat:start', {}));

  const requeued = next(sam, 'chat:requeued', 5_000);
  robin.disconnect();
  const { queue } = await requeued;
  assert.deepEqual(queue, { position: 1, peersOnDuty: 0, estimateMinutes: queue.estimateMinutes });
  assert.deepEqual(await b.countsNow(), { chats: 2, waiting: 2, peers: 0, survivors: 2 });
});

test('two relays racing to accept one survivor: exactly one peer gets them, every time', async () => {
  const service = deployment(redis);
  const a = await service.relay();
  const b = await service.relay();
  const robin = await peer(a, { name: 'Robin', maxChats: 8 });
  const ash = await peer(b, { name: 'Ash', maxChats: 8 });
  const wins = { Robin: 0, Ash: 0 };
  for (let round = 0; round < 40; round += 1) {
    const sam = await survivor(round % 2 === 0 ? a : b);
    const robinSees = queueUpdate(robin);
    const ashSees = queueUpdate(ash);
    expectOk(await request(sam, 'chat:start', {}));
    const [robinList, ashList] = await Promise.all([robinSees, ashSees]);
    const ticket = robinList.entries[0]!.ticket;
    assert.equal(ashList.entries[0]!.ticket, ticket, 'both relays list the same survivor');
    const joined = collect<{ peerName: string }>(sam, 'peer:joined', 150);
    const [byRobin, byAsh] = await Promise.all([request(robin, 'chat:accept', { ticket }), request(ash, 'chat:accept', { ticket })]);
    assert.equal(Number(byRobin.ok) + Number(byAsh.ok), 1, `round ${round}: exactly one accept succeeds`);
    const loser = byRobin.ok ? byAsh : byRobin;
    assert.equal(!loser.ok && loser.error.code, 'not-found');
    const winner = byRobin.ok ? 'Robin' : 'Ash';
    wins[winner] += 1;
    assert.deepEqual(await joined, [{ peerName: winner }], 'the survivor is joined once, by the winner');
    const ended = next(byRobin.ok ? robin : ash, 'chat:ended');
    expectOk(await request(sam, 'chat:end', {}));
    await ended;
  }
  // Nobody paired twice, nobody lost: every chat ended, nobody is left waiting.
  assert.deepEqual(await a.countsNow(), { chats: 0, waiting: 0, peers: 2, survivors: 40 });
  assert.equal(wins.Robin + wins.Ash, 40);
});
