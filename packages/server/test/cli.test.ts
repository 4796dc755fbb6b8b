// SPDX-License-Identifier: Apache-2.0
/**
 * The `kindred-relay` command as an operator runs it: a separate process, its real output.
 * Includes the log check: after a whole chat with canary text, nothing it printed contains
 * the text, the chat id, the pseudonym or the client's address.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { verifyPeerToken } from '../src/auth/tokens.js';
import type { Relay } from '../src/relay.js';
import { client, connect, expectOk, next, queueUpdate, request, secret } from './helpers.js';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const baseEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };

test('`kindred-relay token` prints a signed token and nothing else', async () => {
  const run = spawnSync(process.execPath, [main, 'token', '--name', 'Robin', '--max-chats', '2', '--ttl', '1h'], {
    env: { ...baseEnv, KINDRED_SECRET: secret },
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 1);
  const claims = await verifyPeerToken(secret, lines[0]);
  assert.deepEqual(claims, { name: 'Robin', maxChats: 2, role: 'peer', topics: [], languages: [] });
});

test('`kindred-relay token` refuses a lifetime over 7 days', () => {
  const run = spawnSync(process.execPath, [main, 'token', '--name', 'Robin', '--ttl', '30d'], {
    env: { ...baseEnv, KINDRED_SECRET: secret },
    encoding: 'utf8',
  });
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /at most 7d/);
});

test('`kindred-relay token` without a secret or a name lists both problems and prints no token', () => {
  const run = spawnSync(process.execPath, [main, 'token'], { env: baseEnv, encoding: 'utf8' });
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /KINDRED_SECRET/);
  assert.match(run.stderr, /--name is required/);
});

test('bad configuration stops the relay at start with every problem', () => {
  const run = spawnSync(process.execPath, [main], {
    env: { ...baseEnv, NODE_ENV: 'production', PORT: '99999', KINDRED_ORIGINS: 'nope' },
    encoding: 'utf8',
    timeout: 10_000,
  });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /KINDRED_SECRET is required/);
  assert.match(run.stderr, /PORT/);
  assert.match(run.stderr, /"nope" is not an origin/);
});

test('`kindred-relay --demo` prints its URLs and a sign-in link, serves a chat, logs nothing of it, and stops on SIGTERM', async () => {
  const child = spawn(process.execPath, [main, '--demo'], { env: { ...baseEnv, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  while (!/Demo peer sign-in/.test(stdout)) await once(child.stdout, 'data');

  const url = /listening on (http:\/\/localhost:\d+)/.exec(stdout)?.[1];
  assert.ok(url, stdout);
  assert.match(stdout, new RegExp(`Demo hospital page:\\s+${url}/\\n`));
  assert.match(stdout, new RegExp(`Peer console:\\s+${url}/console\\n`));
  const token = /#token=([\w.-]+)/.exec(stdout)?.[1];
  assert.ok(token);

  // A whole chat, through the printed link's token, with canaries in everything a person types.
  const relay = { url: url.replace('localhost', '127.0.0.1') } as Relay;
  const origin = relay.url;
  const peerSocket = client(relay, '/peer', { origin, auth: { token } });
  const ready = next(peerSocket, 'session:ready');
  await connect(peerSocket);
  assert.equal((await ready).name, 'Demo peer');
  expectOk(await request(peerSocket, 'duty:set', { onDuty: true }));
  const listed = queueUpdate(peerSocket);
  const survivorSocket = await connect(client(relay, '/survivor', { origin }));
  expectOk(await request(survivorSocket, 'chat:start', {}));
  const { ticket } = (await listed).entries[0];
  const chat = expectOk(await request<{ chatId: string; survivorName: string }>(peerSocket, 'chat:accept', { ticket }));
  const canaries = ['CANARY-survivor-7f3a', 'CANARY-peer-91bc'];
  const heard = next(peerSocket, 'message:received');
  expectOk(await request(survivorSocket, 'message:send', { id: 'canary1', seq: 1, box: canaries[0] }));
  await heard;
  const replied = next(survivorSocket, 'message:received');
  expectOk(await request(peerSocket, 'message:send', { chatId: chat.chatId, id: 'canary2', seq: 1, box: canaries[1] }));
  await replied;
  await request(survivorSocket, 'message:send', { id: 'bad', seq: 1, box: `${canaries[0]}${'x'.repeat(8_033)}` });
  expectOk(await request(survivorSocket, 'chat:end', {}));

  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  assert.equal(code, 0);
  const output = stdout + stderr;
  for (const secretThing of [...canaries, chat.chatId, chat.survivorName, ticket, '127.0.0.1']) {
    assert.equal(output.includes(secretThing), false, `output leaked ${secretThing}`);
  }
  assert.match(stderr, /"event":"relay-closed"/);
});
