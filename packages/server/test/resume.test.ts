// SPDX-License-Identifier: Apache-2.0
/**
 * Sessions outlive a dropped connection by the grace period: a survivor or a peer who comes
 * back with their resume token takes the same chat(s) back, and the relay holds no message
 * for them meanwhile (the sender's outbox resends).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PeerSession, SurvivorSession } from '@kindred/protocol';
import type { Socket } from 'socket.io-client';
import { signPeerToken, type Relay } from '../src/relay.js';
import { client, collect, connect, expectOk, next, pair, peer, queueUpdate, request, secret, startRelay, survivor } from './helpers.js';
import { box } from './box.js';

/** Connects a survivor or peer, resolving with the socket and its `session:ready`. */
async function session<T>(socket: Socket): Promise<{ socket: Socket; ready: T }> {
  const ready = next<T>(socket, 'session:ready');
  await connect(socket);
  return { socket, ready: await ready };
}

/** A survivor's resume token: the first thing their connection was told. */
async function survivorWithToken(relay: Relay) {
  return session<SurvivorSession>(client(relay, '/survivor'));
}

const comeBack = (relay: Relay, resume: string) => session<SurvivorSession>(client(relay, '/survivor', { auth: { resume } }));

/** A pair whose survivor's resume token is known. */
async function resumablePair(relay: Relay) {
  const robin = await peer(relay, { name: 'Robin' });
  const sam = await survivorWithToken(relay);
  const queued = queueUpdate(robin);
  expectOk(await request(sam.socket, 'chat:start', {}));
  const { ticket } = (await queued).entries[0]!;
  const joined = next(sam.socket, 'peer:joined');
  const { chatId } = expectOk(await request<{ chatId: string }>(robin, 'chat:accept', { ticket }));
  await joined;
  return { robin, sam: sam.socket, resume: sam.ready.resume, chatId };
}

test('a survivor who comes back within the grace period takes the same chat back', async () => {
  const relay = await startRelay();
  const { robin, sam, resume, chatId } = await resumablePair(relay);
  const away = next(robin, 'chat:presence');
  sam.disconnect();
  assert.deepEqual(await away, { chatId, present: false });

  const back = next(robin, 'chat:presence');
  const again = await comeBack(relay, resume);
  assert.deepEqual(again.ready, {
    resume,
    resumed: true,
    chat: { state: 'chatting', peerName: 'Robin', peerPresent: true },
  });
  assert.deepEqual(await back, { chatId, present: true });

  const heard = next(robin, 'message:received');
  expectOk(await request(again.socket, 'message:send', { id: 'after', seq: 2, box: box('I am back') }));
  assert.equal((await heard).box, box('I am back'));
  const reply = next(again.socket, 'message:received');
  const delivered = next(robin, 'message:delivered');
  expectOk(await request(robin, 'message:send', { chatId, id: 'p2', seq: 1, box: box('Welcome back') }));
  assert.equal((await reply).box, box('Welcome back'));
  assert.deepEqual(await delivered, { chatId, id: 'p2' }, 'confirmed to the peer by the resumed connection');
  assert.equal(relay.counts().chats, 1);
});

test('a receipt goes to the connection the sender has when the recipient confirms, not the one that sent', async () => {
  const relay = await startRelay();
  const { robin, sam, resume, chatId } = await resumablePair(relay);
  // The peer's console holds its confirmation until the survivor has reconnected.
  let confirm: ((value: true) => void) | undefined;
  const heard = new Promise<void>((resolve) => {
    robin.once('message:received', (_message: unknown, ack: (value: true) => void) => {
      confirm = ack;
      resolve();
    });
  });
  expectOk(await request(sam, 'message:send', { id: 'late', seq: 1, box: box('Are you there?') }));
  await heard;
  const away = next(robin, 'chat:presence');
  sam.disconnect();
  assert.deepEqual(await away, { chatId, present: false });
  const again = await comeBack(relay, resume);
  assert.equal(again.ready.resumed, true);

  const delivered = next(again.socket, 'message:delivered');
  confirm!(true);
  assert.deepEqual(await delivered, { id: 'late' }, 'the survivor learns it was delivered on their new connection');
});

