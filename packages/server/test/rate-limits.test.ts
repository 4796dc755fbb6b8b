// SPDX-License-Identifier: Apache-2.0
/**
 * Per-connection request limits. PROTECTS the relay and every other chat from one connection
 * that sends as fast as it can: past a burst a person never reaches, requests are answered
 * `rate-limited` and signals are dropped, and a connection that keeps on is closed — while a
 * person's pace (guard/request-guard.ts explains the numbers) is never refused.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import type { Ack } from '@kindred/protocol';
import type { Socket } from 'socket.io-client';
import { createRequestGuard, requestKinds, requestRates, type RequestKind } from '../src/guard/request-guard.js';
import { TokenBucket } from '../src/guard/token-bucket.js';
import { createLogger, createRelay } from '../src/relay.js';
import { collect, expectOk, hospital, pair, request, secret, startRelay, survivor } from './helpers.js';
import { box } from './box.js';
import { assertStillChatting, bystanders } from './raw.js';

/** A clock the test moves by hand. */
function manualClock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** Sends every request at once, as a script would, and collects each answer or failure. */
function burst(socket: Socket, count: number, make: (i: number) => [string, unknown]): Promise<PromiseSettledResult<Ack<unknown>>[]> {
  return Promise.allSettled(
    Array.from({ length: count }, (_, i) => socket.timeout(3_000).emitWithAck(...make(i)) as Promise<Ack<unknown>>),
  );
}

const codeOf = (result: PromiseSettledResult<Ack<unknown>>) =>
  result.status === 'rejected' ? 'no answer' : result.value.ok ? 'ok' : result.value.error.code;

function tally(results: PromiseSettledResult<Ack<unknown>>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const result of results) counts[codeOf(result)] = (counts[codeOf(result)] ?? 0) + 1;
  return counts;
}

test('a token bucket allows its burst, then its rate, and never more than its capacity', () => {
  const clock = manualClock();
  const bucket = new TokenBucket({ capacity: 3, perSecond: 2 }, clock.now);
  assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false]);
  clock.advance(499);
  assert.equal(bucket.take(), false, 'not yet a whole token');
  clock.advance(1);
  assert.equal(bucket.take(), true, 'one token per half second');
  clock.advance(60_000);
  assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false], 'a long pause refills to capacity, no more');
  clock.advance(1_000);
  assert.equal(bucket.take(1.5), true);
  assert.equal(bucket.take(1), false, 'a cost takes that many tokens');
});

test('each kind of event has its own bucket; refusals beyond the budget close the connection', () => {
  const clock = manualClock();
  const guard = createRequestGuard(clock.now);
  for (let i = 0; i < requestRates.messages.capacity; i += 1) assert.equal(guard.check('message:send'), 'pass');
  assert.equal(guard.check('resource:share'), 'refuse', 'messages and resource cards share a bucket');
  assert.equal(guard.check('chat:end'), 'pass', 'other requests are not held up by messages');
  assert.equal(guard.check('message:read'), 'pass', 'nor read marks');
  clock.advance(1_000 / requestRates.messages.perSecond);
  assert.equal(guard.check('message:send'), 'pass', 'a message is allowed again after its share of a second');

  assert.equal(guard.check('typing:set'), 'pass');
  assert.equal(guard.check('typing:set'), 'pass');
  assert.equal(guard.check('typing:set'), 'refuse', 'typing: two at once, then one per 3 s');
  clock.advance(3_000);
  assert.equal(guard.check('typing:set'), 'pass');

  // Unknown names, and names that are not strings, spend the general bucket.
  const other = createRequestGuard(clock.now);
  for (let i = 0; i < requestRates.general.capacity; i += 1) assert.equal(other.check(i % 2 ? 'no:such-event' : 7), 'pass');
  assert.equal(other.check('chat:start'), 'refuse');
  // One refusal already spent; the budget holds 50 in all.
  for (let i = 1; i < requestRates.refusals.capacity; i += 1) assert.equal(other.check('chat:start'), 'refuse');
  assert.equal(other.check('chat:start'), 'disconnect', 'the 51st refusal in a moment closes the connection');
});

test('dropped signals weigh a tenth of a refused request, so a busy typist is never closed, and a flood still is', () => {
  const clock = manualClock();
  const guard = createRequestGuard(clock.now);
  // A minute of someone sending a message every second: "typing" and "stopped" for each.
  for (let second = 0; second < 60; second += 1) {
    for (const event of ['typing:set', 'typing:set', 'message:send']) assert.notEqual(guard.check(event), 'disconnect');
    clock.advance(1_000);
  }
  const flood = createRequestGuard(clock.now);
  const verdicts = Array.from({ length: 1_000 }, () => flood.check('typing:set'));
  assert.equal(verdicts.filter((v) => v === 'pass').length, requestRates.typing.capacity);
  assert.ok(verdicts.includes('disconnect'), 'a flood of typing signals is closed');
  assert.ok(verdicts.indexOf('disconnect') > 400, 'but only after about 500 of them');
});

