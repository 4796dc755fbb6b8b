// SPDX-License-Identifier: Apache-2.0
/**
 * Escalation and supervision through the relay: a peer asks for help, a supervisor joins the
 * chat, the peer's console and the supervisor's exchange keys and sealed messages through the
 * relay (and nobody else can), the survivor hears only that a supervisor joined or left, and
 * the supervisor hears when the chat ends. PROTECTS: only supervisors join, only escalated
 * chats, never a third party in the middle, and nothing of it kept (redis-parity.test.ts runs
 * this file again with the state in Redis).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { SurvivorSession } from '@kindred/protocol';
import { createClient, type RedisClientType } from '@redis/client';
import { createRelay, signPeerToken } from '../src/relay.js';
import { box } from './box.js';
import {
  client,
  connect,
  expectOk,
  hospital,
  next,
  nextWhere,
  pair,
  peer,
  queueUpdate,
  request,
  secret,
  sharedRedisUrl,
  startRelay,
  supervisor,
  watch,
} from './helpers.js';
import { scrape, metricsToken } from './metrics-text.js';
import { deployment, dumpRedis, startRedis } from './redis.js';

const keysA = { p256: 'A'.repeat(87), x25519: 'B'.repeat(43) };
const keysB = { p256: 'C'.repeat(87) };

type Changed = { chatId: string; present: boolean; name: string };

/** A chat whose peer (Robin) escalated it, and a supervisor (Sage) who joined it. */
async function supervised(relay: Awaited<ReturnType<typeof startRelay>>) {
  const chat = await pair(relay);
  const sage = await supervisor(relay);
  expectOk(await request(chat.peer, 'chat:escalate', { chatId: chat.chatId }));
  const toPeer = next<Changed>(chat.peer, 'supervision:changed');
  const toSurvivor = next<{ present: boolean }>(chat.survivor, 'supervision:changed');
  const joined = expectOk(await request<{ chatId: string; peerName: string; survivorName: string }>(sage.socket, 'supervision:join', { chatId: chat.chatId }));
  await toPeer;
  await toSurvivor;
  return { ...chat, sage: sage.socket, joined };
}

test('escalating says how many supervisors are connected: none, then one, whose board lists the chat', async () => {
  const relay = await startRelay({ metricsToken });
  const { peer: robin, chatId, survivorName } = await pair(relay);
  assert.deepEqual(expectOk(await request(robin, 'chat:escalate', { chatId })), { supervisorsOnDuty: 0 });
  const sage = await supervisor(relay);
  assert.equal(sage.board.escalations.length, 1);
  const [listed] = sage.board.escalations;
  assert.equal(listed!.chatId, chatId);
  assert.equal(listed!.peerName, 'Robin');
  assert.equal(listed!.survivorName, survivorName);
  assert.ok(listed!.waitedMs >= 0);
  // Asking again keeps the first time and is not counted again.
  assert.deepEqual(expectOk(await request(robin, 'chat:escalate', { chatId })), { supervisorsOnDuty: 1 });
  const metrics = await scrape(relay);
  assert.equal(metrics.value('kindred_escalations_total'), 1);
});

test('only the chat’s own peer can escalate it', async () => {
  const relay = await startRelay();
  const { chatId } = await pair(relay);
  const mallory = await peer(relay, { name: 'Mallory' });
  const ack = await request(mallory, 'chat:escalate', { chatId });
  assert.equal(!ack.ok && ack.error.code, 'not-found');
  const sage = await supervisor(relay);
  assert.deepEqual(sage.board.escalations, []);
});

test('a peer who is not a supervisor cannot join, whatever the chat: not-supervisor', async () => {
  const relay = await startRelay();
  const { peer: robin, chatId } = await pair(relay);
  expectOk(await request(robin, 'chat:escalate', { chatId }));
  const mallory = await peer(relay, { name: 'Mallory' });
  for (const target of [chatId, 'A'.repeat(22)]) {
    const ack = await request(mallory, 'supervision:join', { chatId: target });
    assert.equal(!ack.ok && ack.error.code, 'not-supervisor');
  }
});

