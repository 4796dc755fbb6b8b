// SPDX-License-Identifier: Apache-2.0
/**
 * The no-logs proof. PROTECTS privacy rule 1: no message text, chat id, token, pseudonym or
 * IP address in any log line, error message, file, or memory that outlives the chat.
 *
 * The relay runs as its real CLI, in its own process, in an empty working directory with an
 * empty temp directory. Whole chats run through it with a unique canary in every field a person
 * can type (messages both ways, the peer's display name), plus bad payloads, oversize packets,
 * unknown events and a forged token that carry canaries too. After every chat has ended and
 * every client has gone, we look for the canaries, the chat ids, the pseudonyms, the tokens and
 * the clients' address in: everything the process printed, every file under its working and
 * temp directories, and a heap snapshot taken after a full garbage collection. The snapshot is
 * taken with Node's own --heapsnapshot-signal, which the relay refuses in production.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { signPeerToken, type Relay } from '../src/relay.js';
import { client, connect, expectOk, next, queueUpdate, request, secret } from './helpers.js';
import { box } from './box.js';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const exampleConfig = fileURLToPath(new URL('../../../examples/kindred.config.json', import.meta.url));
// The clients connect from an unusual loopback address, so that it appears nowhere unless the
// relay kept it (127.0.0.1 itself is in Node's own source text, hence in every heap).
const relayHost = '127.0.0.1';
const clientAddress = '127.83.41.29';
const origin = 'https://hospital.example';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

async function waitForFile(dir: string): Promise<string> {
  for (let tries = 0; tries < 300; tries += 1) {
    const [file] = readdirSync(dir).filter((name) => name.endsWith('.heapsnapshot'));
    if (file) {
      const path = join(dir, file);
      const size = statSync(path).size;
      await new Promise((resolve) => setTimeout(resolve, 300));
      if (size > 0 && statSync(path).size === size) return path;
    } else {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error('no heap snapshot was written');
}

test('after whole chats, nothing of them is left in output, files or memory', { timeout: 120_000 }, async () => {
  const workDir = mkdtempSync(join(tmpdir(), 'kindred-cwd-'));
  const tempDir = mkdtempSync(join(tmpdir(), 'kindred-tmp-'));
  const snapshotDir = mkdtempSync(join(tmpdir(), 'kindred-heap-'));
  after(() => {
    for (const dir of [workDir, tempDir, snapshotDir]) rmSync(dir, { recursive: true, force: true });
  });

  const child = spawn(process.execPath, [`--heapsnapshot-signal=SIGUSR2`, `--diagnostic-dir=${snapshotDir}`, main], {
    cwd: workDir,
    env: {
      PATH: process.env.PATH ?? '',
      TMPDIR: tempDir,
      HOST: relayHost,
      PORT: '0',
      KINDRED_SECRET: secret,
      KINDRED_ORIGINS: origin,
      KINDRED_CONFIG: exampleConfig,
      // A peer who disconnects is held (name included) for the grace period, in case they come
      // back; the snapshot below is taken once that has passed.
      KINDRED_RESUME_GRACE: '1s',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  after(() => child.kill('SIGKILL'));
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  while (!/listening on/.test(output)) await once(child.stdout, 'data');
  const port = /:(\d+)\n/.exec(output)?.[1];
  const relay = { url: `http://${relayHost}:${port}` } as Relay;

  const canaries: string[] = [];
  const canary = (field: string) => {
    const value = `CANARY${canaries.length}x${field}x${Math.random().toString(36).slice(2, 10)}`;
    canaries.push(value);
    return value;
  };
  const secrets: string[] = [];

  // Two whole chats, each with messages both ways, a typing signal and a resources card.
  for (let round = 0; round < 2; round += 1) {
    const peerName = canary('name').slice(0, 40);
    const token = await signPeerToken(secret, { name: peerName, maxChats: 1, ttlSeconds: 600 });
    secrets.push(token);
    const peer = client(relay, '/peer', { origin, auth: { token }, localAddress: clientAddress });
    const ready = next(peer, 'session:ready');
    await connect(peer);
    await ready;
    expectOk(await request(peer, 'duty:set', { onDuty: true }));
    const listed = queueUpdate(peer);
    const survivor = await connect(client(relay, '/survivor', { origin, localAddress: clientAddress }));
    expectOk(await request(survivor, 'chat:start', { safety: round === 0 ? 'unsafe' : 'safe' }));
    const { ticket, survivorName } = (await listed).entries[0];
    const chat = expectOk<{ chatId: string }>(await request(peer, 'chat:accept', { ticket }));
    secrets.push(ticket, survivorName, chat.chatId);

    const toPeer = next(peer, 'message:received');
    expectOk(await request(survivor, 'message:send', { id: 'm1', seq: 1, box: canary('survivor') }));
    await toPeer;
    const toSurvivor = next(survivor, 'message:received');
    expectOk(await request(peer, 'message:send', { chatId: chat.chatId, id: 'p1', seq: 1, box: canary('peer') }));
    await toSurvivor;
    // Public keys are per chat: treated like content, never logged either.
    const keys = (field: string, length: number) => canary(field).padEnd(length, 'A').slice(0, length);
    const offer = { p256: keys('offer', 87), x25519: keys('offerx', 43) };
    const offered = next(peer, 'key:offered');
    expectOk(await request(survivor, 'key:offer', { keys: offer }));
    await offered;
    const answered = next(survivor, 'key:answered');
    expectOk(await request(peer, 'key:answer', { chatId: chat.chatId, keys: { p256: keys('answer', 87) }, offer }));
    await answered;
    survivor.emit('typing:set', { typing: true });
    const card = next(survivor, 'resource:shared');
    expectOk(await request(peer, 'resource:share', { chatId: chat.chatId, id: 'r1', seq: 1, box: canary('card') }));
    await card;

    // Hostile and mistaken requests, each carrying a canary.
    await request(survivor, 'message:send', { id: 'x', seq: 1, box: `${canary('oversize')}${'y'.repeat(8_033)}` });
    await request(survivor, 'message:send', { id: 'x', seq: 1, box: box('hi'), [canary('key')]: 1 });
    await request(survivor, canary('event'), { text: canary('unknown') });
    await request(peer, 'message:send', { chatId: 'A'.repeat(22), id: 'x', seq: 1, box: canary('wrongchat') });
    const forged = `${token.slice(0, -4)}AAAA`;
    secrets.push(forged);
    await assert.rejects(connect(client(relay, '/peer', { origin, auth: { token: forged }, localAddress: clientAddress })), { message: 'auth-failed' });
    // An oversize packet makes the relay close that connection.
    const big = await connect(client(relay, '/survivor', { origin, localAddress: clientAddress }));
    const closed = new Promise((resolve) => big.once('disconnect', resolve));
    big.emit('message:send', { id: 'big', seq: 1, box: canary('packet').repeat(600) }, () => {});
    await closed;

    const ended = next(peer, 'chat:ended');
    expectOk(await request(survivor, 'chat:end', {}));
    await ended;
    survivor.disconnect();
    peer.disconnect();
  }

  // Past the grace period, everyone has gone for good: then snapshot the relay's heap.
  await new Promise((resolve) => setTimeout(resolve, 1_800));
  child.kill('SIGUSR2');
  const snapshotPath = await waitForFile(snapshotDir);
  const heap = readFileSync(snapshotPath, 'utf8');
  assert.ok(heap.length > 1_000_000, 'a real heap snapshot was taken');

  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  assert.equal(code, 0);

  const places: [string, string][] = [
    ['the relay’s output', output],
    ...filesUnder(workDir).map((path): [string, string] => [path, readFileSync(path, 'latin1')]),
    ...filesUnder(tempDir).map((path): [string, string] => [path, readFileSync(path, 'latin1')]),
    ['the relay’s heap after the chats', heap],
  ];
  for (const [where, text] of places) {
    for (const needle of [...canaries, ...secrets, clientAddress]) {
      assert.equal(text.includes(needle), false, `${where} contains ${needle.slice(0, 40)}`);
    }
  }
  // The canaries did reach the relay: the test would prove nothing if they had not.
  assert.ok(canaries.length >= 16);
});

test('in production the relay refuses to start with heap snapshots or the inspector enabled', () => {
  const run = spawnSync(process.execPath, ['--heapsnapshot-signal=SIGUSR2', main], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', KINDRED_SECRET: secret, PORT: '0' },
    encoding: 'utf8',
    timeout: 10_000,
  });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /Heap snapshots, profilers and the inspector must be off in production/);
});
