// SPDX-License-Identifier: Apache-2.0
/**
 * Faults, end to end in Chromium: connections cut mid-conversation, a survivor moving to
 * another page of the hospital site, a console reload, and the relay stopped (SIGTERM) or
 * killed (SIGKILL) and started again. The promise under test: every message is shown exactly
 * once, in order, on both sides — or the person is told plainly that the chat ended.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { hospitalSite, hospitalWithRelay, person, relay, signInLink } from './harness.js';
import { freePort, relayProcess } from './relay-process.js';
import { tcpProxy } from './tcp-proxy.js';

const chatFrame = (page: Page): FrameLocator => page.frameLocator('iframe[title="Peer support chat"]');

/** The texts of the messages in a conversation log, top to bottom. */
const texts = (log: Locator) => log.locator('li.bubble p.text').allTextContents();

/** Waits until `log` shows exactly `expected`, in that order, and says what it showed if not. */
async function shows(log: Locator, expected: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen: string[] = [];
  while (Date.now() < deadline) {
    seen = (await texts(log)).map((text) => text.trim());
    if (seen.length >= expected.length) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.deepEqual(seen, expected);
}

/** Types and sends one message with Enter. */
async function say(box: Locator, text: string): Promise<void> {
  await box.fill(text);
  await box.press('Enter');
}

/** A peer signed in and on duty at `relayUrl`. */
async function onDutyPeer(relayUrl: string, name: string) {
  const peer = await person();
  await peer.page.goto(await signInLink(relayUrl, name));
  await peer.page.getByRole('button', { name: 'Go on duty' }).click();
  await peer.page.getByText('You are on duty.').waitFor();
  return peer;
}

/** A survivor on `siteUrl` who opened the chat and was accepted by `peer`. */
async function chatting(siteUrl: string, peerPage: Page, peerName: string) {
  const survivor = await person();
  await survivor.page.goto(siteUrl);
  await survivor.page.getByRole('button', { name: /chat/i }).click();
  const frame = chatFrame(survivor.page);
  await frame.getByRole('button', { name: 'Start chat' }).click();
  await peerPage.getByRole('button', { name: /^Accept/ }).first().click();
  await frame.getByText(`You are talking with ${peerName}`).waitFor();
  return { ...survivor, frame };
}

test('every connection cut mid-conversation, new ones refused for 4 s: each message shown once, in order, both sides', { timeout: 90_000 }, async () => {
  const site = await hospitalSite();
  const direct = await relay([site.origin]);
  const proxy = await tcpProxy(direct.port);
  site.relayUrl = proxy.url; // the survivor reaches the relay only through the proxy
  const peer = await onDutyPeer(direct.url, 'Robin');
  const survivor = await chatting(site.url, peer.page, 'Robin');
  const survivorBox = survivor.frame.getByRole('textbox', { name: 'Message' });
  const peerBox = peer.page.getByRole('textbox', { name: 'Message' });
  const survivorLog = survivor.frame.getByRole('log');
  const peerLog = peer.page.getByRole('log');

  await say(survivorBox, 's1 before the cut');
  await say(peerBox, 'p1 before the cut');
  await shows(peerLog, ['s1 before the cut', 'p1 before the cut']);

  proxy.cut(4_000);
  // Both keep writing while the survivor's connection is down.
  for (const n of [2, 3, 4]) {
    await say(survivorBox, `s${n} during the cut`);
    await say(peerBox, `p${n} during the cut`);
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
  await survivor.frame.getByText(/Reconnecting/).waitFor();

  const expected = ['s1 before the cut', 'p1 before the cut'];
  for (const n of [2, 3, 4]) expected.push(`s${n} during the cut`, `p${n} during the cut`);
  // Each side shows its own messages in the order written and the other's in the order they
  // wrote them; between the two, the interleaving depends on when the connection came back.
  const own = (who: 's' | 'p', list: string[]) => list.filter((text) => text.startsWith(who));
  const survivorSaw = await eventually(survivorLog, expected.length);
  const peerSaw = await eventually(peerLog, expected.length);
  for (const seen of [survivorSaw, peerSaw]) {
    assert.deepEqual(own('s', seen), own('s', expected));
    assert.deepEqual(own('p', seen), own('p', expected));
    assert.equal(seen.length, expected.length, 'nothing shown twice');
  }
  await survivor.frame.getByRole('log').getByText(/\b(Delivered|Read)$/).last().waitFor();
  assert.equal(await survivorLog.getByText('Not delivered').count(), 0);
  assert.ok(proxy.accepted >= 2, 'the survivor really reconnected through the proxy');
});

/** The log's texts once it shows at least `count` messages (or whatever it shows after 30 s). */
async function eventually(log: Locator, count: number): Promise<string[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const seen = (await texts(log)).map((text) => text.trim());
    if (seen.length >= count || Date.now() > deadline) return seen;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test('a survivor moving to another page of the hospital site keeps the same chat', { timeout: 60_000 }, async () => {
  const { site, relay: direct } = await hospitalWithRelay();
  // The relay on a host of the hospital's own site (here: localhost, another port), as the
  // README recommends: the chat frame is then same-site, and browsers that refuse storage to
  // third-party frames (private windows) still let it keep the chat across pages.
  site.relayUrl = direct.url.replace('127.0.0.1', 'localhost');
  const peer = await onDutyPeer(direct.url, 'Ash');
  const survivor = await chatting(site.url, peer.page, 'Ash');
  const peerBox = peer.page.getByRole('textbox', { name: 'Message' });
  await say(survivor.frame.getByRole('textbox', { name: 'Message' }), 'first page');
  await shows(peer.page.getByRole('log'), ['first page']);

  await survivor.page.goto(`${site.origin}/visiting`);
  await say(peerBox, 'written while you moved');
  // Without opening anything, the chat is back: the launcher counts the new message.
  await survivor.page.getByRole('button', { name: /chat.*1 unread message/i }).waitFor();
  await survivor.page.getByRole('button', { name: /chat/i }).first().click();
  const frame = chatFrame(survivor.page);
  await frame.getByText('You are talking with Ash').waitFor();
  await shows(frame.getByRole('log'), ['first page', 'written while you moved']);
  await say(frame.getByRole('textbox', { name: 'Message' }), 'second page');
  await shows(peer.page.getByRole('log'), ['first page', 'written while you moved', 'second page']);
  assert.equal(direct.counts().chats, 1, 'one chat all along');
});

test('a peer’s console reload resumes every chat it held', { timeout: 60_000 }, async () => {
  const { site, relay: direct } = await hospitalWithRelay();
  const peer = await onDutyPeer(direct.url, 'Kai');
  const first = await chatting(site.url, peer.page, 'Kai');
  const second = await chatting(site.url, peer.page, 'Kai');
  await say(first.frame.getByRole('textbox', { name: 'Message' }), 'from the first survivor');
  await peer.page.locator('button.chat-tab').first().click();
  await peer.page.getByRole('log').getByText('from the first survivor').waitFor();

  await peer.page.reload();
  await peer.page.getByText('Signed in as Kai').waitFor();
  // The second survivor writes while the console is coming back.
  await say(second.frame.getByRole('textbox', { name: 'Message' }), 'from the second survivor');
  const chats = peer.page.locator('button.chat-tab');
  await assert.doesNotReject(chats.nth(1).waitFor(), 'both chats are back');
  for (const [index, survivor, text] of [
    [0, first, 'reply after reload to the first'],
    [1, second, 'reply after reload to the second'],
  ] as const) {
    await chats.nth(index).click();
    await say(peer.page.getByRole('textbox', { name: 'Message' }), text);
    await survivor.frame.getByRole('log').getByText(text).waitFor();
  }
  await peer.page.getByRole('log').getByText('from the second survivor').waitFor();
  assert.equal(direct.counts().chats, 2);
});

test('relay SIGTERM: both people are told the chat ended, and one tap starts again', { timeout: 60_000 }, async () => {
  const site = await hospitalSite();
  const port = await freePort();
  const first = await relayProcess([site.origin], port);
  site.relayUrl = first.url;
  const peer = await onDutyPeer(first.url, 'Robin');
  const survivor = await chatting(site.url, peer.page, 'Robin');
  assert.equal(await first.stop('SIGTERM'), 0);
  await survivor.frame.getByText(/ended/i).first().waitFor();
  await peer.page.getByText(/ended/i).first().waitFor();

  await relayProcess([site.origin], port);
  await survivor.frame.getByRole('button', { name: /start/i }).first().click();
  await survivor.frame.getByRole('status').getByText(/in the queue/).waitFor();
});

test('relay SIGKILL and restart: "reconnecting", then a clear end and one tap back into the queue', { timeout: 60_000 }, async () => {
  const site = await hospitalSite();
  const port = await freePort();
  const first = await relayProcess([site.origin], port);
  site.relayUrl = first.url;
  const peer = await onDutyPeer(first.url, 'Robin');
  const survivor = await chatting(site.url, peer.page, 'Robin');
  await say(survivor.frame.getByRole('textbox', { name: 'Message' }), 'before the crash');
  await peer.page.getByRole('log').getByText('before the crash').waitFor();

  await first.stop('SIGKILL');
  await survivor.frame.getByText(/Reconnecting/).waitFor();
  await relayProcess([site.origin], port);
  await survivor.frame.getByText(/chat has ended/i).waitFor({ timeout: 30_000 });
  // The conversation stays readable; one button goes back into the queue.
  await survivor.frame.getByRole('log').getByText('before the crash').waitFor();
  await survivor.frame.getByRole('button', { name: /start/i }).first().click();
  await survivor.frame.getByRole('status').getByText(/in the queue/).waitFor();
  await peer.page.getByRole('heading', { name: /Waiting \(1\)/ }).waitFor({ timeout: 30_000 });
});