test('a supervisor joins only an escalated chat; the peer hears who joined, the survivor only that someone did', async () => {
  const relay = await startRelay();
  const { peer: robin, survivor: sam, chatId, survivorName } = await pair(relay);
  const sage = await supervisor(relay);
  const early = await request(sage.socket, 'supervision:join', { chatId });
  assert.equal(!early.ok && early.error.code, 'not-found');
  expectOk(await request(robin, 'chat:escalate', { chatId }));
  const toPeer = next<Changed>(robin, 'supervision:changed');
  const toSurvivor = next(sam, 'supervision:changed');
  const cleared = nextWhere<{ escalations: unknown[] }>(sage.socket, 'board:updated', (board) => board.escalations.length === 0);
  const joined = expectOk(await request(sage.socket, 'supervision:join', { chatId }));
  assert.deepEqual(joined, { chatId, peerName: 'Robin', survivorName });
  assert.deepEqual(await toPeer, { chatId, present: true, name: 'Sage' });
  assert.deepEqual(await toSurvivor, { present: true });
  await cleared; // the escalation is closed: off the board
  const again = await request(sage.socket, 'supervision:join', { chatId });
  assert.equal(!again.ok && again.error.code, 'not-found');
});

test('a supervisor cannot supervise a chat of their own', async () => {
  const relay = await startRelay();
  const sage = await supervisor(relay, {}, { onDuty: true });
  const { chatId } = await pair(relay, sage.socket);
  // Nobody but themselves could be told.
  assert.deepEqual(expectOk(await request(sage.socket, 'chat:escalate', { chatId })), { supervisorsOnDuty: 0 });
  const ack = await request(sage.socket, 'supervision:join', { chatId });
  assert.equal(!ack.ok && ack.error.code, 'not-found');
});

test('keys and sealed messages pass between the peer and the supervisor, both ways, and reach nobody else', async () => {
  const relay = await startRelay();
  const { peer: robin, survivor: sam, sage, chatId } = await supervised(relay);
  const mallory = await peer(relay, { name: 'Mallory' });
  const heardKeys = watch(mallory, 'supervision:keyed');
  const heardMessages = watch(mallory, 'supervision:received');
  const samKeys = watch(sam, 'supervision:keyed');
  const samMessages = watch(sam, 'supervision:received');

  const offered = next(robin, 'supervision:keyed');
  expectOk(await request(sage, 'supervision:key', { chatId, keys: keysA }));
  assert.deepEqual(await offered, { chatId, keys: keysA });
  const answered = next(sage, 'supervision:keyed');
  expectOk(await request(robin, 'supervision:key', { chatId, keys: keysB, offer: keysA }));
  assert.deepEqual(await answered, { chatId, keys: keysB, offer: keysA });

  // The sender's answer comes once the other console has confirmed it.
  const toPeer = next(robin, 'supervision:received');
  expectOk(await request(sage, 'supervision:send', { chatId, id: 's1', seq: 1, box: box('say you hear them') }));
  assert.deepEqual(await toPeer, { chatId, id: 's1', seq: 1, box: box('say you hear them') });
  const toSupervisor = next(sage, 'supervision:received');
  expectOk(await request(robin, 'supervision:send', { chatId, id: 'p1', seq: 1, box: box('what they said') }));
  assert.deepEqual(await toSupervisor, { chatId, id: 'p1', seq: 1, box: box('what they said') });

  // Someone else, knowing the chat id, gets nowhere.
  for (const [event, payload] of [
    ['supervision:key', { chatId, keys: keysA }],
    ['supervision:send', { chatId, id: 'x1', seq: 1, box: box('intrusion') }],
    ['supervision:leave', { chatId }],
  ] as const) {
    const ack = await request(mallory, event, payload);
    assert.equal(!ack.ok && ack.error.code, 'not-found', event);
  }
  assert.deepEqual(await heardKeys.settle(), []);
  assert.deepEqual(await heardMessages.settle(), []);
  assert.deepEqual(await samKeys.settle(), []);
  assert.deepEqual(await samMessages.settle(), []);
});

test('without a supervisor, a chat has nobody to pass supervision keys or messages to', async () => {
  const relay = await startRelay();
  const { peer: robin, chatId } = await pair(relay);
  const key = await request(robin, 'supervision:key', { chatId, keys: keysA });
  assert.equal(!key.ok && key.error.code, 'not-found');
  const send = await request(robin, 'supervision:send', { chatId, id: 'p1', seq: 1, box: box('hello?') });
  assert.equal(!send.ok && send.error.code, 'not-found');
});

