// SPDX-License-Identifier: Apache-2.0
/**
 * Handing a chat to a colleague (`colleagues:list`, `chat:transfer`). PROTECTS: the survivor's
 * conversation carries on with the new peer after a fresh key exchange, and the old peer is cut
 * off; the hand-off note reaches the new peer only and is kept nowhere; a colleague who cannot
 * take the chat is refused and nothing changes; handles name a colleague while their session
 * lasts. Run against Redis too (redis-parity.test.ts).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Colleague, SurvivorSession } from '@kindred/protocol';
import type { Socket } from 'socket.io-client';
import { createLogger, createRelay, type Relay } from '../src/relay.js';
import { box } from './box.js';
import { metricsToken, scrape } from './metrics-text.js';
import { dumpRedis, monitorRedis, startRedis } from './redis.js';
import { client, connect, expectOk, hospital, next, pair, peer, peerBack, peerSession, queueUpdate, request, secret, startRelay, survivor, watch } from './helpers.js';

const keysA = { p256: 'A'.repeat(87), x25519: 'B'.repeat(43) };
const keysB = { p256: 'C'.repeat(87) };

/** Who `socket` could hand a chat to now. */
async function colleagues(socket: Socket): Promise<Colleague[]> {
  return expectOk(await request<{ colleagues: Colleague[] }>(socket, 'colleagues:list', {})).colleagues;
}

/** The handle `socket` sees for the colleague called `name`. */
async function handleOf(socket: Socket, name: string): Promise<string> {
  const found = (await colleagues(socket)).find((colleague) => colleague.name === name);
  assert.ok(found, `${name} is listed`);
  return found.handle;
}

/** A survivor paired with `peerSocket`, whose resume token is known. */
async function resumablePair(relay: Relay, peerSocket: Socket) {
  const sam = client(relay, '/survivor');
  const ready = next<SurvivorSession>(sam, 'session:ready');
  await connect(sam);
  const { resume } = await ready;
  const queued = queueUpdate(peerSocket);
  expectOk(await request(sam, 'chat:start', {}));
  const { ticket } = (await queued).entries.at(-1)!;
  const joined = next(sam, 'peer:joined');
  const chat = expectOk(await request<{ chatId: string; survivorName: string }>(peerSocket, 'chat:accept', { ticket }));
  await joined;
  return { sam, resume, ...chat };
}

async function refused(socket: Socket, event: string, payload: unknown): Promise<string | false> {
  const ack = await request(socket, event, payload);
  return !ack.ok && ack.error.code;
}

