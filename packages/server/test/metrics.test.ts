// SPDX-License-Identifier: Apache-2.0
/**
 * `/metrics`, as Prometheus scrapes it. PROTECTS two promises: the numbers are right (they move
 * as survivors wait, peers go on duty and accept, and chats end; the histogram counts the waits),
 * and they are about no one (privacy rule 4): no label but a closed list, and no canary typed
 * by anyone, no name, token, chat id, ticket or address ever appears in the output. Also: the
 * endpoint is off unless the operator sets KINDRED_METRICS_TOKEN, and then needs it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signPeerToken, type Relay } from '../src/relay.js';
import { waitBuckets } from '../src/metrics.js';
import { client, connect, expectOk, next, pair, peer, queueUpdate, request, secret, startRelay, survivor } from './helpers.js';
import { metricsToken, parseExposition, scrape } from './metrics-text.js';
import { deployment, startRedis, waitFor } from './redis.js';

const get = (relay: Relay, headers: Record<string, string> = {}, method = 'GET') => fetch(`${relay.url}/metrics`, { method, headers });

test('off unless KINDRED_METRICS_TOKEN is set: 404, like any unknown path', async () => {
  const relay = await startRelay();
  assert.equal((await get(relay, { authorization: `Bearer ${metricsToken}` })).status, 404);
});

test('with KINDRED_METRICS_TOKEN: 401 without the bearer token or with a wrong one, 200 with it', async () => {
  const relay = await startRelay({ metricsToken });
  for (const authorization of [undefined, 'Bearer wrong', `Basic ${Buffer.from(`x:${metricsToken}`).toString('base64')}`, `Bearer ${metricsToken}x`, metricsToken]) {
    const response = await get(relay, authorization ? { authorization } : {});
    assert.equal(response.status, 401, `refused: ${authorization}`);
    assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="kindred-metrics"');
    assert.doesNotMatch(await response.text(), /kindred_/);
  }
  const response = await get(relay, { authorization: `Bearer ${metricsToken}` });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  assert.match(await response.text(), /^# HELP kindred_/);
  const head = await get(relay, { authorization: `bearer ${metricsToken}` }, 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(await head.text(), '');
});

test('gauges and counters follow the queue: waiting, on duty, accepted, ended', async () => {
  const relay = await startRelay({ metricsToken });
  let metrics = await scrape(relay);
  assert.deepEqual(
    ['kindred_survivors_waiting', 'kindred_chats_active', 'kindred_peers_on_duty', 'kindred_ready'].map((name) => metrics.value(name)),
    [0, 0, 0, 1],
  );

  // Two survivors wait; nobody is on duty.
  const first = await survivor(relay);
  const second = await survivor(relay);
  expectOk(await request(first, 'chat:start', {}));
  expectOk(await request(second, 'chat:start', { safety: 'unsure' }));
  metrics = await scrape(relay);
  assert.equal(metrics.value('kindred_survivors_waiting'), 2);
  assert.equal(metrics.value('kindred_queue_joined_total'), 2);
  assert.equal(metrics.value('kindred_peers_on_duty'), 0);

  // A peer goes on duty, waits a moment, and accepts one of them.
  const peerSocket = await peer(relay, { maxChats: 2 }, { onDuty: false });
  const listed = queueUpdate(peerSocket, (list) => list.total === 2);
  expectOk(await request(peerSocket, 'duty:set', { onDuty: true }));
  const { entries } = await listed;
  assert.equal((await scrape(relay)).value('kindred_peers_on_duty'), 1);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const accepted = expectOk(await request<{ chatId: string }>(peerSocket, 'chat:accept', { ticket: entries[0]!.ticket }));
  metrics = await scrape(relay);
  assert.equal(metrics.value('kindred_survivors_waiting'), 1);
  assert.equal(metrics.value('kindred_chats_active'), 1);
  assert.equal(metrics.value('kindred_chats_started_total'), 1);
  // The wait: at least the 300 ms above, well under the first bucket's 5 s.
  assert.equal(metrics.value('kindred_queue_wait_seconds_count'), 1);
  const sum = metrics.value('kindred_queue_wait_seconds_sum')!;
  assert.ok(sum >= 0.3 && sum < 5, `waited ${sum} s`);
  for (const bound of waitBuckets) assert.equal(metrics.value('kindred_queue_wait_seconds_bucket', { le: String(bound) }), 1, `le=${bound}`);
  assert.equal(metrics.value('kindred_queue_wait_seconds_bucket', { le: '+Inf' }), 1);

  // The peer ends the chat; the other survivor leaves the queue.
  expectOk(await request(peerSocket, 'chat:end', { chatId: accepted.chatId }));
  // One of them has no chat any more (`no-chat`); the other leaves the queue.
  await Promise.all([first, second].map((socket) => request(socket, 'chat:end', {})));
  metrics = await scrape(relay);
  assert.deepEqual(
    {
      waiting: metrics.value('kindred_survivors_waiting'),
      active: metrics.value('kindred_chats_active'),
      peerEnded: metrics.value('kindred_chats_ended_total', { reason: 'peer-ended' }),
      survivorEnded: metrics.value('kindred_chats_ended_total', { reason: 'survivor-ended' }),
      left: metrics.value('kindred_queue_left_total'),
      started: metrics.value('kindred_chats_started_total'),
    },
    { waiting: 0, active: 0, peerEnded: 1, survivorEnded: 0, left: 1, started: 1 },
  );

  // Off duty.
  expectOk(await request(peerSocket, 'duty:set', { onDuty: false }));
  assert.equal((await scrape(relay)).value('kindred_peers_on_duty'), 0);
});

test('the histogram puts each wait in its bucket', async () => {
  // Wait times far beyond a test's patience come from the same code: the bucket boundaries are checked on the recorder.
  const { createMetrics } = await import('../src/metrics.js');
  const metrics = createMetrics();
  for (const seconds of [1, 5, 6, 59, 61, 700, 4_000]) metrics.chatStarted(seconds * 1000);
  metrics.chatStarted(undefined); // a start whose wait is unknown counts as a start, not as a wait
  const parsed = parseExposition(metrics.render(undefined, true));
  const bucket = (le: string) => parsed.value('kindred_queue_wait_seconds_bucket', { le });
  assert.deepEqual(
    ['5', '15', '60', '120', '600', '900', '3600', '+Inf'].map(bucket),
    [2, 3, 4, 5, 5, 6, 6, 7],
  );
  assert.equal(parsed.value('kindred_queue_wait_seconds_sum'), 1 + 5 + 6 + 59 + 61 + 700 + 4_000);
  assert.equal(parsed.value('kindred_chats_started_total'), 8);
  assert.equal(parsed.value('kindred_survivors_waiting'), undefined, 'no gauges when the state could not be read');
});

test('a survivor whose peer is gone past the grace period is counted once as ended (peer-left), and waits again', async () => {
  const relay = await startRelay({ metricsToken, resumeGraceMs: 1_000 });
  const chat = await pair(relay);
  const requeued = next(chat.survivor, 'chat:requeued', 4_000);
  chat.peer.disconnect();
  await requeued;
  const metrics = await scrape(relay);
  assert.equal(metrics.value('kindred_chats_ended_total', { reason: 'peer-left' }), 1);
  assert.equal(metrics.value('kindred_survivors_waiting'), 1);
  assert.equal(metrics.value('kindred_chats_active'), 0);
});

test('nothing about anyone: no canary, name, token, chat id, ticket, pseudonym or address in the output', async () => {
  const relay = await startRelay({ metricsToken });
  const canary = 'CANARYmetrics7x9';
  const peerName = `Robin ${canary}name`;
  const token = await signPeerToken(secret, { name: peerName, maxChats: 2, topics: ['canary-topic-7x9'], languages: ['cy'], ttlSeconds: 600 });
  const localAddress = '127.0.0.77';
  const peerSocket = client(relay, '/peer', { auth: { token }, localAddress });
  const ready = next(peerSocket, 'session:ready');
  await connect(peerSocket);
  const { resume } = await ready;
  expectOk(await request(peerSocket, 'duty:set', { onDuty: true }));
  const survivorSocket = client(relay, '/survivor', { localAddress });
  const survivorReady = next(survivorSocket, 'session:ready');
  await connect(survivorSocket);
  const survivorResume = (await survivorReady).resume as string;
  const listed = queueUpdate(peerSocket);
  expectOk(await request(survivorSocket, 'chat:start', {}));
  const { entries } = await listed;
  const { ticket, survivorName } = entries[0]!;
  const { chatId } = expectOk(await request<{ chatId: string }>(peerSocket, 'chat:accept', { ticket }));
  const received = next(survivorSocket, 'message:received');
  expectOk(await request(peerSocket, 'message:send', { chatId, id: 'm1', seq: 1, box: `${canary}box` }));
  await received;
  // A refused sign-in carrying a canary is counted, never quoted.
  await assert.rejects(connect(client(relay, '/peer', { auth: { token: `${canary}.${canary}.${canary}` } })), { message: 'auth-failed' });

  const { text } = await scrape(relay);
  for (const secretThing of [canary, peerName, token, resume, survivorResume, chatId, ticket, survivorName, localAddress, 'canary-topic', secret, metricsToken]) {
    if (secretThing) assert.ok(!text.includes(secretThing), `not in /metrics: ${secretThing.slice(0, 12)}…`);
  }
  assert.equal(parseExposition(text).value('kindred_peer_sign_in_refusals_total', { reason: 'malformed' }), 1);
});

test('relays sharing Redis: gauges are the deployment\'s, the same on every relay; counters are each relay\'s own', async () => {
  const redis = await startRedis();
  const shared = deployment(redis);
  const [a, b] = await Promise.all([shared.relay({ metricsToken }), shared.relay({ metricsToken })]);
  const peerOnA = await peer(a!);
  const survivorOnB = await survivor(b!);
  const listed = queueUpdate(peerOnA);
  expectOk(await request(survivorOnB, 'chat:start', {}));
  const { entries } = await listed;
  for (const relay of [a!, b!]) {
    const metrics = await scrape(relay);
    assert.deepEqual([metrics.value('kindred_survivors_waiting'), metrics.value('kindred_peers_on_duty')], [1, 1], `the whole deployment, on ${relay === a ? 'a' : 'b'}`);
  }
  expectOk(await request(peerOnA, 'chat:accept', { ticket: entries[0]!.ticket }));
  await waitFor(async () => (await scrape(b!)).value('kindred_chats_active') === 1, 'b sees the chat a started');
  const [onA, onB] = await Promise.all([scrape(a!), scrape(b!)]);
  assert.deepEqual(
    { joinedA: onA.value('kindred_queue_joined_total'), joinedB: onB.value('kindred_queue_joined_total'), startedA: onA.value('kindred_chats_started_total'), startedB: onB.value('kindred_chats_started_total') },
    { joinedA: 0, joinedB: 1, startedA: 1, startedB: 0 },
    'each event counted once, by the relay that handled it',
  );
  assert.equal(onA.value('kindred_queue_wait_seconds_count'), 1, 'the wait is measured across relays');

  // Redis away: the shared gauges are left out rather than reported wrong, and the relay says it is not ready.
  redis.freeze();
  try {
    await waitFor(async () => (await scrape(a!)).value('kindred_ready') === 0, 'a notices Redis is away', 15_000);
    assert.equal((await scrape(a!)).value('kindred_survivors_waiting'), undefined);
  } finally {
    redis.thaw();
  }
});