test('a supervisor’s message, passed on by the peer’s console, reaches the survivor marked as the supervisor’s', async () => {
  const relay = await startRelay();
  const { peer: robin, survivor: sam, chatId } = await supervised(relay);
  const own = next(sam, 'message:received');
  expectOk(await request(robin, 'message:send', { chatId, id: 'p1', seq: 1, box: box('from Robin') }));
  const first = await own;
  assert.equal('by' in first, false);
  const relayed = next(sam, 'message:received');
  expectOk(await request(robin, 'message:send', { chatId, id: 'p2', seq: 2, box: box('from Sage'), by: 'supervisor' }));
  const second = await relayed;
  assert.equal(second.by, 'supervisor');
  assert.equal(second.box, box('from Sage'));
  const forged = await request(robin, 'message:send', { chatId, id: 'p3', seq: 3, box: box('x'), by: 'peer' });
  assert.equal(!forged.ok && forged.error.code, 'payload-invalid');
});

test('leaving: only the supervisor can, and the peer and the survivor are both told', async () => {
  const relay = await startRelay();
  const { peer: robin, survivor: sam, sage, chatId } = await supervised(relay);
  const byPeer = await request(robin, 'supervision:leave', { chatId });
  assert.equal(!byPeer.ok && byPeer.error.code, 'not-found');
  const toPeer = next<Changed>(robin, 'supervision:changed');
  const toSurvivor = next(sam, 'supervision:changed');
  expectOk(await request(sage, 'supervision:leave', { chatId }));
  assert.deepEqual(await toPeer, { chatId, present: false, name: 'Sage' });
  assert.deepEqual(await toSurvivor, { present: false });
  const again = await request(sage, 'supervision:leave', { chatId });
  assert.equal(!again.ok && again.error.code, 'not-found');
  const send = await request(sage, 'supervision:send', { chatId, id: 's1', seq: 1, box: box('still here?') });
  assert.equal(!send.ok && send.error.code, 'not-found');
});

test('a supervisor whose connection drops leaves at once, and both are told', async () => {
  const relay = await startRelay();
  const { peer: robin, survivor: sam, sage, chatId } = await supervised(relay);
  const toPeer = next<Changed>(robin, 'supervision:changed');
  const toSurvivor = next(sam, 'supervision:changed');
  sage.disconnect();
  assert.deepEqual(await toPeer, { chatId, present: false, name: 'Sage' });
  assert.deepEqual(await toSurvivor, { present: false });
  const send = await request(robin, 'supervision:send', { chatId, id: 'p1', seq: 1, box: box('anyone?') });
  assert.equal(!send.ok && send.error.code, 'not-found');
});

test('when the chat ends, its supervisor is told why', async () => {
  const relay = await startRelay();
  const { survivor: sam, sage, chatId } = await supervised(relay);
  const ended = next(sage, 'chat:ended');
  expectOk(await request(sam, 'chat:end', {}));
  assert.deepEqual(await ended, { chatId, reason: 'survivor-ended' });
  const send = await request(sage, 'supervision:send', { chatId, id: 's1', seq: 1, box: box('gone') });
  assert.equal(!send.ok && send.error.code, 'not-found');
});

test('when the peer ends the chat, or never comes back, its supervisor is told too', async () => {
  const relay = await startRelay({ resumeGraceMs: 1_000 });
  const first = await supervised(relay);
  const ended = next(first.sage, 'chat:ended');
  expectOk(await request(first.peer, 'chat:end', { chatId: first.chatId }));
  assert.deepEqual(await ended, { chatId: first.chatId, reason: 'peer-ended' });

  const second = await supervised(relay);
  const left = next(second.sage, 'chat:ended', 5_000);
  const requeued = next(second.survivor, 'chat:requeued', 5_000);
  second.peer.disconnect();
  assert.deepEqual(await left, { chatId: second.chatId, reason: 'peer-left' });
  await requeued;
});

