// SPDX-License-Identifier: Apache-2.0
/**
 * Offers across several relays sharing Redis (src/offers.ts). PROTECTS what docs/protocol.md and
 * docs/operate.md ("Matching and offers") promise about them: whichever relay runs a round, a
 * survivor is on offer to one peer at a time in the whole deployment; the accept is the one step
 * that decides, and the peer whose offer lost is told (`taken`) through whichever relay holds
 * their connection; an offer made by a relay that then goes away still runs out, and another
 * relay offers the survivor onwards.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Offer } from '@kindred/protocol';
import type { Socket } from 'socket.io-client';
import { defaultHospital } from '../src/config.js';
import { sweepMs } from '../src/offers.js';
import { client, connect, expectOk, next, queueUpdate, request } from './helpers.js';
import { peerWith } from './matching-helpers.js';
import { delay, deployment, startRedis, waitFor } from './redis.js';

const redis = await startRedis();

/** Every offer event a peer receives from now on. */
function record(socket: Socket) {
  const made: Offer[] = [];
  const withdrawn: unknown[] = [];
  socket.on('offer:made', (offer: Offer) => made.push(offer));
  socket.on('offer:withdrawn', (payload: unknown) => withdrawn.push(payload));
  return { made, withdrawn };
}

const hospital = { ...defaultHospital, languages: ['en', 'es'] };


test('two relays: one offer at a time for a survivor, whichever relays run rounds; the first accept wins and the other offer is withdrawn', { timeout: 30_000 }, async () => {
  const shared = deployment(redis);
  const one = await shared.relay({ hospital, offerMs: 20_000 });
  const two = await shared.relay({ hospital, offerMs: 20_000 });
  const ana = await peerWith(one, { name: 'Ana' });
  const ben = await peerWith(two, { name: 'Ben' });
  const seen = { Ana: record(ana), Ben: record(ben) };
  const benList = queueUpdate(ben);

  const sam = await connect(client(one, '/survivor'));
  expectOk(await request(sam, 'chat:start', {}));
  await waitFor(() => seen.Ana.made.length + seen.Ben.made.length === 1, 'an offer');
  // Long enough for every relay's rounds (the change, and the sweep of each relay) to have run.
  await delay(sweepMs + 1_500);
  assert.equal(seen.Ana.made.length + seen.Ben.made.length, 1, 'still one offer in the whole deployment');

  const offered = seen.Ana.made.length === 1 ? 'Ana' : 'Ben';
  const { ticket } = seen[offered].made[0]!;
  const other = offered === 'Ana' ? ben : ana;
  assert.equal((await benList).entries[0]!.ticket, ticket, 'the list and the offer name the same survivor');

  // The peer who was not offered them accepts from the list, on their own relay: they win.
  const joined = next(sam, 'peer:joined');
  expectOk(await request(other, 'chat:accept', { ticket }));
  await joined;
  await waitFor(() => seen[offered].withdrawn.length === 1, 'the losing offer withdrawn');
  assert.deepEqual(seen[offered].withdrawn, [{ ticket, reason: 'taken' }]);
  const late = await request(offered === 'Ana' ? ana : ben, 'chat:accept', { ticket });
  assert.equal(!late.ok && late.error.code, 'not-found');
});

test('an offer made by a relay that then stops still runs out, and another relay offers the survivor onwards', { timeout: 30_000 }, async () => {
  const shared = deployment(redis);
  const one = await shared.relay({ hospital, offerMs: 1_000 });
  const two = await shared.relay({ hospital, offerMs: 1_000, resumeGraceMs: 60_000 });
  // Ana is the only peer on duty, on relay two; the survivor starts on relay one, which offers.
  const ana = await peerWith(two, { name: 'Ana' });
  const seenAna = record(ana);
  const sam = await connect(client(one, '/survivor'));
  expectOk(await request(sam, 'chat:start', {}));
  await waitFor(() => seenAna.made.length === 1, 'the offer, made by relay one');
  const { ticket } = seenAna.made[0]!;

  // Relay one goes away before the countdown ends (its connections are handed over; the
  // survivor stays in line for the grace period). Ben comes on duty on relay two.
  await one.close();
  const ben = await peerWith(two, { name: 'Ben' }, { onDuty: false });
  const seenBen = record(ben);
  expectOk(await request(ben, 'duty:set', { onDuty: true }));
  await waitFor(() => seenBen.made.length === 1, 'the offer carried on by relay two', sweepMs + 5_000);
  assert.equal(seenBen.made[0]!.ticket, ticket);
  assert.deepEqual(seenAna.withdrawn, [{ ticket, reason: 'expired' }]);
});
