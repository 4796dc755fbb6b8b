// SPDX-License-Identifier: Apache-2.0
/**
 * Redis never holds a word. PROTECTS privacy rule 1 for relays sharing Redis: no message text,
 * chat id, ticket, resume token, peer token or client address in any Redis key or value, ever;
 * pseudonyms only while their chat or session lives; and nothing about anyone once every chat
 * has ended and every session's grace period is over.
 *
 * Whole chats run across two relays with a unique canary in every field a person types, plus
 * hostile requests carrying canaries, a resume through the other relay and a forged token.
 * The clients connect from a distinctive loopback address. Redis is read whole (SCAN, then
 * each key's type and value) while the chats go on and after they end, and every command it
 * received meanwhile (MONITOR, script commands included) is checked too: a canary or an id
 * may cross Redis only inside a pub/sub message (SPUBLISH), in flight, never in a write.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PeerSession, SurvivorSession } from '@kindred/protocol';
import { signPeerToken, type Relay } from '../src/relay.js';
import { client, connect, expectOk, hospital, next, queueUpdate, request, secret } from './helpers.js';
import { box } from './box.js';
import { deployment, dumpRedis, monitorRedis, startRedis, waitFor } from './redis.js';

const clientAddress = '127.83.41.29';

test('after whole chats across two relays, Redis holds nothing of them, and never held a word', { timeout: 60_000 }, async () => {
  const redis = await startRedis();
  const monitor = await monitorRedis(redis.port);
  const inspect = await redis.inspect();
  const service = deployment(redis);
  const a = await service.relay({ resumeGraceMs: 1_000 });
  const b = await service.relay({ resumeGraceMs: 1_000 });

  const canaries: string[] = [];
  const canary = (field: string) => {
    const value = `CANARY${canaries.length}x${field}x${Math.random().toString(36).slice(2, 10)}`;
    canaries.push(value);
    return value;
  };
  /** Never anywhere in Redis, nor in any command it was sent. */
  const secrets: string[] = [clientAddress];
  /** Never stored; may cross Redis in flight, inside a pub/sub message. */
  const ids: string[] = [];
  /** Stored only while their chat or session lives. */
  const pseudonyms: string[] = [];

  const on = (relay: Relay, namespace: '/survivor' | '/peer', auth: Record<string, unknown> = {}) =>
    client(relay, namespace, { origin: hospital, auth, localAddress: clientAddress });

  for (let round = 0; round < 2; round += 1) {
    // The peer's display name is a pseudonym: kept while their session lives, then gone.
    const peerName = `PSEUDONYM${round}x${Math.random().toString(36).slice(2, 10)}`;
    pseudonyms.push(peerName);
    const token = await signPeerToken(secret, { name: peerName, maxChats: 1, ttlSeconds: 600 });
    secrets.push(token);
    const robin = on(b, '/peer', { token });
    const robinReady = next<PeerSession>(robin, 'session:ready');
    await connect(robin);
    secrets.push((await robinReady).resume);
    expectOk(await request(robin, 'duty:set', { onDuty: true }));

    const sam = on(a, '/survivor');
    const samReady = next<SurvivorSession>(sam, 'session:ready');
    await connect(sam);
    const { resume } = await samReady;
    secrets.push(resume);
    const listed = queueUpdate(robin);
    expectOk(await request(sam, 'chat:start', { safety: round === 0 ? 'unsafe' : 'safe' }));
    const { ticket, survivorName } = (await listed).entries[0]!;
    const { chatId } = expectOk(await request<{ chatId: string }>(robin, 'chat:accept', { ticket }));
    ids.push(ticket, chatId);
    pseudonyms.push(survivorName);

    const toPeer = next(robin, 'message:received');
    expectOk(await request(sam, 'message:send', { id: 'm1', seq: 1, box: canary('survivor') }));
    await toPeer;
    const toSurvivor = next(sam, 'message:received');
    expectOk(await request(robin, 'message:send', { chatId, id: 'p1', seq: 1, box: canary('peer') }));
    await toSurvivor;
    sam.emit('typing:set', { typing: true });
    const card = next(sam, 'resource:shared');
    expectOk(await request(robin, 'resource:share', { chatId, id: 'r1', seq: 2, box: canary('card') }));
    await card;

    // The survivor's network drops; they come back through the other relay.
    const back = next(robin, 'chat:presence');
    sam.disconnect();
    await back;
    const again = on(b, '/survivor', { resume });
    const againReady = next<SurvivorSession>(again, 'session:ready');
    const present = next(robin, 'chat:presence');
    await connect(again);
    assert.equal((await againReady).resumed, true);
    await present;
    const later = next(robin, 'message:received');
    expectOk(await request(again, 'message:send', { id: 'm2', seq: 2, box: canary('resumed') }));
    await later;

    // Hostile and mistaken requests, each carrying a canary.
    await request(again, 'message:send', { id: 'x', seq: 3, box: `${canary('oversize')}${'y'.repeat(8_033)}` });
    await request(again, 'message:send', { id: 'x', seq: 3, box: box('hi'), [canary('key')]: 1 });
    await request(again, canary('event'), { text: canary('unknown') });
    await request(robin, 'message:send', { chatId: 'A'.repeat(22), id: 'x', seq: 3, box: canary('wrongchat') });
    const forged = `${token.slice(0, -4)}AAAA`;
    secrets.push(forged);
    await assert.rejects(connect(on(a, '/peer', { token: forged })), { message: 'auth-failed' });

    // While the chat goes on: the pseudonyms may be there, nothing else of it may.
    const during = await dumpRedis(inspect);
    for (const needle of [...canaries, ...secrets, ...ids]) {
      assert.equal(during.text.includes(needle), false, `Redis holds ${needle.slice(0, 40)} during the chat`);
    }
    assert.ok(during.text.includes(survivorName), 'the test reads the state it thinks it reads');

    const ended = next(robin, 'chat:ended');
    expectOk(await request(again, 'chat:end', {}));
    await ended;
    again.disconnect();
    robin.disconnect();
  }

  // Every session's grace period over: the state is empty.
  await waitFor(async () => {
    const counts = await a.countsNow();
    return counts.chats + counts.waiting + counts.peers + counts.survivors === 0;
  }, 'every session to be let go');
  const afterwards = await dumpRedis(inspect);
  for (const needle of [...canaries, ...secrets, ...ids, ...pseudonyms]) {
    assert.equal(afterwards.text.includes(needle), false, `Redis still holds ${needle.slice(0, 40)}`);
  }
  // What is left is about no one: queue counters, the two wait-estimate figures, the relays' heartbeats.
  const p = service.prefix;
  const allowed = new RegExp(`^${p}:\\{${p}\\}:(order|stats|nodes|n:[A-Za-z0-9_-]{22})$`);
  assert.deepEqual(afterwards.keys.filter((key) => !allowed.test(key)), []);
  assert.ok(afterwards.keys.some((key) => key.endsWith(':stats')), 'the sweep saw the keys that remain');

  // Every command Redis was sent: content and ids only ever inside a pub/sub message.
  const commands = monitor.lines();
  assert.ok(commands.some((line) => /\[0 lua\] "HSET"/.test(line)), 'the monitor saw the scripts’ writes');
  for (const line of commands) {
    const command = /^\+\d+\.\d+ \[[^\]]*\] "([A-Za-z]+)"/.exec(line)?.[1]?.toUpperCase();
    for (const needle of secrets) assert.equal(line.includes(needle), false, `Redis was sent ${needle.slice(0, 40)}`);
    for (const needle of [...canaries, ...ids]) {
      if (line.includes(needle)) assert.equal(command, 'SPUBLISH', `${needle.slice(0, 40)} crossed Redis in a ${command}`);
    }
  }
  // The canaries did reach Redis's pub/sub (in flight): the checks above would prove nothing otherwise.
  assert.ok(canaries.filter((needle) => commands.some((line) => line.includes(needle))).length >= 6);
});