test('a transfer hands the chat over: the survivor re-keys with the new peer, the talk goes on, and the old peer is cut off', async () => {
  const relay = await startRelay({ metricsToken });
  const robin = await peer(relay, { name: 'Robin' });
  const { survivor: sam, chatId, survivorName } = await pair(relay, robin);
  const kim = await peer(relay, { name: 'Kim', maxChats: 2 });

  const kimTold = next(kim, 'chat:transferred');
  const samTold = next(sam, 'chat:transferred');
  expectOk(await request(robin, 'chat:transfer', { chatId, to: await handleOf(robin, 'Kim'), note: 'Calmer now; talk about sleep.' }));
  assert.deepEqual(await kimTold, { chatId, survivorName, fromName: 'Robin', note: 'Calmer now; talk about sleep.', survivorPresent: true });
  assert.deepEqual(await samTold, { peerName: 'Kim' });

  // The survivor's frame offers fresh keys: only the new peer hears them, and answers.
  const robinHears = watch(robin, 'key:offered');
  const offered = next(kim, 'key:offered');
  expectOk(await request(sam, 'key:offer', { keys: keysA }));
  assert.deepEqual(await offered, { chatId, keys: keysA });
  const answered = next(sam, 'key:answered');
  expectOk(await request(kim, 'key:answer', { chatId, keys: keysB, offer: keysA }));
  assert.deepEqual(await answered, { keys: keysB, offer: keysA });

  // The survivor keeps counting; the new peer starts again at 1.
  const kimHeard = next(kim, 'message:received');
  const samDelivered = next(sam, 'message:delivered');
  expectOk(await request(sam, 'message:send', { id: 'm7', seq: 7, box: box('still here') }));
  assert.deepEqual({ ...(await kimHeard), sentAt: 0 }, { chatId, id: 'm7', seq: 7, box: box('still here'), sentAt: 0 });
  assert.deepEqual(await samDelivered, { id: 'm7' });
  const samHeard = next(sam, 'message:received');
  const kimDelivered = next(kim, 'message:delivered');
  expectOk(await request(kim, 'message:send', { chatId, id: 'k1', seq: 1, box: box('hello, I am Kim') }));
  assert.deepEqual({ ...(await samHeard), sentAt: 0 }, { id: 'k1', seq: 1, box: box('hello, I am Kim'), sentAt: 0 });
  assert.deepEqual(await kimDelivered, { chatId, id: 'k1' });
  const typing = next(kim, 'typing:changed');
  sam.emit('typing:set', { typing: true });
  assert.deepEqual(await typing, { chatId, typing: true });

  // The old peer: nothing of the chat any more.
  assert.equal(await refused(robin, 'message:send', { chatId, id: 'r9', seq: 9, box: box('me again') }), 'not-found');
  assert.equal(await refused(robin, 'chat:end', { chatId }), 'not-found');
  assert.equal(await refused(robin, 'chat:transfer', { chatId, to: await handleOf(robin, 'Kim') }), 'not-found');
  assert.deepEqual(await robinHears.settle(), []);

  // The survivor's end reaches the new peer.
  const robinEnded = watch(robin, 'chat:ended');
  const kimEnded = next(kim, 'chat:ended');
  expectOk(await request(sam, 'chat:end', {}));
  assert.deepEqual(await kimEnded, { chatId, reason: 'survivor-ended' });
  assert.deepEqual(await robinEnded.settle(), []);
  assert.equal((await scrape(relay)).value('kindred_transfers_total'), 1);
});

test('the hand-off note reaches the new peer only, and is kept nowhere: not in Redis, not in a log line', { timeout: 30_000 }, async () => {
  // A Redis of its own (also when this file runs in memory), watched command by command.
  const redis = await startRedis();
  const monitor = await monitorRedis(redis.port);
  const lines: string[] = [];
  const relay = await createRelay(
    { port: 0, host: '127.0.0.1', secret, origins: [hospital], redisUrl: redis.url, redisPrefix: 'notes' },
    { log: createLogger((line) => lines.push(line)) },
  );
  after(() => relay.close());
  const note = `CANARYNOTE${Math.random().toString(36).slice(2, 12)}`;
  const robin = await peer(relay, { name: 'Robin' });
  const { survivor: sam, chatId } = await pair(relay, robin);
  const kim = await peer(relay, { name: 'Kim' });
  const lee = await peer(relay, { name: 'Lee' });
  const leeHears = watch(lee, 'chat:transferred');
  const samHears = watch(sam, 'chat:transferred');
  const kimTold = next(kim, 'chat:transferred');
  expectOk(await request(robin, 'chat:transfer', { chatId, to: await handleOf(robin, 'Kim'), note }));
  assert.equal((await kimTold).note, note);
  assert.deepEqual(await leeHears.settle(), []);
  assert.deepEqual(await samHears.settle(), [{ peerName: 'Kim' }], 'the survivor hears the name, never the note');
  // Refused transfers carrying a note keep nothing either.
  assert.equal(await refused(robin, 'chat:transfer', { chatId: 'A'.repeat(22), to: await handleOf(robin, 'Lee'), note }), 'not-found');
  assert.equal(await refused(robin, 'chat:transfer', { chatId, to: 'Z'.repeat(22), note }), 'not-found');
  assert.equal(await refused(robin, 'chat:transfer', { chatId, to: 'Z'.repeat(22), note: `${note}${'x'.repeat(500)}` }), 'payload-invalid');

  const dump = await dumpRedis(await redis.inspect());
  assert.ok(dump.text.includes('Kim'), 'the test reads the state it thinks it reads');
  assert.equal(dump.text.includes('CANARYNOTE'), false, 'Redis holds no note');
  const commands = monitor.lines();
  assert.ok(commands.some((line) => /"EVALSHA"|"EVAL"/.test(line)), 'the monitor saw the relay’s scripts');
  for (const line of commands.filter((each) => each.includes('CANARYNOTE'))) {
    assert.match(line, /"SPUBLISH"/i, 'a note crosses Redis only in flight, inside a pub/sub message');
  }
  assert.ok(lines.length > 0, 'the relay logged');
  assert.equal(lines.some((line) => line.includes('CANARYNOTE')), false, 'no log line holds the note');
});