test('a waiting survivor who reloads keeps their place in the queue', async () => {
  const relay = await startRelay();
  await peer(relay);
  const first = await survivorWithToken(relay);
  expectOk(await request(first.socket, 'chat:start', {}));
  const second = await survivor(relay);
  expectOk(await request(second, 'chat:start', {}));
  first.socket.disconnect();
  const again = await comeBack(relay, first.ready.resume);
  assert.equal(again.ready.chat?.state, 'waiting');
  assert.equal(again.ready.chat?.state === 'waiting' && again.ready.chat.queue.position, 1);
  assert.equal(relay.counts().waiting, 2);
});

test('a peer who accepts an away survivor is told they are away, and the survivor comes back into the chat', async () => {
  const relay = await startRelay();
  const robin = await peer(relay, { name: 'Robin' });
  const sam = await survivorWithToken(relay);
  const queued = queueUpdate(robin);
  expectOk(await request(sam.socket, 'chat:start', {}));
  const { ticket } = (await queued).entries[0]!;
  sam.socket.disconnect();
  const away = next(robin, 'chat:presence');
  const { chatId } = expectOk(await request<{ chatId: string }>(robin, 'chat:accept', { ticket }));
  assert.deepEqual(await away, { chatId, present: false });
  const again = await comeBack(relay, sam.ready.resume);
  assert.deepEqual(again.ready.chat, { state: 'chatting', peerName: 'Robin', peerPresent: true });
});

/** A signed-in, on-duty peer whose resume token is known. */
async function resumablePeer(relay: Relay, name = 'Robin') {
  const token = await signPeerToken(secret, { name, maxChats: 2, ttlSeconds: 600 });
  const { socket, ready } = await session<PeerSession>(client(relay, '/peer', { auth: { token } }));
  expectOk(await request(socket, 'duty:set', { onDuty: true }));
  return { socket, resume: ready.resume };
}

test('a message sent while the other side is away is not kept: it arrives when the sender resends it', async () => {
  const relay = await startRelay();
  const robin = await resumablePeer(relay);
  const { survivor: sam, chatId } = await pair(relay, robin.socket);
  const told = next(sam, 'chat:presence');
  robin.socket.disconnect();
  assert.deepEqual(await told, { present: false });
  // The relay takes the message (it is valid) but has nobody to give it to.
  expectOk(await request(sam, 'message:send', { id: 'm1', seq: 1, box: box('are you there?') }));

  const back = next(sam, 'chat:presence');
  const again = await session<PeerSession>(client(relay, '/peer', { auth: { resume: robin.resume } }));
  assert.deepEqual(await back, { present: true }, 'the survivor is told to resend');
  assert.deepEqual(await collect(again.socket, 'message:received', 300), [], 'the relay held nothing for the away peer');
  // What the survivor's outbox does on `present: true`:
  const heard = next(again.socket, 'message:received');
  const delivered = next(sam, 'message:delivered');
  expectOk(await request(sam, 'message:send', { id: 'm1', seq: 1, box: box('are you there?') }));
  assert.deepEqual(await delivered, { id: 'm1' });
  assert.deepEqual({ ...(await heard), sentAt: 0 }, { chatId, id: 'm1', seq: 1, box: box('are you there?'), sentAt: 0 });
});

test('a reloaded console takes all its chats back with the resume token alone', async () => {
  const relay = await startRelay();
  const robin = await resumablePeer(relay);
  const a = await pair(relay, robin.socket);
  const b = await pair(relay, robin.socket);
  const awayA = next(a.survivor, 'chat:presence');
  const awayB = next(b.survivor, 'chat:presence');
  robin.socket.disconnect();
  assert.deepEqual(await awayA, { present: false });
  assert.deepEqual(await awayB, { present: false });

  const backA = next(a.survivor, 'chat:presence');
  const backB = next(b.survivor, 'chat:presence');
  const again = await session<PeerSession>(client(relay, '/peer', { auth: { resume: robin.resume } }));
  assert.equal(again.ready.resumed, true);
  assert.equal(again.ready.name, 'Robin');
  assert.equal(again.ready.onDuty, true, 'still on duty');
  assert.deepEqual(
    again.ready.chats.map((chat) => chat.chatId).sort(),
    [a.chatId, b.chatId].sort(),
  );
  assert.ok(again.ready.chats.every((chat) => chat.survivorPresent));
  assert.deepEqual(await backA, { present: true });
  assert.deepEqual(await backB, { present: true });
  const heard = next(b.survivor, 'message:received');
  const delivered = next(again.socket, 'message:delivered');
  expectOk(await request(again.socket, 'message:send', { chatId: b.chatId, id: 'p1', seq: 1, box: box('Sorry, I am back') }));
  assert.equal((await heard).box, box('Sorry, I am back'));
  assert.deepEqual(await delivered, { chatId: b.chatId, id: 'p1' });
});

