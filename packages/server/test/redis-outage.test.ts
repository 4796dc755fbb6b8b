// SPDX-License-Identifier: Apache-2.0
/**
 * Redis goes away. PROTECTS the relay's promise to stay up without its shared state: it keeps
 * answering /healthz, says not ready on /readyz (with nothing that leaks why), refuses new
 * chats with `unavailable` rather than queueing someone no peer could see, never crashes on
 * the adapter or the scripts, and comes back by itself when Redis does.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorCodes } from '@kindred/protocol';
import { signPeerToken, type Relay } from '../src/relay.js';
import { client, connect, expectOk, next, pair, request, secret, survivor } from './helpers.js';
import { box } from './box.js';
import { deployment, startRedis, waitFor } from './redis.js';

async function readiness(relay: Relay): Promise<{ status: number; body: string }> {
  const response = await fetch(`${relay.url}/readyz`);
  return { status: response.status, body: await response.text() };
}

test('Redis killed: the relay stays up, says not ready, refuses new chats with a clear code, and recovers when Redis is back', { timeout: 60_000 }, async () => {
  const redis = await startRedis();
  const relay = await deployment(redis).relay();
  assert.deepEqual(await readiness(relay), { status: 200, body: '{"ready":true}' });
  const chat = await pair(relay);
  const dropped = new Promise<string>((resolve) => chat.survivor.once('disconnect', resolve));

  await redis.kill();
  await waitFor(async () => (await readiness(relay)).status === 503, '/readyz to say 503');
  assert.deepEqual(await readiness(relay), { status: 503, body: '{"ready":false}' }, 'whether, never why');
  assert.equal((await fetch(`${relay.url}/healthz`)).status, 200, 'the process answers');

  // A survivor can still open the chat (and read the hospital's information), but not queue.
  const sam = await survivor(relay);
  const refused = await request(sam, 'chat:start', {});
  assert.deepEqual(refused, { ok: false, error: { code: 'unavailable', message: errorCodes.unavailable } });
  // The chat under way cannot reach its state either: its requests say so, nothing breaks.
  const late = await request(chat.peer, 'message:send', { chatId: chat.chatId, id: 'x', seq: 1, box: box('anyone?') });
  assert.equal(!late.ok && late.error.code, 'unavailable');
  // Peers cannot sign in, and resuming survivors are told to try again, not that their chat is gone.
  const token = await signPeerToken(secret, { name: 'Robin', ttlSeconds: 600 });
  await assert.rejects(connect(client(relay, '/peer', { auth: { token } })), /unavailable/);
  await assert.rejects(connect(client(relay, '/survivor', { auth: { resume: 'A'.repeat(22) } })), /unavailable/);

  // Back, empty (no persistence): the relay notices by itself, closes the connections whose
  // sessions were lost (their clients reconnect and start again), and takes chats again.
  await redis.restart();
  await waitFor(async () => (await readiness(relay)).status === 200, '/readyz to say 200 again');
  assert.equal(await dropped, 'transport close', 'a lost session is closed so that its client reconnects');
  const again = await pair(relay);
  const heard = next(again.peer, 'message:received');
  expectOk(await request(again.survivor, 'message:send', { id: 'm1', seq: 1, box: box('after the outage') }));
  assert.equal((await heard).box, box('after the outage'));
  assert.deepEqual(await relay.countsNow(), { chats: 1, waiting: 0, peers: 1, survivors: 1 });
});

test('Redis frozen (no answers, connections open): requests time out to `unavailable`, and everything resumes when it thaws', { timeout: 60_000 }, async () => {
  const redis = await startRedis();
  const relay = await deployment(redis).relay();
  const chat = await pair(relay);

  redis.freeze();
  try {
    const stuck = await request(chat.survivor, 'message:send', { id: 'm1', seq: 1, box: box('frozen?') }).catch((error: Error) => error);
    // The relay answers within its command timeout (3 s), or the client gives up first (2 s):
    // either way nothing hangs forever, and the relay is still there.
    assert.ok(stuck instanceof Error || (!stuck.ok && stuck.error.code === 'unavailable'));
    await waitFor(async () => (await readiness(relay)).status === 503, '/readyz to say 503');
    assert.equal((await fetch(`${relay.url}/healthz`)).status, 200);
  } finally {
    redis.thaw();
  }
  await waitFor(async () => (await readiness(relay)).status === 200, '/readyz to say 200 again');
  // Nothing was lost: the same chat carries on.
  const heard = next(chat.peer, 'message:received');
  expectOk(await request(chat.survivor, 'message:send', { id: 'm2', seq: 2, box: box('thawed') }));
  assert.equal((await heard).box, box('thawed'));
});

test('a relay started while Redis is down starts anyway, not ready, and becomes ready when Redis comes', { timeout: 60_000 }, async () => {
  const redis = await startRedis();
  await redis.kill();
  const relay = await deployment(redis).relay();
  assert.equal((await readiness(relay)).status, 503);
  assert.equal((await fetch(`${relay.url}/healthz`)).status, 200);
  await redis.restart();
  await waitFor(async () => (await readiness(relay)).status === 200, '/readyz to say 200');
  await pair(relay);
});