test('a colleague who cannot take the chat is refused, and nothing changes', async () => {
  const relay = await startRelay();
  const robin = await peer(relay, { name: 'Robin' });
  const { survivor: sam, chatId } = await pair(relay, robin);
  const full = await peer(relay, { name: 'Ash' });
  await pair(relay, full); // Ash's one place is taken
  const resting = await peer(relay, { name: 'Bo' });
  const restingHandle = await handleOf(robin, 'Bo');
  expectOk(await request(resting, 'duty:set', { onDuty: false, onBreak: true }));
  const gone = await peer(relay, { name: 'Cy' });
  const goneHandle = await handleOf(robin, 'Cy');
  gone.disconnect();
  const ownHandle = await handleOf(full, 'Robin');

  assert.deepEqual(
    (await colleagues(robin)).map(({ name, free }) => ({ name, free })),
    [{ name: 'Ash', free: 0 }],
    'only colleagues on duty and connected are listed; a full one shows no room',
  );
  const told = [watch(sam, 'chat:transferred'), watch(full, 'chat:transferred'), watch(resting, 'chat:transferred')];
  for (const to of [await handleOf(robin, 'Ash'), restingHandle, goneHandle, ownHandle, 'Z'.repeat(22)]) {
    assert.equal(await refused(robin, 'chat:transfer', { chatId, to }), 'colleague-unavailable');
  }
  for (const watcher of told) assert.deepEqual(await watcher.settle(), []);
  // Still Robin's chat.
  const heard = next(sam, 'message:received');
  expectOk(await request(robin, 'message:send', { chatId, id: 'r1', seq: 1, box: box('still me') }));
  assert.equal((await heard).id, 'r1');
});

test('colleagues are listed most room first, then by name, and keep their handle across a reload', async () => {
  const relay = await startRelay({ offerMs: 0 });
  const robin = await peer(relay, { name: 'Robin' });
  const kim = await peerSession(relay, { name: 'Kim', maxChats: 2 });
  await peer(relay, { name: 'Ash', maxChats: 2 });
  const zed = await peer(relay, { name: 'Zed', maxChats: 3 });
  await pair(relay, zed);
  await peer(relay, { name: 'Off' }, { onDuty: false });
  const listed = await colleagues(robin);
  assert.deepEqual(
    listed.map(({ name, free }) => ({ name, free })),
    [
      { name: 'Ash', free: 2 },
      { name: 'Kim', free: 2 },
      { name: 'Zed', free: 2 },
    ],
  );
  for (const { handle } of listed) assert.match(handle, /^[A-Za-z0-9_-]{22}$/);
  assert.equal(new Set(listed.map(({ handle }) => handle)).size, 3);
  const kimHandle = listed.find(({ name }) => name === 'Kim')!.handle;

  // Away, Kim is not listed; back (a reload) and on duty, Kim has the same handle.
  kim.socket.disconnect();
  await nextWhereListed(robin, (names) => !names.includes('Kim'));
  const back = await peerBack(relay, { resume: kim.ready.resume }, { onDuty: true });
  assert.equal(back.ready.resumed, true);
  assert.equal(await handleOf(robin, 'Kim'), kimHandle);
  assert.equal(await handleOf(back.socket, 'Robin'), await handleOf(zed, 'Robin'), 'everyone sees one handle for one colleague');
});

