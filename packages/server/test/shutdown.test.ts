// SPDX-License-Identifier: Apache-2.0
/**
 * SIGTERM on the real `kindred-relay` process: it stops accepting, tells every survivor and
 * peer that their chat ended, delivers what was already in flight, and exits 0 in time.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import type { Relay } from '../src/relay.js';
import { client, connect, expectOk, next, pair, request, secret, survivor } from './helpers.js';
import { box } from './box.js';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

test('SIGTERM ends every chat out loud, refuses new connections and exits 0 within 10 s', async () => {
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? '', KINDRED_SECRET: secret, PORT: '0', KINDRED_ORIGINS: 'https://hospital.example' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const died = once(child, 'exit').then(() => assert.fail(`the relay did not start:\n${stderr}`));
  while (!/listening on/.test(stdout)) await Promise.race([once(child.stdout, 'data'), died]);
  const url = /listening on (http:\/\/\S+)/.exec(stdout)![1]!.replace('localhost', '127.0.0.1');
  const relay = { url } as Relay;

  const chat = await pair(relay);
  const waiting = await survivor(relay);
  expectOk(await request(waiting, 'chat:start', {}));

  // A message in flight as the signal arrives still reaches the peer.
  const heard = next(chat.peer, 'message:received');
  const survivorTold = next(chat.survivor, 'chat:ended');
  const peerTold = next(chat.peer, 'chat:ended');
  const waitingTold = next(waiting, 'chat:ended');
  expectOk(await request(chat.survivor, 'message:send', { id: 'last', seq: 1, box: box('one more thing') }));
  const started = Date.now();
  child.kill('SIGTERM');

  assert.equal((await heard).box, box('one more thing'));
  assert.deepEqual(await survivorTold, { reason: 'relay-closing' });
  assert.deepEqual(await peerTold, { chatId: chat.chatId, reason: 'relay-closing' });
  assert.deepEqual(await waitingTold, { reason: 'relay-closing' });
  const [code] = await once(child, 'exit');
  assert.equal(code, 0);
  assert.ok(Date.now() - started < 10_000, 'exited within 10 seconds');
  await assert.rejects(connect(client(relay, '/survivor')), 'nobody is accepted any more');
});