test('a transfer ends the supervision: the supervisor is told the chat is over for them, the survivor that they left', async () => {
  const relay = await startRelay();
  const { peer: robin, survivor: sam, sage, chatId } = await supervised(relay);
  const kim = await peer(relay, { name: 'Kim' });
  const [colleague] = expectOk(await request<{ colleagues: Array<{ handle: string; name: string }> }>(robin, 'colleagues:list', {})).colleagues.filter(
    (each) => each.name === 'Kim',
  );
  const toSupervisor = next(sage, 'chat:ended');
  const toSurvivor = watch(sam, 'supervision:changed');
  const transferred = next<{ peerName: string }>(sam, 'chat:transferred');
  const toKim = next<{ chatId: string }>(kim, 'chat:transferred');
  expectOk(await request(robin, 'chat:transfer', { chatId, to: colleague!.handle }));
  assert.deepEqual(await toSupervisor, { chatId, reason: 'peer-ended' });
  assert.deepEqual((await transferred).peerName, 'Kim');
  assert.deepEqual(await toSurvivor.settle(), [{ present: false }]);
  // The supervisor's keys were agreed with Robin's console: nothing passes between them and Kim.
  const { chatId: kimsChat } = await toKim;
  const send = await request(sage, 'supervision:send', { chatId: kimsChat, id: 's1', seq: 1, box: box('still here?') });
  assert.equal(!send.ok && send.error.code, 'not-found');
  const leave = await request(sage, 'supervision:leave', { chatId: kimsChat });
  assert.equal(!leave.ok && leave.error.code, 'not-found');
});

test('with no supervisor in the chat, a peer cannot mark a message as the supervisor’s: it goes unmarked', async () => {
  const relay = await startRelay();
  const { peer: robin, survivor: sam, chatId } = await pair(relay);
  const received = next<{ by?: string; box: string }>(sam, 'message:received');
  expectOk(await request(robin, 'message:send', { chatId, id: 'p1', seq: 1, box: box('borrowed word'), by: 'supervisor' }));
  const message = await received;
  assert.equal(message.box, box('borrowed word'));
  assert.equal('by' in message, false);
});

test('a transfer also ends an open escalation: the board drops it, and no supervisor can join the new peer’s chat', async () => {
  const relay = await startRelay();
  const { peer: robin, chatId } = await pair(relay);
  const kim = await peer(relay, { name: 'Kim' });
  const sage = await supervisor(relay);
  const listed = next<{ escalations: unknown[] }>(sage.socket, 'board:updated');
  expectOk(await request(robin, 'chat:escalate', { chatId }));
  assert.equal((await listed).escalations.length, 1);
  const handle = expectOk(await request<{ colleagues: Array<{ handle: string }> }>(robin, 'colleagues:list', {})).colleagues[0]!.handle;
  const dropped = nextWhere<{ escalations: unknown[] }>(sage.socket, 'board:updated', (board) => board.escalations.length === 0);
  const toKim = next<{ chatId: string }>(kim, 'chat:transferred');
  expectOk(await request(robin, 'chat:transfer', { chatId, to: handle }));
  await dropped;
  const join = await request(sage.socket, 'supervision:join', { chatId: (await toKim).chatId });
  assert.equal(!join.ok && join.error.code, 'not-found');
});

test('a peer may hand the chat to the supervisor who joined it: it becomes theirs, and is not ended for them', async () => {
  const relay = await startRelay();
  const chat = await pair(relay);
  const sage = await supervisor(relay, {}, { onDuty: true });
  expectOk(await request(chat.peer, 'chat:escalate', { chatId: chat.chatId }));
  expectOk(await request(sage.socket, 'supervision:join', { chatId: chat.chatId }));
  const ended = watch(sage.socket, 'chat:ended');
  const takenOver = next<{ chatId: string; fromName: string }>(sage.socket, 'chat:transferred');
  const toSurvivor = next<{ peerName: string }>(chat.survivor, 'chat:transferred');
  const [colleague] = expectOk(await request<{ colleagues: Array<{ handle: string; name: string }> }>(chat.peer, 'colleagues:list', {})).colleagues;
  assert.equal(colleague!.name, 'Sage');
  expectOk(await request(chat.peer, 'chat:transfer', { chatId: chat.chatId, to: colleague!.handle }));
  assert.equal((await takenOver).fromName, 'Robin');
  assert.equal((await toSurvivor).peerName, 'Sage');
  assert.deepEqual(await ended.settle(), []);
  // Sage now answers as the chat's peer.
  const received = next<{ box: string }>(chat.survivor, 'message:received');
  expectOk(await request(sage.socket, 'message:send', { chatId: (await takenOver).chatId, id: 's1', seq: 1, box: box('I am here now.') }));
  assert.equal((await received).box, box('I am here now.'));
});