test('a burst of messages past the limit is answered rate-limited; nothing refused is relayed; the chat carries on', { timeout: 30_000 }, async () => {
  const relay = await startRelay();
  const { survivor: sam, peer: robin } = await pair(relay);
  const received: string[] = [];
  robin.on('message:received', (message: { id: string }, ack?: (shown: true) => void) => {
    received.push(message.id);
    ack?.(true);
  });

  const results = await burst(sam, 60, (i) => ['message:send', { id: `m${i}`, seq: i + 1, box: box('quick') }]);
  const counts = tally(results);
  assert.deepEqual(Object.keys(counts).sort(), ['ok', 'rate-limited'], JSON.stringify(counts));
  assert.ok(counts.ok! >= requestRates.messages.capacity, `the whole burst of ${requestRates.messages.capacity} went through: ${JSON.stringify(counts)}`);
  assert.ok(sam.connected, 'refusals within the budget do not close the connection');

  await request(robin, 'sync:probe', {}); // everything relayed to the peer has arrived
  const sent = results.flatMap((result, i) => (codeOf(result) === 'ok' ? [`m${i}`] : []));
  assert.deepEqual(received.sort(), sent.sort(), 'exactly the accepted messages were relayed');

  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expectOk(await request(sam, 'message:send', { id: 'later', seq: 100, box: box('a moment later') }));
});

test('typing signals past one per 3 s are dropped without a word, and the connection stays', { timeout: 30_000 }, async () => {
  const relay = await startRelay();
  const { survivor: sam, peer: robin } = await pair(relay);
  const seen = collect(robin, 'typing:changed', 1_000);
  for (let i = 0; i < 20; i += 1) sam.emit('typing:set', { typing: i % 2 === 0 });
  const changes = await seen;
  assert.ok(changes.length >= 1 && changes.length <= requestRates.typing.capacity, `${changes.length} typing signals passed`);
  assert.ok(sam.connected);
  expectOk(await request(sam, 'message:send', { id: 'after', seq: 1, box: box('still here') }));
});

test('a connection that keeps hammering is closed, the operator is told, and other chats carry on', { timeout: 30_000 }, async () => {
  const lines: string[] = [];
  const relay = await createRelay({ port: 0, host: '127.0.0.1', secret, origins: [hospital] }, { log: createLogger((line) => lines.push(line)) });
  after(() => relay.close());
  const chat = await bystanders(relay);
  const mallory = await survivor(relay);
  const socketId = mallory.id!;
  const closed = new Promise<string>((resolve) => mallory.once('disconnect', resolve));

  const results = await burst(mallory, 200, (i) => [`no:such-event-${i}`, {}]);
  assert.equal(await closed, 'io server disconnect', 'the relay closed the connection');
  const counts = tally(results);
  assert.ok(counts['event-unknown']! >= requestRates.general.capacity, JSON.stringify(counts));
  assert.ok(counts['rate-limited']! >= 1, JSON.stringify(counts));
  assert.ok(counts['no answer']! >= 1, `what came after the close went unanswered: ${JSON.stringify(counts)}`);
  assert.ok(lines.some((line) => JSON.parse(line).event === 'connection-flooding'), 'one log line says a connection was closed for flooding');
  assert.ok(lines.every((line) => !line.includes('127.0.0.1') && !line.includes(socketId)), 'and says nothing about whose');

  await assertStillChatting(relay, chat);
});

test('a flood of signals, which have no answer, is closed too', { timeout: 30_000 }, async () => {
  const relay = await startRelay();
  const chat = await bystanders(relay);
  const mallory = await survivor(relay);
  const closed = new Promise<string>((resolve) => mallory.once('disconnect', resolve));
  for (let i = 0; i < 2_000; i += 1) mallory.emit('typing:set', { typing: true });
  assert.equal(await closed, 'io server disconnect');
  await assertStillChatting(relay, chat);
});

test('docs/protocol.md states the limits the relay enforces', () => {
  const doc = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8');
  const section = doc.split(/^## /m).find((part) => part.startsWith('Rate limits'));
  assert.ok(section, 'docs/protocol.md has a "Rate limits" section');
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[-| ]+\|$/.test(line))
    .slice(1)
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
  const sustained = ({ perSecond }: { perSecond: number }) => (perSecond >= 1 ? `${perSecond} per second` : `1 every ${1 / perSecond} seconds`);
  const events = (kind: RequestKind) =>
    kind === 'general' ? 'every other event' : Object.keys(requestKinds).filter((event) => requestKinds[event] === kind).map((event) => `\`${event}\``).join(', ');
  const kinds: RequestKind[] = ['messages', 'typing', 'reads', 'supervision', 'general'];
  assert.deepEqual(rows, kinds.map((kind) => [events(kind), String(requestRates[kind].capacity), sustained(requestRates[kind])]));
  assert.match(section, new RegExp(`about ${requestRates.refusals.capacity} times within a minute`));
});
