// SPDX-License-Identifier: Apache-2.0
/**
 * End-to-end encryption, end to end (issue #9). PROTECTS: the relay's side never sees a word.
 * The survivor reaches the relay only through a TCP tap that records every byte both ways;
 * both people read every message — before and after a cut that makes everyone re-key — and
 * both see the same verification code, while no message text (canary strings) appears in
 * anything the tap recorded. Browser → relay WebSocket frames are masked, so the tap unmasks
 * them first; positive controls check the tap really sees the events it should.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { hospitalSite, person, relay, signInLink } from './harness.js';
import { tcpProxy } from './tcp-proxy.js';

/** The text payloads of the WebSocket frames a browser sent on one recorded connection (unmasked). */
function clientFrames(bytes: Buffer): string {
  const start = bytes.indexOf('\r\n\r\n');
  if (start < 0 || !bytes.subarray(0, start).toString('latin1').includes('Upgrade: websocket')) return '';
  const out: Buffer[] = [];
  let at = start + 4;
  while (at + 2 <= bytes.length) {
    let length = bytes[at + 1]! & 0x7f;
    let head = 2;
    if (length === 126) {
      length = bytes.readUInt16BE(at + 2);
      head = 4;
    } else if (length === 127) {
      length = Number(bytes.readBigUInt64BE(at + 2));
      head = 10;
    }
    const masked = (bytes[at + 1]! & 0x80) !== 0;
    const mask = masked ? bytes.subarray(at + head, at + head + 4) : undefined;
    const from = at + head + (masked ? 4 : 0);
    if (from + length > bytes.length) break;
    const payload = Buffer.from(bytes.subarray(from, from + length));
    if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
    out.push(payload);
    at = from + length;
  }
  return Buffer.concat(out).toString('utf8');
}

async function say(box: Locator, text: string): Promise<void> {
  await box.fill(text);
  await box.press('Enter');
}

async function shows(log: Locator, expected: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen: string[] = [];
  while (Date.now() < deadline) {
    seen = (await log.locator('li.bubble p.text').allTextContents()).map((text) => text.trim());
    if (seen.length >= expected.length) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.deepEqual(seen, expected);
}

/** Opens "Check that this chat is private" and reads the code shown. */
async function codeIn(where: Page | ReturnType<Page['frameLocator']>): Promise<string> {
  await where.getByText('Check that this chat is private').click();
  const text = await where.getByText(/Your code: [\d ]+\./).textContent({ timeout: 10_000 });
  return /Your code: ([\d ]+)\./.exec(text ?? '')![1]!;
}

test('through a tap in front of the relay: both read every message, the codes match, and no word crosses in the clear', { timeout: 90_000 }, async () => {
  const site = await hospitalSite();
  const direct = await relay([site.origin]);
  const tap = await tcpProxy(direct.port, { record: true });
  site.relayUrl = tap.url; // the survivor reaches the relay only through the tap

  const peer = await person();
  await peer.page.goto(await signInLink(direct.url, 'Robin'));
  await peer.page.getByRole('button', { name: 'Go on duty' }).click();
  await peer.page.getByText('You are on duty.').waitFor();

  const survivor = await person();
  await survivor.page.goto(site.url);
  await survivor.page.getByRole('button', { name: /chat/i }).click();
  const frame = survivor.page.frameLocator('iframe[title="Peer support chat"]');
  await frame.getByRole('button', { name: 'Start chat' }).click();
  await peer.page.getByRole('button', { name: /^Accept/ }).first().click();
  await frame.getByText('You are talking with Robin').waitFor();

  const canary = (n: string) => `CANARY${n}-zq7 a private word 🌱`;
  const survivorBox = frame.getByRole('textbox', { name: 'Message' });
  const peerBox = peer.page.getByRole('textbox', { name: 'Message' });
  const survivorLog = frame.getByRole('log');
  const peerLog = peer.page.getByRole('log');

  await say(survivorBox, canary('s1'));
  await say(peerBox, canary('p1'));
  await say(survivorBox, canary('s2'));
  await shows(peerLog, [canary('s1'), canary('p1'), canary('s2')]);
  await shows(survivorLog, [canary('s1'), canary('p1'), canary('s2')]);

  const survivorCode = await codeIn(frame);
  assert.match(survivorCode, /^\d{4} \d{4} \d{4}$/);
  assert.equal(await codeIn(peer.page), survivorCode, 'both people see the same code');

  // The survivor's connection drops: on the way back everyone re-keys, and the outbox
  // re-seals what was not confirmed under the new keys.
  tap.cut(1_500);
  await say(survivorBox, canary('s3'));
  await say(peerBox, canary('p2'));
  // Each side shows its own message at once, and the other's when it arrives.
  await shows(peerLog, [canary('s1'), canary('p1'), canary('s2'), canary('p2'), canary('s3')]);
  await shows(survivorLog, [canary('s1'), canary('p1'), canary('s2'), canary('s3'), canary('p2')]);
  await frame.getByText(/Your code: [\d ]+\./).waitFor();
  const after = /Your code: ([\d ]+)\./.exec((await frame.getByText(/Your code: [\d ]+\./).textContent()) ?? '')![1];
  assert.notEqual(after, survivorCode, 'a new connection, new keys');

  const { up, down } = tap.recorded();
  const towardsRelay = up.map(clientFrames).join('\n');
  const fromRelay = Buffer.concat(down).toString('utf8');
  // Positive controls: the tap did see the conversation's events, boxes and all.
  assert.match(towardsRelay, /"message:send",\{"id":"[^"]+","seq":1,"box":"[A-Za-z0-9_-]+"\}/);
  assert.match(fromRelay, /"message:received",\{"id":"[^"]+","seq":1,"box":"[A-Za-z0-9_-]+"/);
  assert.match(towardsRelay, /"key:offer"/);
  for (const n of ['s1', 's2', 's3', 'p1', 'p2']) {
    for (const [where, bytes] of [['towards the relay', towardsRelay], ['from the relay', fromRelay]] as const) {
      assert.equal(bytes.includes(`CANARY${n}`), false, `${n} crossed ${where} in the clear`);
      assert.equal(bytes.includes('a private word'), false, `message text crossed ${where} in the clear`);
    }
  }
});