test('a survivor who comes back while a supervisor is in the chat is told so again (they may have missed it)', async () => {
  const relay = await startRelay();
  const robin = await peer(relay);
  const first = client(relay, '/survivor');
  const ready = next<SurvivorSession>(first, 'session:ready');
  await connect(first);
  const { resume } = await ready;
  const queued = queueUpdate(robin);
  expectOk(await request(first, 'chat:start', {}));
  const { ticket } = (await queued).entries.at(-1)!;
  const { chatId } = expectOk(await request<{ chatId: string }>(robin, 'chat:accept', { ticket }));
  first.disconnect();
  const sage = await supervisor(relay);
  expectOk(await request(robin, 'chat:escalate', { chatId }));
  expectOk(await request(sage.socket, 'supervision:join', { chatId }));
  const again = client(relay, '/survivor', { auth: { resume } });
  const back = next<SurvivorSession>(again, 'session:ready');
  await connect(again);
  assert.deepEqual((await back).chat, { state: 'chatting', peerName: 'Robin', peerPresent: true, supervised: true });
  const left = next(again, 'supervision:changed');
  expectOk(await request(sage.socket, 'supervision:leave', { chatId }));
  await left;
  again.disconnect();
  const later = client(relay, '/survivor', { auth: { resume } });
  const backLater = next<SurvivorSession>(later, 'session:ready');
  await connect(later);
  assert.deepEqual((await backLater).chat, { state: 'chatting', peerName: 'Robin', peerPresent: true });
});

test('hostile and mistaken payloads are refused with payload-invalid, and the supervision carries on', async () => {
  const relay = await startRelay();
  const { peer: robin, sage, chatId } = await supervised(relay);
  const cases: Array<{ title: string; socket: typeof robin; event: string; payload: unknown }> = [
    { title: 'escalate: a chat id of the wrong shape', socket: robin, event: 'chat:escalate', payload: { chatId: 'short' } },
    { title: 'escalate: an extra field', socket: robin, event: 'chat:escalate', payload: { chatId, urgent: true } },
    { title: 'join: no chat id', socket: sage, event: 'supervision:join', payload: {} },
    { title: 'join: a chat id that is an object', socket: sage, event: 'supervision:join', payload: { chatId: { $ne: null } } },
    { title: 'leave: a string for a payload', socket: sage, event: 'supervision:leave', payload: chatId },
    { title: 'key: a P-256 key too short', socket: sage, event: 'supervision:key', payload: { chatId, keys: { p256: 'A'.repeat(86) } } },
    { title: 'key: an offer of the wrong shape', socket: robin, event: 'supervision:key', payload: { chatId, keys: keysB, offer: 'keys' } },
    { title: 'send: seq 0', socket: sage, event: 'supervision:send', payload: { chatId, id: 's1', seq: 0, box: box('x') } },
    { title: 'send: a box that is not base64url', socket: sage, event: 'supervision:send', payload: { chatId, id: 's1', seq: 1, box: '<script>' } },
    { title: 'send: a box over the limit', socket: robin, event: 'supervision:send', payload: { chatId, id: 'p1', seq: 1, box: 'A'.repeat(9_000) } },
    { title: 'send: plain text beside the box', socket: robin, event: 'supervision:send', payload: { chatId, id: 'p1', seq: 1, box: box('x'), text: 'hello' } },
  ];
  for (const { title, socket, event, payload } of cases) {
    const ack = await request(socket, event, payload);
    assert.equal(!ack.ok && ack.error.code, 'payload-invalid', title);
  }
  const toPeer = next(robin, 'supervision:received');
  expectOk(await request(sage, 'supervision:send', { chatId, id: 's1', seq: 1, box: box('still fine') }));
  await toPeer;
});