test('a peer gone past the grace period: each survivor is told and is first in line again', async () => {
  const relay = await startRelay({ resumeGraceMs: 1_000 });
  const robin = await resumablePeer(relay);
  const sam = await pair(relay, robin.socket);
  const ash = await peer(relay, { name: 'Ash' });
  const other = await survivor(relay);
  const otherQueued = queueUpdate(ash, (list) => list.total === 1);
  expectOk(await request(other, 'chat:start', {}));
  await otherQueued;

  const requeued = next(sam.survivor, 'chat:requeued', 4_000);
  const list = queueUpdate(ash, (update) => update.total === 2);
  robin.socket.disconnect();
  const { queue } = await requeued;
  assert.deepEqual({ position: queue.position, peersOnDuty: queue.peersOnDuty }, { position: 1, peersOnDuty: 1 });
  const entries = (await list).entries;
  assert.equal(entries[0]!.survivorName, sam.survivorName, 'the requeued survivor is at the front');

  const joined = next(sam.survivor, 'peer:joined');
  expectOk(await request(ash, 'chat:accept', { ticket: entries[0]!.ticket }));
  assert.deepEqual(await joined, { peerName: 'Ash' });

  const late = client(relay, '/peer', { auth: { resume: robin.resume } });
  await assert.rejects(connect(late), /auth-failed/, 'the expired session is gone');
});

test('a chat that ended while the survivor was away is explained when they come back', async () => {
  const relay = await startRelay();
  const { robin, sam, resume, chatId } = await resumablePair(relay);
  sam.disconnect();
  await next(robin, 'chat:presence');
  expectOk(await request(robin, 'chat:end', { chatId }));
  const again = await comeBack(relay, resume);
  assert.deepEqual(again.ready, { resume, resumed: true, chat: null, ended: 'peer-ended' });
});

test('an unknown or expired resume token starts a new session; a malformed one is refused', async () => {
  const relay = await startRelay({ resumeGraceMs: 1_000 });
  const { sam, resume } = await resumablePair(relay);
  sam.disconnect();
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const late = await comeBack(relay, resume);
  assert.equal(late.ready.resumed, false);
  assert.equal(late.ready.chat, null);
  assert.notEqual(late.ready.resume, resume);

  const unknown = await comeBack(relay, 'A'.repeat(22));
  assert.equal(unknown.ready.resumed, false);
  for (const auth of [{ resume: 42 }, { resume: 'short' }, { resume: 'A'.repeat(22), extra: 1 }]) {
    await assert.rejects(connect(client(relay, '/survivor', { auth })), /payload-invalid/, JSON.stringify(auth));
  }
});

test('a newer connection with the same token takes the session over without ending the chat', async () => {
  const relay = await startRelay();
  const { robin, sam, resume } = await resumablePair(relay);
  const closed = new Promise((resolve) => sam.once('disconnect', resolve));
  const ended = collect(robin, 'chat:ended', 500);
  const again = await comeBack(relay, resume);
  await closed;
  assert.deepEqual(await ended, []);
  assert.equal(again.ready.chat?.state, 'chatting');
  const heard = next(robin, 'message:received');
  const delivered = next(again.socket, 'message:delivered');
  expectOk(await request(again.socket, 'message:send', { id: 'x', seq: 1, box: box('from the new tab') }));
  assert.equal((await heard).box, box('from the new tab'));
  assert.deepEqual(await delivered, { id: 'x' });
});
