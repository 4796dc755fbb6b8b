// SPDX-License-Identifier: Apache-2.0
/**
 * The core journey, as people do it: a survivor on a hospital page (another origin, a strict
 * CSP, the README's two lines) and a peer volunteer in the console talk both ways and end.
 * Everything is found by role and accessible name.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { hospitalWithRelay, hostReadableText, person, signInLink } from './harness.js';

const chatFrame = (page: Page): FrameLocator => page.frameLocator('iframe[title="Peer support chat"]');

test('a survivor on a hospital page and a peer in the console chat both ways, then end', { timeout: 60_000 }, async () => {
  const { site, relay } = await hospitalWithRelay();
  const survivor = await person();
  const peer = await person();
  const requested = new Set<string>();
  survivor.page.on('request', (request) => requested.add(new URL(request.url()).origin));

  // The survivor's page: the launcher is there, and nothing of the chat has loaded yet.
  await survivor.page.goto(site.url);
  const launcher = survivor.page.getByRole('button', { name: /chat/i });
  await launcher.waitFor();
  assert.equal(await survivor.page.locator('iframe').count(), 0, 'no frame before the survivor asks');

  // The peer signs in from a link; the token leaves the address bar at once.
  await peer.page.goto(await signInLink(relay.url, 'Robin'));
  await peer.page.getByText('Signed in as Robin').waitFor();
  assert.equal(new URL(peer.page.url()).hash, '', 'the token is removed from the address bar');
  await peer.page.getByRole('button', { name: 'Go on duty' }).click();
  await peer.page.getByText('You are on duty.').waitFor();

  // The survivor opens the chat and starts; they are first in the queue.
  await launcher.click();
  const frame = chatFrame(survivor.page);
  await frame.getByRole('button', { name: 'Start chat' }).click();
  await frame.getByRole('status').getByText('You are number 1 in the queue').waitFor();

  // The peer sees them waiting and accepts.
  await peer.page.getByRole('heading', { name: 'Waiting (1)' }).waitFor();
  await peer.page.getByRole('button', { name: /^Accept/ }).click();
  await frame.getByText('You are talking with Robin').waitFor();

  // Survivor → peer, with Enter to send.
  const message = frame.getByRole('textbox', { name: 'Message' });
  await message.fill('I was in a crash last month and I keep reliving it.');
  await message.press('Enter');
  const peerLog = peer.page.getByRole('log');
  await peerLog.getByText('I was in a crash last month and I keep reliving it.').waitFor();
  await frame.getByRole('log').getByText(/\b(Delivered|Read)$/).waitFor();

  // Peer → survivor, with a link that only an https: URL becomes.
  const reply = peer.page.getByRole('textbox', { name: 'Message' });
  await reply.fill('That sounds so hard. This page helped me: https://example.org/after-a-crash');
  await peer.page.getByRole('button', { name: 'Send' }).click();
  const survivorLog = frame.getByRole('log');
  await survivorLog.getByText('That sounds so hard.', { exact: false }).waitFor();
  const link = survivorLog.getByRole('link', { name: /https:\/\/example\.org\/after-a-crash/ });
  assert.equal(await link.getAttribute('href'), 'https://example.org/after-a-crash');
  await peerLog.getByText(/\b(Delivered|Read)$/).waitFor();

  // Shift+Enter adds a line instead of sending.
  await message.fill('first line');
  await message.press('Shift+Enter');
  await message.pressSequentially('second line');
  assert.equal(await message.inputValue(), 'first line\nsecond line');
  await message.press('Enter');
  await peerLog.getByText('second line', { exact: false }).waitFor();

  // Nothing a script on the hospital page can read holds the conversation.
  const readable = await hostReadableText(survivor.page);
  for (const said of ['reliving it', 'That sounds so hard', 'second line', 'Robin']) {
    assert.equal(readable.includes(said), false, `the host page could read "${said}"`);
  }

  // The peer ends the chat; the survivor is told plainly and may start again.
  await peer.page.getByRole('button', { name: 'End chat' }).click();
  await frame.getByText('The peer ended the chat.').waitFor();
  await frame.getByRole('button', { name: 'Start a new chat' }).waitFor();
  assert.equal(relay.counts().chats, 0, 'the relay forgot the chat');

  // The widget only ever talked to the hospital's own origin and the relay, under the strict policy.
  assert.deepEqual([...requested].sort(), [site.origin, relay.url].sort());
  assert.deepEqual(await survivor.violations(), []);
  assert.deepEqual(await peer.violations(), []);
  assert.deepEqual(await survivor.context.cookies(), []);

  // Nothing was stored on the survivor's device, on the hospital's origin or the relay's: the
  // browser's own record of cookies, localStorage and IndexedDB is empty, and so is the
  // tab's sessionStorage. (In the cross-origin frame, Chromium may refuse storage outright,
  // which is also nothing stored.)
  const stored = await survivor.context.storageState({ indexedDB: true });
  assert.deepEqual(stored, { cookies: [], origins: [] });
  const sessionItems = `(() => { try { return sessionStorage.length; } catch { return 0; } })()`;
  assert.equal(await survivor.page.evaluate(sessionItems), 0, 'hospital origin');
  const chatDocument = survivor.page.frames().find((f) => f.url().startsWith(`${relay.url}/frame`));
  assert.ok(chatDocument, 'the chat frame is loaded');
  assert.equal(await chatDocument.evaluate(sessionItems), 0, 'relay origin');
});

test('the survivor ends the chat and the peer is told; unread messages show on the closed launcher', { timeout: 60_000 }, async () => {
  const { site, relay } = await hospitalWithRelay();
  const survivor = await person();
  const peer = await person();
  await peer.page.goto(await signInLink(relay.url, 'Ash'));
  await peer.page.getByRole('button', { name: 'Go on duty' }).click();

  await survivor.page.goto(site.url);
  const launcher = survivor.page.getByRole('button', { name: /chat/i });
  await launcher.click();
  const frame = chatFrame(survivor.page);
  await frame.getByRole('button', { name: 'Start chat' }).click();
  await peer.page.getByRole('button', { name: /^Accept/ }).click();
  await frame.getByText('You are talking with Ash').waitFor();

  // The survivor minimises the chat; the peer writes; the launcher shows an unread count.
  await frame.getByRole('button', { name: 'Minimise chat' }).click();
  await survivor.page.waitForFunction(() => document.querySelector('kindred-chat')?.hasAttribute('open') === false);
  const reply = peer.page.getByRole('textbox', { name: 'Message' });
  await reply.fill('Whenever you are ready.');
  await reply.press('Enter');
  // The launcher's name carries the count, and a polite status announces it (a count, no text).
  await survivor.page.getByRole('button', { name: /chat.*1 unread message/i }).waitFor();
  await survivor.page.locator('kindred-chat').getByRole('status').filter({ hasText: '1 unread message' }).waitFor();

  // Opening again shows the message and clears the count.
  await launcher.click();
  await frame.getByRole('log').getByText('Whenever you are ready.').waitFor();
  await survivor.page.getByRole('button', { name: /unread/ }).waitFor({ state: 'detached' });

  await frame.getByRole('button', { name: 'End chat' }).click();
  await frame.getByText('You ended the chat.').waitFor();
  await peer.page.getByRole('status').getByText(/ended the chat\./).waitFor();
  assert.equal(relay.counts().chats, 0);
});