test('a transfer that fills the new peer’s last place withdraws their offer, and the old peer is offered the next survivor', async () => {
  const relay = await startRelay();
  const robin = await peer(relay, { name: 'Robin' });
  const kim = await peer(relay, { name: 'Kim' }, { onDuty: false });
  const { chatId } = await pair(relay, robin);
  expectOk(await request(kim, 'duty:set', { onDuty: true }));
  // A second survivor: Robin is full, so Kim is offered them.
  const offered = next<{ ticket: string }>(kim, 'offer:made');
  const lee = await survivor(relay);
  expectOk(await request(lee, 'chat:start', {}));
  const { ticket } = await offered;

  const withdrawn = next(kim, 'offer:withdrawn');
  const robinOffered = next<{ ticket: string }>(robin, 'offer:made');
  expectOk(await request(robin, 'chat:transfer', { chatId, to: await handleOf(robin, 'Kim') }));
  assert.deepEqual(await withdrawn, { ticket, reason: 'released' });
  assert.equal((await robinOffered).ticket, ticket, 'Robin, with room again, is offered the survivor waiting');
  assert.equal((await colleagues(robin)).find(({ name }) => name === 'Kim')?.free, 0);
});

test('the new peer who reloads takes the transferred chat back; an away survivor is told when they return', async () => {
  const relay = await startRelay();
  const robin = await peer(relay, { name: 'Robin' });
  const { sam, resume: samResume, chatId, survivorName } = await resumablePair(relay, robin);
  const kim = await peerSession(relay, { name: 'Kim' });
  const robinAway = next(robin, 'chat:presence');
  sam.disconnect();
  assert.deepEqual(await robinAway, { chatId, present: false });
  const told = next(kim.socket, 'chat:transferred');
  expectOk(await request(robin, 'chat:transfer', { chatId, to: await handleOf(robin, 'Kim') }));
  assert.equal((await told).survivorPresent, false);

  kim.socket.disconnect();
  const back = await peerBack(relay, { resume: kim.ready.resume });
  assert.deepEqual(back.ready.chats, [{ chatId, survivorName, survivorPresent: false }]);

  // The survivor comes back to the new peer: told by name, and Kim hears they are back.
  const present = next(back.socket, 'chat:presence');
  const samBack = client(relay, '/survivor', { auth: { resume: samResume } });
  const ready = next<SurvivorSession>(samBack, 'session:ready');
  await connect(samBack);
  assert.deepEqual((await ready).chat, { state: 'chatting', peerName: 'Kim', peerPresent: true });
  assert.deepEqual(await present, { chatId, present: true });
});

test('hostile transfer and colleague requests are refused with payload-invalid', async () => {
  const relay = await startRelay();
  const robin = await peer(relay, { name: 'Robin' });
  const { chatId } = await pair(relay, robin);
  const to = 'Z'.repeat(22);
  const bad: Array<[string, unknown]> = [
    ['colleagues:list', { all: true }],
    ['colleagues:list', []],
    ['chat:transfer', { chatId, to: 'short' }],
    ['chat:transfer', { chatId, to: `${to}!` }],
    ['chat:transfer', { chatId, to: 42 }],
    ['chat:transfer', { chatId: 7, to }],
    ['chat:transfer', { chatId, to, note: 5 }],
    ['chat:transfer', { chatId, to, note: 'x'.repeat(501) }],
    ['chat:transfer', { chatId, to, from: 'Robin' }],
    ['chat:transfer', { chatId }],
  ];
  for (const [event, payload] of bad) assert.equal(await refused(robin, event, payload), 'payload-invalid', `${event} ${JSON.stringify(payload).slice(0, 60)}`);
  expectOk(await request(robin, 'chat:end', { chatId }));
});

/** Waits until `socket`'s colleague list satisfies `wanted` (asks again after each refusal). */
async function nextWhereListed(socket: Socket, wanted: (names: string[]) => boolean): Promise<void> {
  for (let tries = 0; tries < 50; tries += 1) {
    if (wanted((await colleagues(socket)).map(({ name }) => name))) return;
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  throw new Error('the colleague list never changed');
}