test('nothing of a supervised chat reaches the relay’s output, nor (with Redis) the shared state', async () => {
  const lines: string[] = [];
  const shared = sharedRedisUrl ? { redisUrl: sharedRedisUrl, redisPrefix: `t${randomBytes(4).toString('hex')}` } : {};
  const relay = await createRelay({ port: 0, host: '127.0.0.1', secret, origins: [hospital], ...shared }, { log: { info: (e, f) => lines.push(JSON.stringify([e, f])), error: (e, f) => lines.push(JSON.stringify([e, f])) } });
  try {
    const canary = (what: string) => `CANARY${what}${randomBytes(6).toString('hex')}`;
    const sealed = [canary('survivor'), canary('peer'), canary('supervisor'), canary('relayed')];
    const { peer: robin, survivor: sam, sage, chatId, joined } = await supervised(relay);
    const toPeer = next(robin, 'message:received');
    expectOk(await request(sam, 'message:send', { id: 'm1', seq: 1, box: sealed[0] }));
    await toPeer;
    const toSupervisor = next(sage, 'supervision:received');
    expectOk(await request(robin, 'supervision:send', { chatId, id: 'p1', seq: 1, box: sealed[1] }));
    await toSupervisor;
    const back = next(robin, 'supervision:received');
    expectOk(await request(sage, 'supervision:send', { chatId, id: 's1', seq: 1, box: sealed[2] }));
    await back;
    const onward = next(sam, 'message:received');
    expectOk(await request(robin, 'message:send', { chatId, id: 'p2', seq: 1, box: sealed[3], by: 'supervisor' }));
    await onward;
    await request(sage, 'supervision:send', { chatId, id: 's2', seq: 2, box: `${canary('hostile')}!` });

    const redis = sharedRedisUrl ? (createClient({ url: sharedRedisUrl }) as RedisClientType) : undefined;
    await redis?.connect();
    try {
      const during = redis ? (await dumpRedis(redis)).text : '';
      for (const needle of [...sealed, chatId]) assert.equal(during.includes(needle), false, `Redis holds ${needle.slice(0, 30)}`);
      // The test reads the state it thinks it reads: the chat, its supervisor's reference in it.
      if (redis) assert.ok(during.includes(joined.survivorName) && during.includes('"ssock"'));
      const ended = next(sage, 'chat:ended');
      expectOk(await request(sam, 'chat:end', {}));
      await ended;
      if (redis) {
        const afterwards = await dumpRedis(redis);
        const mine = afterwards.keys.filter((key) => key.startsWith(`${relay.config.redisPrefix}:`));
        assert.equal(mine.some((key) => key.endsWith(':esc')), false, 'no escalation is left');
        assert.equal(afterwards.text.includes(joined.survivorName), false, 'the survivor’s pseudonym went with the chat');
      }
    } finally {
      await redis?.quit();
    }
    const output = lines.join('\n');
    for (const needle of [...sealed, chatId, joined.survivorName, 'Sage', 'Robin']) {
      assert.equal(output.includes(needle), false, `the relay logged ${needle.slice(0, 30)}`);
    }
  } finally {
    await relay.close();
  }
});

test('a supervisor who signs in again (a reload) gets the board again, with the open escalations', async () => {
  const relay = await startRelay();
  const { peer: robin, chatId } = await pair(relay);
  expectOk(await request(robin, 'chat:escalate', { chatId }));
  const first = await supervisor(relay);
  assert.equal(first.board.escalations.length, 1);
  first.socket.disconnect();
  const token = await signPeerToken(secret, { name: 'Sage', maxChats: 1, role: 'supervisor', ttlSeconds: 600 });
  const again = client(relay, '/peer', { auth: { token } });
  const board = next(again, 'board:updated');
  await connect(again);
  assert.equal((await board).escalations[0].chatId, chatId);
});

test('across relays sharing Redis: the board, the join, the keys and messages, and the leaving all reach the other relay', { timeout: 30_000 }, async () => {
  const redis = await startRedis();
  const service = deployment(redis);
  const a = await service.relay();
  const b = await service.relay();
  const sage = await supervisor(a);
  const { peer: robin, survivor: sam, chatId } = await pair(b);

  const listed = nextWhere<{ escalations: Array<{ chatId: string }> }>(sage.socket, 'board:updated', (board) => board.escalations.length === 1);
  assert.deepEqual(expectOk(await request(robin, 'chat:escalate', { chatId })), { supervisorsOnDuty: 1 });
  assert.equal((await listed).escalations[0]!.chatId, chatId);

  const toPeer = next<Changed>(robin, 'supervision:changed');
  const toSurvivor = next(sam, 'supervision:changed');
  expectOk(await request(sage.socket, 'supervision:join', { chatId }));
  assert.deepEqual(await toPeer, { chatId, present: true, name: 'Sage' });
  assert.deepEqual(await toSurvivor, { present: true });

  const offered = next(robin, 'supervision:keyed');
  expectOk(await request(sage.socket, 'supervision:key', { chatId, keys: keysA }));
  assert.deepEqual(await offered, { chatId, keys: keysA });
  const toSupervisor = next(sage.socket, 'supervision:received');
  expectOk(await request(robin, 'supervision:send', { chatId, id: 'p1', seq: 1, box: box('across') }));
  assert.equal((await toSupervisor).box, box('across'));

  const gone = next<Changed>(robin, 'supervision:changed');
  sage.socket.disconnect();
  assert.deepEqual(await gone, { chatId, present: false, name: 'Sage' });
});
