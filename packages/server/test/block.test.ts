// SPDX-License-Identifier: Apache-2.0
/**
 * Blocking (`chat:block`). PROTECTS: a peer can end an abusive chat and keep that survivor's
 * session from starting another for the hospital's cooldown, also after the survivor reloads;
 * the survivor is told only that the peer ended the chat; the block is held with that session
 * alone, so another survivor (on the same address, as on a hospital's Wi-Fi) starts normally;
 * the cooldown ends. Run against Redis too (redis-parity.test.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SurvivorSession } from '@kindred/protocol';
import type { Socket } from 'socket.io-client';
import type { Relay } from '../src/relay.js';
import { box } from './box.js';
import { metricsToken, scrape } from './metrics-text.js';
import { client, connect, expectOk, next, peer, queueUpdate, request, startRelay, watch } from './helpers.js';

const address = '127.44.0.7';

/** A survivor on `address` (every survivor here shares it), with their `session:ready`. */
async function survivorAt(relay: Relay, resume?: string): Promise<{ socket: Socket; ready: SurvivorSession }> {
  const socket = client(relay, '/survivor', { localAddress: address, ...(resume ? { auth: { resume } } : {}) });
  const ready = next<SurvivorSession>(socket, 'session:ready');
  await connect(socket);
  return { socket, ready: await ready };
}

/** `sam` starts a chat and `robin` accepts it. */
async function accepted(sam: Socket, robin: Socket): Promise<string> {
  const queued = queueUpdate(robin);
  expectOk(await request(sam, 'chat:start', {}));
  const { ticket } = (await queued).entries.at(-1)!;
  const joined = next(sam, 'peer:joined');
  const { chatId } = expectOk(await request<{ chatId: string }>(robin, 'chat:accept', { ticket }));
  await joined;
  return chatId;
}

async function code(socket: Socket, event: string, payload: unknown): Promise<string | false> {
  const ack = await request(socket, event, payload);
  return !ack.ok && ack.error.code;
}

test('a block ends the chat as any ending would, and refuses that session (also after a reload) but nobody else', async () => {
  const relay = await startRelay({ metricsToken, resumeGraceMs: 5_000 });
  const robin = await peer(relay, { name: 'Robin', maxChats: 2 });
  const sam = await survivorAt(relay);
  const chatId = await accepted(sam.socket, robin);

  const ended = next(sam.socket, 'chat:ended');
  const robinEnded = watch(robin, 'chat:ended');
  expectOk(await request(robin, 'chat:block', { chatId }));
  assert.deepEqual(await ended, { reason: 'peer-ended' }, 'the survivor is not told they were blocked');
  assert.deepEqual(await robinEnded.settle(), [], 'the peer who blocked is not told again');
  assert.equal(await code(robin, 'message:send', { chatId, id: 'r1', seq: 1, box: box('after') }), 'not-found');
  assert.equal(await code(robin, 'chat:block', { chatId }), 'not-found');

  assert.equal(await code(sam.socket, 'chat:start', {}), 'unavailable');
  // A reload is the same session: still refused.
  sam.socket.disconnect();
  const again = await survivorAt(relay, sam.ready.resume);
  assert.equal(again.ready.resumed, true);
  assert.equal(await code(again.socket, 'chat:start', { safety: 'unsafe' }), 'unavailable');

  // Another survivor behind the same address starts, and is answered, normally.
  const lee = await survivorAt(relay);
  const leeChat = await accepted(lee.socket, robin);
  const heard = next(lee.socket, 'message:received');
  expectOk(await request(robin, 'message:send', { chatId: leeChat, id: 'r2', seq: 1, box: box('hello') }));
  assert.equal((await heard).id, 'r2');

  const metrics = await scrape(relay);
  assert.equal(metrics.value('kindred_blocks_total'), 1);
  assert.equal(metrics.value('kindred_chats_ended_total', { reason: 'peer-ended' }), 1);
});

test('the block ends after the cooldown: the same session may start a chat again', async () => {
  const relay = await startRelay({ blockMs: 600 });
  const robin = await peer(relay, { name: 'Robin' });
  const sam = await survivorAt(relay);
  const chatId = await accepted(sam.socket, robin);
  const ended = next(sam.socket, 'chat:ended');
  expectOk(await request(robin, 'chat:block', { chatId }));
  await ended;
  assert.equal(await code(sam.socket, 'chat:start', {}), 'unavailable');
  await new Promise((resolve) => setTimeout(resolve, 700));
  const queued = queueUpdate(robin);
  expectOk(await request(sam.socket, 'chat:start', {}));
  assert.equal((await queued).total, 1, 'the peer sees them waiting again');
});

test('only the chat’s own peer can block it; hostile block requests are refused', async () => {
  const relay = await startRelay();
  const robin = await peer(relay, { name: 'Robin' });
  const sam = await survivorAt(relay);
  const chatId = await accepted(sam.socket, robin);
  const mallory = await peer(relay, { name: 'Mallory' });
  assert.equal(await code(mallory, 'chat:block', { chatId }), 'not-found');
  for (const payload of [{}, { chatId: 5 }, { chatId: 'short' }, { chatId, minutes: 600 }, [chatId]]) {
    assert.equal(await code(robin, 'chat:block', payload), 'payload-invalid', JSON.stringify(payload));
  }
  // Still going: nothing was blocked or ended.
  const heard = next(robin, 'message:received');
  expectOk(await request(sam.socket, 'message:send', { id: 'm1', seq: 1, box: box('still here') }));
  assert.equal((await heard).chatId, chatId);
});
