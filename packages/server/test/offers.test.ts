// SPDX-License-Identifier: Apache-2.0
/**
 * Offers (src/offers.ts): a peer on duty with room is offered the next survivor who fits them,
 * with a countdown; an offer declined or left to run out moves on to the next peer; a peer at
 * capacity is never offered anyone; the first accept wins and the other offer is withdrawn.
 * Runs against Redis too (redis-parity.test.ts); redis-offers.test.ts adds several relays.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Offer, OfferEndReason } from '@kindred/protocol';
import type { Socket } from 'socket.io-client';
import { collect, expectOk, next, queueUpdate, request, survivor } from './helpers.js';
import { matchingRelay, peerWith } from './matching-helpers.js';

type Seen = { event: 'offer:made'; payload: Offer } | { event: 'offer:withdrawn'; payload: { ticket: string; reason: OfferEndReason } };

/** Every offer event a peer receives, in order, from now on. */
function record(socket: Socket): Seen[] {
  const seen: Seen[] = [];
  socket.on('offer:made', (payload: Offer) => seen.push({ event: 'offer:made', payload }));
  socket.on('offer:withdrawn', (payload: { ticket: string; reason: OfferEndReason }) => seen.push({ event: 'offer:withdrawn', payload }));
  return seen;
}

/** Waits until `check` holds, or fails naming `what`. */
async function until(check: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const made = (seen: Seen[]) => seen.filter((each) => each.event === 'offer:made').map((each) => each.payload as Offer);
const withdrawn = (seen: Seen[]) => seen.filter((each) => each.event === 'offer:withdrawn').map((each) => each.payload);

/** A survivor who has started a chat with `choice`. */
async function start(relay: Awaited<ReturnType<typeof matchingRelay>>, choice: Record<string, string> = {}) {
  const socket = await survivor(relay);
  expectOk(await request(socket, 'chat:start', choice));
  return socket;
}

test('a peer with room is offered the next survivor who fits, with a countdown, and accepts it as from the list', async () => {
  const relay = await matchingRelay({ offerMs: 5_000, matchWaitMs: 60_000 });
  const ana = await peerWith(relay, { name: 'Ana', languages: ['es'] });
  const ben = await peerWith(relay, { name: 'Ben', languages: ['en'] });
  const anaSeen = record(ana);
  const benSeen = record(ben);
  const sam = await start(relay, { language: 'es', topic: 'injury' });
  await until(() => made(anaSeen).length === 1, 'the offer to Ana');
  const offer = made(anaSeen)[0]!;
  assert.match(offer.ticket, /^[A-Za-z0-9_-]{22}$/);
  assert.match(offer.survivorName, /^[A-Z][a-z]+ [A-Z][a-z]+ \d{2}$/);
  assert.equal(offer.language, 'es');
  assert.equal(offer.topic, 'injury');
  assert.ok(offer.expiresInMs > 4_000 && offer.expiresInMs <= 5_000, `a countdown of the configured time (${offer.expiresInMs})`);
  assert.ok(offer.waitedMs >= 0 && offer.waitedMs < 4_000);

  const joined = next(sam, 'peer:joined');
  const chat = expectOk<{ chatId: string; survivorName: string }>(await request(ana, 'chat:accept', { ticket: offer.ticket }));
  assert.equal(chat.survivorName, offer.survivorName);
  assert.deepEqual(await joined, { peerName: 'Ana' });
  // Ben, who does not match, was never offered them; Ana's accepted offer is not "withdrawn".
  await collect(ana, 'offer:withdrawn', 300);
  assert.deepEqual(made(benSeen), []);
  assert.deepEqual(withdrawn(anaSeen), []);
});

test('an unanswered offer runs out and moves on to the next peer; neither is offered that survivor again', async () => {
  const relay = await matchingRelay({ offerMs: 1_000 });
  const ana = await peerWith(relay, { name: 'Ana' });
  const ben = await peerWith(relay, { name: 'Ben' });
  const seen = new Map([
    ['Ana', record(ana)],
    ['Ben', record(ben)],
  ]);
  await start(relay);
  const offeredTo = () => [...seen].filter(([, events]) => made(events).length > 0).map(([name]) => name);
  await until(() => offeredTo().length === 1, 'the first offer');
  const first = offeredTo()[0]!;
  const second = first === 'Ana' ? 'Ben' : 'Ana';
  const { ticket } = made(seen.get(first)!)[0]!;
  const offeredAt = Date.now();

  await until(() => made(seen.get(second)!).length === 1, 'the offer moving on', 4_000);
  const movedAfter = Date.now() - offeredAt;
  assert.ok(movedAfter >= 700, `it moved on when the countdown ran out (${movedAfter} ms)`);
  assert.equal(made(seen.get(second)!)[0]!.ticket, ticket, 'the same survivor');
  assert.deepEqual(withdrawn(seen.get(first)!), [{ ticket, reason: 'expired' }]);

  await until(() => withdrawn(seen.get(second)!).length === 1, 'the second offer running out', 4_000);
  assert.deepEqual(withdrawn(seen.get(second)!), [{ ticket, reason: 'expired' }]);
  // Both passed: nobody is offered them again, but they keep their place and the list.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  assert.equal(made(seen.get('Ana')!).length + made(seen.get('Ben')!).length, 2);
  assert.equal(relay.counts().waiting, 1);
  expectOk(await request(ana, 'chat:accept', { ticket }));
});

test('a declined offer goes at once to the next peer who fits; a decline that names no live offer is not-found', async () => {
  const relay = await matchingRelay({ offerMs: 20_000, matchWaitMs: 60_000 });
  const ana = await peerWith(relay, { name: 'Ana', topics: ['injury'] });
  const anaSeen = record(ana);
  await start(relay, { topic: 'injury' });
  await until(() => made(anaSeen).length === 1, 'the offer to Ana');
  const { ticket } = made(anaSeen)[0]!;
  // Ben comes on duty while Ana holds the offer: one peer at a time, so he waits.
  const ben = await peerWith(relay, { name: 'Ben' }, { onDuty: false });
  const benSeen = record(ben);
  expectOk(await request(ben, 'duty:set', { onDuty: true }));
  await collect(ben, 'offer:made', 300);
  assert.deepEqual(made(benSeen), []);

  const declinedAt = Date.now();
  assert.deepEqual(await request(ana, 'offer:decline', { ticket }), { ok: true });
  await until(() => made(benSeen).length === 1, 'the offer to Ben');
  assert.ok(Date.now() - declinedAt < 1_000, 'at once, not after the countdown');
  assert.equal(made(benSeen)[0]!.ticket, ticket);

  const again = await request(ana, 'offer:decline', { ticket });
  assert.equal(!again.ok && again.error.code, 'not-found');
  const stranger = await request(ana, 'offer:decline', { ticket: 'A'.repeat(22) });
  assert.equal(!stranger.ok && stranger.error.code, 'not-found');
  const malformed = await request(ana, 'offer:decline', { ticket: 'short' });
  assert.equal(!malformed.ok && malformed.error.code, 'payload-invalid');

  // Ben declines too: Ana passed already, so nobody is offered them; they keep their place.
  assert.deepEqual(await request(ben, 'offer:decline', { ticket }), { ok: true });
  await collect(ana, 'offer:made', 500);
  assert.equal(made(anaSeen).length, 1);
  assert.equal(relay.counts().waiting, 1);
});

test('a peer at capacity is never offered another survivor, and is offered the next once a chat ends', async () => {
  const relay = await matchingRelay({ offerMs: 800 });
  const ana = await peerWith(relay, { name: 'Ana', maxChats: 1 });
  const anaSeen = record(ana);
  const first = await start(relay);
  await until(() => made(anaSeen).length === 1, 'the first offer');
  const chat = expectOk<{ chatId: string }>(await request(ana, 'chat:accept', { ticket: made(anaSeen)[0]!.ticket }));

  // Full: several countdowns' worth of time passes, and survivors come and wait, with no offer.
  await start(relay);
  await start(relay, { safety: 'unsafe' });
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  assert.equal(made(anaSeen).length, 1);

  // Her chat ends: she has room, and is offered the next survivor — "not safe" first.
  const ended = next(first, 'chat:ended');
  expectOk(await request(ana, 'chat:end', { chatId: chat.chatId }));
  await ended;
  await until(() => made(anaSeen).length === 2, 'an offer once she has room');
});

test('filling the last place from the list withdraws the offer the peer held (released), and it goes to another', async () => {
  const relay = await matchingRelay({ offerMs: 20_000 });
  const ana = await peerWith(relay, { name: 'Ana', maxChats: 1 });
  const anaSeen = record(ana);
  await start(relay);
  await until(() => made(anaSeen).length === 1, 'the offer to Ana');
  const offered = made(anaSeen)[0]!.ticket;
  // A second survivor waits; Ana takes them from the list instead, which fills her one place.
  const listed = queueUpdate(ana, (list) => list.total === 2);
  await start(relay);
  const other = (await listed).entries.find((entry) => entry.ticket !== offered)!.ticket;
  expectOk(await request(ana, 'chat:accept', { ticket: other }));
  await until(() => withdrawn(anaSeen).length === 1, 'the released offer');
  assert.deepEqual(withdrawn(anaSeen), [{ ticket: offered, reason: 'released' }]);

  const ben = await peerWith(relay, { name: 'Ben' }, { onDuty: false });
  const benSeen = record(ben);
  expectOk(await request(ben, 'duty:set', { onDuty: true }));
  await until(() => made(benSeen).length === 1, 'the offer moving to Ben');
  assert.equal(made(benSeen)[0]!.ticket, offered);
});

test('another peer accepting the survivor from the list withdraws the offer (taken): the first accept wins', async () => {
  const relay = await matchingRelay({ offerMs: 20_000, matchWaitMs: 60_000 });
  const ana = await peerWith(relay, { name: 'Ana', languages: ['es'] });
  const ben = await peerWith(relay, { name: 'Ben', languages: ['en'] });
  const anaSeen = record(ana);
  const sam = await start(relay, { language: 'es' });
  await until(() => made(anaSeen).length === 1, 'the offer to Ana');
  const { ticket } = made(anaSeen)[0]!;

  const joined = next(sam, 'peer:joined');
  expectOk(await request(ben, 'chat:accept', { ticket }));
  assert.deepEqual(await joined, { peerName: 'Ben' });
  await until(() => withdrawn(anaSeen).length === 1, 'the withdrawal');
  assert.deepEqual(withdrawn(anaSeen), [{ ticket, reason: 'taken' }]);
  const late = await request(ana, 'chat:accept', { ticket });
  assert.equal(!late.ok && late.error.code, 'not-found');
});

test('the survivor leaving the queue withdraws their offer (ended)', async () => {
  const relay = await matchingRelay({ offerMs: 20_000 });
  const ana = await peerWith(relay, { name: 'Ana' });
  const anaSeen = record(ana);
  const sam = await start(relay);
  await until(() => made(anaSeen).length === 1, 'the offer');
  expectOk(await request(sam, 'chat:end', {}));
  await until(() => withdrawn(anaSeen).length === 1, 'the withdrawal');
  assert.deepEqual(withdrawn(anaSeen), [{ ticket: made(anaSeen)[0]!.ticket, reason: 'ended' }]);
});

test('going off duty lets go of the offer: the survivor goes on to the next peer at once', async () => {
  const relay = await matchingRelay({ offerMs: 20_000 });
  const ana = await peerWith(relay, { name: 'Ana' });
  const anaSeen = record(ana);
  await start(relay);
  await until(() => made(anaSeen).length === 1, 'the offer to Ana');
  const ben = await peerWith(relay, { name: 'Ben' });
  const benSeen = record(ben);
  expectOk(await request(ana, 'duty:set', { onDuty: false }));
  await until(() => made(benSeen).length === 1, 'the offer to Ben');
  assert.equal(made(benSeen)[0]!.ticket, made(anaSeen)[0]!.ticket);
});

test('one offer at a time per peer, "not safe" first; the next comes once the peer answers', async () => {
  const relay = await matchingRelay({ offerMs: 20_000 });
  const ana = await peerWith(relay, { name: 'Ana', maxChats: 3 }, { onDuty: false });
  const anaSeen = record(ana);
  const calm = await start(relay);
  const unsafe = await start(relay, { safety: 'unsafe' });
  expectOk(await request(ana, 'duty:set', { onDuty: true }));
  await until(() => made(anaSeen).length === 1, 'the first offer');
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(made(anaSeen).length, 1, 'one at a time');
  const unsafeJoined = next(unsafe, 'peer:joined');
  expectOk(await request(ana, 'chat:accept', { ticket: made(anaSeen)[0]!.ticket }));
  await unsafeJoined; // the "not safe" survivor came first, though they came second
  await until(() => made(anaSeen).length === 2, 'the next offer');
  const calmJoined = next(calm, 'peer:joined');
  expectOk(await request(ana, 'chat:accept', { ticket: made(anaSeen)[1]!.ticket }));
  await calmJoined;
});

test('a survivor whose match is busy is offered to a peer who does not match only once their wait for a match ends', async () => {
  const relay = await matchingRelay({ offerMs: 20_000, matchWaitMs: 1_500 });
  const ana = await peerWith(relay, { name: 'Ana', languages: ['es'] });
  const ben = await peerWith(relay, { name: 'Ben', languages: ['en'] });
  const anaSeen = record(ana);
  const benSeen = record(ben);
  const startedAt = Date.now();
  await start(relay, { language: 'es' });
  await until(() => made(anaSeen).length === 1, 'the offer to Ana, who matches');
  assert.deepEqual(await request(ana, 'offer:decline', { ticket: made(anaSeen)[0]!.ticket }), { ok: true });
  await until(() => made(benSeen).length === 1, 'the offer to Ben once the match time is over', 5_000);
  const waited = Date.now() - startedAt;
  assert.ok(waited >= 1_300, `not before the match time (${waited} ms)`);
  assert.equal(made(benSeen)[0]!.language, 'es', 'Ben sees what they chose');
});

test('with offers turned off (offerMs 0), peers accept from the list only', async () => {
  const relay = await matchingRelay({ offerMs: 0 });
  const ana = await peerWith(relay, { name: 'Ana' });
  const offers = collect(ana, 'offer:made', 700);
  await start(relay);
  assert.deepEqual(await offers, []);
});
