// SPDX-License-Identifier: Apache-2.0
/**
 * Relays die. PROTECTS "no survivor dropped" when the relay they were on goes: real
 * `kindred-relay` processes share a real redis-server behind a round-robin TCP balancer with
 * no sticky sessions. When a survivor's relay is killed, their client reconnects through the
 * balancer to another relay and takes the same chat back; when it never comes back, another
 * relay's sweep finishes what the dead relay's timers would have (nobody is stranded); and a
 * relay stopped with SIGTERM hands its connections over instead of ending their chats.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { SurvivorSession } from '@kindred/protocol';
import { io, type Socket } from 'socket.io-client';
import type { Relay } from '../src/relay.js';
import { client, connect, expectOk, hospital, next, nextWhere, peer, queueUpdate, request } from './helpers.js';
import { box } from './box.js';
import { relayProcess, startBalancer, startRedis, type RedisServer } from './redis.js';

const sockets: Socket[] = [];
after(() => {
  for (const socket of sockets) socket.disconnect();
});

/** A survivor's chat frame as a browser runs it: through the balancer, reconnecting on its own with its resume token. */
async function frame(url: string): Promise<{ socket: Socket; ready: SurvivorSession }> {
  const socket = io(`${url}/survivor`, {
    transports: ['websocket'],
    forceNew: true,
    autoConnect: false,
    reconnectionDelay: 100,
    reconnectionDelayMax: 300,
    extraHeaders: { origin: hospital },
    auth: {},
  });
  sockets.push(socket);
  const ready = next<SurvivorSession>(socket, 'session:ready');
  await connect(socket);
  const session = await ready;
  socket.auth = { resume: session.resume }; // what the frame keeps in sessionStorage
  return { socket, ready: session };
}

/** Starts a chat for `sam` and has `robin` accept it. */
async function startChat(sam: Socket, robin: Socket): Promise<string> {
  const listed = queueUpdate(robin);
  expectOk(await request(sam, 'chat:start', {}));
  const { ticket } = (await listed).entries[0]!;
  const joined = next(sam, 'peer:joined');
  const { chatId } = expectOk(await request<{ chatId: string }>(robin, 'chat:accept', { ticket }));
  await joined;
  return chatId;
}

async function chatsIn(redis: RedisServer): Promise<number> {
  return (await redis.inspect()).sCard('kindred:{kindred}:chats');
}

test('relay A is killed: the survivor reconnects through the balancer to relay B and the same chat goes on', { timeout: 60_000 }, async () => {
  const redis = await startRedis();
  const a = await relayProcess(redis);
  const b = await relayProcess(redis);
  const balancer = await startBalancer([a.port, b.port]);
  const robin = await peer({ url: b.url } as Relay, { name: 'Robin' });

  const { socket: sam, ready } = await frame(balancer.url);
  assert.deepEqual(balancer.routed, [a.port], 'the survivor is on relay A, the peer on relay B');
  const chatId = await startChat(sam, robin);
  const heard = next(robin, 'message:received');
  expectOk(await request(sam, 'message:send', { id: 'm1', seq: 1, box: box('before') }));
  assert.equal((await heard).box, box('before'));

  const resumed = next<SurvivorSession>(sam, 'session:ready', 15_000);
  const back = nextWhere(robin, 'chat:presence', (presence: { present: boolean }) => presence.present);
  assert.equal(await a.stop('SIGKILL'), null);
  assert.deepEqual(await resumed, { resume: ready.resume, resumed: true, chat: { state: 'chatting', peerName: 'Robin', peerPresent: true } });
  assert.equal(balancer.routed.at(-1), b.port, 'the reconnection went to relay B');
  assert.deepEqual(await back, { chatId, present: true }, 'the peer is told to resend what is undelivered');

  const heardAgain = next(robin, 'message:received');
  const delivered = next(sam, 'message:delivered');
  expectOk(await request(sam, 'message:send', { id: 'm2', seq: 2, box: box('after') }));
  assert.equal((await heardAgain).box, box('after'));
  assert.deepEqual(await delivered, { id: 'm2' });
  const reply = next(sam, 'message:received');
  expectOk(await request(robin, 'message:send', { chatId, id: 'p1', seq: 1, box: box('still here') }));
  assert.equal((await reply).box, box('still here'));
  assert.equal(await chatsIn(redis), 1, 'one chat all along');
});

test('a relay killed with a grace timer armed strands nobody: another relay ends the chat when the grace period is over', { timeout: 60_000 }, async () => {
  const redis = await startRedis();
  const a = await relayProcess(redis, { KINDRED_RESUME_GRACE: '2s' });
  const b = await relayProcess(redis, { KINDRED_RESUME_GRACE: '2s' });
  const robin = await peer({ url: b.url } as Relay, { name: 'Robin' });
  const sam = await connect(client({ url: a.url } as Relay, '/survivor'));
  const chatId = await startChat(sam, robin);

  const away = next(robin, 'chat:presence');
  const ended = next(robin, 'chat:ended', 10_000);
  sam.disconnect(); // relay A arms its grace timer…
  assert.deepEqual(await away, { chatId, present: false });
  await a.stop('SIGKILL'); // …and dies with it
  assert.deepEqual(await ended, { chatId, reason: 'survivor-left' });
  assert.equal(await chatsIn(redis), 0);
});

test('a relay killed with connections on it: their counterparts are told, and a survivor who never comes back is let go', { timeout: 60_000 }, async () => {
  const redis = await startRedis();
  const a = await relayProcess(redis, { KINDRED_RESUME_GRACE: '2s' });
  const b = await relayProcess(redis, { KINDRED_RESUME_GRACE: '2s' });
  const robin = await peer({ url: b.url } as Relay, { name: 'Robin' });
  const sam = await connect(client({ url: a.url } as Relay, '/survivor'));
  const chatId = await startChat(sam, robin);

  const away = next(robin, 'chat:presence', 15_000);
  const ended = next(robin, 'chat:ended', 20_000);
  await a.stop('SIGKILL'); // the survivor's connection goes with it, and nobody wrote it away
  assert.deepEqual(await away, { chatId, present: false }, 'relay B found relay A dead and told the peer');
  assert.deepEqual(await ended, { chatId, reason: 'survivor-left' });
});

test('SIGTERM on a relay sharing Redis hands its connections over: no chat ends, the survivor resumes on another relay', { timeout: 60_000 }, async () => {
  const redis = await startRedis();
  const a = await relayProcess(redis);
  const b = await relayProcess(redis);
  const balancer = await startBalancer([a.port, b.port]);
  const robin = await peer({ url: b.url } as Relay, { name: 'Robin' });
  const { socket: sam, ready } = await frame(balancer.url);
  assert.deepEqual(balancer.routed, [a.port]);
  await startChat(sam, robin);

  const endedSeen: unknown[] = [];
  sam.on('chat:ended', (payload) => endedSeen.push(payload));
  robin.on('chat:ended', (payload) => endedSeen.push(payload));
  const resumed = next<SurvivorSession>(sam, 'session:ready', 15_000);
  assert.equal(await a.stop('SIGTERM'), 0, 'exits 0');
  assert.deepEqual(await resumed, { resume: ready.resume, resumed: true, chat: { state: 'chatting', peerName: 'Robin', peerPresent: true } });
  assert.deepEqual(endedSeen, []);
  assert.equal(await chatsIn(redis), 1);
});
