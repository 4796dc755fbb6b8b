// SPDX-License-Identifier: Apache-2.0
/** What the relay serves over HTTP, and the caching and framing rules on each. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultHospital } from '../src/config.js';
import { hospital, startRelay } from './helpers.js';

test('the host-page entry is public, cross-origin readable and revalidated', async () => {
  const relay = await startRelay();
  const response = await fetch(`${relay.url}/kindred-chat.js`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/javascript/);
  assert.equal(response.headers.get('cache-control'), 'no-cache');
  assert.equal(response.headers.get('access-control-allow-origin'), '*');
  assert.match(await response.text(), /kindred-chat/);
  const etag = response.headers.get('etag') ?? '';
  const again = await fetch(`${relay.url}/kindred-chat.js`, { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
});

test('compressed as the browser accepts: brotli, else gzip, never a coding refused with q=0', async () => {
  const relay = await startRelay();
  const coding = async (accept: string) =>
    (await fetch(`${relay.url}/kindred-chat.js`, { headers: { 'accept-encoding': accept } })).headers.get('content-encoding');
  assert.equal(await coding('gzip, deflate, br'), 'br');
  assert.equal(await coding('gzip, br;q=0'), 'gzip');
  assert.equal(await coding('identity'), null);
});

test('hashed chunks are cached for a year', async () => {
  const relay = await startRelay();
  // The frame's entry shares chunks with the console (the shell is one file on its own).
  const entry = await (await fetch(`${relay.url}/kindred-frame.js`)).text();
  const chunk = /chunks\/[\w.-]+\.js/.exec(entry)?.[0];
  assert.ok(chunk, 'the entry imports a hashed chunk');
  const response = await fetch(`${relay.url}/${chunk}`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
});

test('the chat frame may be framed only by the relay and the listed hospital origins', async () => {
  const relay = await startRelay();
  const response = await fetch(`${relay.url}/frame`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  const policy = response.headers.get('content-security-policy') ?? '';
  assert.match(policy, new RegExp(`frame-ancestors 'self' ${hospital.replaceAll('.', '\\.')}(;|$)`));
  assert.match(policy, /script-src 'self'/);
  assert.match(await response.text(), /kindred-chat-frame/);
});

test('the console page is never stored and never framed', async () => {
  const relay = await startRelay();
  const response = await fetch(`${relay.url}/console`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  assert.match(response.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  assert.match(await response.text(), /kindred-console/);
});

test('the demo page is served only in demo mode', async () => {
  const plain = await startRelay();
  assert.equal((await fetch(`${plain.url}/`)).status, 404);
  const demo = await startRelay({ demo: true });
  const response = await fetch(`${demo.url}/`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  const html = await response.text();
  assert.match(html, /<kindred-chat/);
  assert.match(html, /src="\/kindred-chat\.js"/, 'the demo loads the shell from its own relay');
});

test('the hospital’s public information is served for the chat frame', async () => {
  const relay = await startRelay({ hospital: { ...defaultHospital, name: 'St Example Hospital' } });
  const response = await fetch(`${relay.url}/hospital.json`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  const info = await response.json();
  assert.equal(info.name, 'St Example Hospital');
  assert.equal(info.exitUrl, 'https://www.bbc.co.uk/weather');
  // cannedResponses: the console's ready-made replies, public like the resources (docs/operate.md).
  assert.deepEqual(Object.keys(info).sort(), ['cannedResponses', 'confidentiality', 'emergency', 'exitUrl', 'languages', 'name', 'peerHours', 'resources', 'topics']);
  assert.deepEqual(info.cannedResponses, []);
});

test('health, unknown paths, traversal and other methods', async () => {
  const relay = await startRelay();
  const health = await fetch(`${relay.url}/healthz`);
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: 'ok' });
  for (const path of ['/nope', '/chunks/../../package.json', '/chunks/%2e%2e/relay.js', '/frame.html']) {
    assert.equal((await fetch(`${relay.url}${path}`)).status, 404, path);
  }
  assert.equal((await fetch(`${relay.url}/frame`, { method: 'POST', body: 'x' })).status, 405);
});

test('/readyz: a relay in memory is always ready to take new chats (see redis-outage.test.ts for "not ready")', async () => {
  const relay = await startRelay();
  const ready = await fetch(`${relay.url}/readyz`);
  assert.equal(ready.status, 200);
  assert.equal(ready.headers.get('cache-control'), 'no-store');
  assert.equal(await ready.text(), '{"ready":true}');
});
