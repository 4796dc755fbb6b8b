// SPDX-License-Identifier: Apache-2.0
/**
 * Quick exit, as a survivor who is being watched uses it: one press of "Quick exit" (or Shift
 * three times) and the tab shows a neutral public page, Back does not bring the hospital page
 * back, and the peer learns the survivor has gone. The exit destination (the built-in
 * default, https://www.bbc.co.uk/weather) is answered by the test itself: nothing leaves
 * this machine, and there is no https server to point an `exit-url` at.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { hospitalWithRelay, person, signInLink } from './harness.js';

const exitUrl = 'https://www.bbc.co.uk/weather';
// Where the survivor was before the hospital page, so Back has somewhere to go.
const before = 'https://search.example/results';

const chatFrame = (page: Page): FrameLocator => page.frameLocator('iframe[title="Peer support chat"]');

/** Answers the exit destination and the page before it, so the tab never leaves the machine. */
async function offline(page: Page): Promise<void> {
  await page.route('https://www.bbc.co.uk/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Weather</title>weather' }));
  await page.route('https://search.example/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Search</title>results' }));
}

/** Checks the tab is on the exit page, and that Back skips the hospital page it replaced. */
async function assertLeft(page: Page, hospitalUrl: string): Promise<void> {
  await page.waitForURL(exitUrl);
  assert.equal(await page.textContent('body'), 'weather');
  await page.goBack();
  assert.equal(page.url(), before, 'Back goes to the page before the hospital, not to it');
  assert.notEqual(page.url(), hospitalUrl);
}

test('a survivor chatting with a peer presses Quick exit: the tab shows the exit page, Back skips the hospital, the peer is told', { timeout: 60_000 }, async () => {
  const { site, relay } = await hospitalWithRelay();
  const survivor = await person();
  const peer = await person();
  await offline(survivor.page);

  await peer.page.goto(await signInLink(relay.url, 'Ash'));
  await peer.page.getByRole('button', { name: 'Go on duty' }).click();

  await survivor.page.goto(before);
  await survivor.page.goto(site.url);
  await survivor.page.getByRole('button', { name: /chat/i }).click();
  const frame = chatFrame(survivor.page);
  await frame.getByRole('button', { name: 'Start chat' }).click();
  await peer.page.getByRole('button', { name: /^Accept/ }).click();
  await frame.getByText('You are talking with Ash').waitFor();

  // The chat's own Quick exit, the first control in the open panel: the frame closes its socket
  // and asks the shell on the hospital page to cover the page and leave it.
  const exited = survivor.page.evaluate(
    () => new Promise<boolean>((resolve) => document.addEventListener('kindred-exit', () => resolve(true), { once: true })),
  );
  await frame.getByRole('button', { name: 'Quick exit', exact: true }).click();
  assert.equal(await exited, true, 'the page heard kindred-exit before it went');
  await assertLeft(survivor.page, site.url);

  // The chat ended for the peer: the survivor's frame and socket went with the page.
  await peer.page.getByRole('status').getByText(/connection was lost|ended the chat/).waitFor();
  await waitFor(() => relay.counts().chats === 0, 'the relay still holds the chat');
  assert.deepEqual(await survivor.context.cookies(), []);
});

test('Shift pressed three times on the hospital page, before the chat was ever opened, leaves the same way', { timeout: 60_000 }, async () => {
  const { site } = await hospitalWithRelay();
  const survivor = await person();
  await offline(survivor.page);

  await survivor.page.goto(before);
  await survivor.page.goto(site.url);
  const quickExit = survivor.page.getByRole('button', { name: 'Quick exit', exact: true });
  await quickExit.waitFor();
  assert.equal(await survivor.page.locator('iframe').count(), 0, 'no frame loaded');

  // Focus on the page itself, not the widget.
  await survivor.page.locator('h1').click();
  const status = survivor.page.locator('kindred-chat').getByRole('status');
  await survivor.page.keyboard.press('Shift');
  await status.getByText('Shift, press 2 more times to exit.').waitFor();
  await survivor.page.keyboard.press('Shift');
  await status.getByText('Shift, press 1 more time to exit.').waitFor();
  await survivor.page.keyboard.press('Shift');
  await assertLeft(survivor.page, site.url);
});

/** Polls `check` until it holds, or fails with `message`. */
async function waitFor(check: () => boolean, message: string, timeout = 5_000): Promise<void> {
  const end = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > end) assert.fail(message);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('Shift ×3 on the hospital page mid-chat ends the chat at once and leaves nothing for the next visit in the tab', { timeout: 60_000 }, async () => {
  const { site, relay } = await hospitalWithRelay();
  // Same-site relay, so the frame may keep the chat in the tab's storage (see reliability.test.ts).
  site.relayUrl = relay.url.replace('127.0.0.1', 'localhost');
  const survivor = await person();
  const peer = await person();
  await offline(survivor.page);
  await peer.page.goto(await signInLink(relay.url, 'Ash'));
  await peer.page.getByRole('button', { name: 'Go on duty' }).click();

  await survivor.page.goto(before);
  await survivor.page.goto(site.url);
  await survivor.page.getByRole('button', { name: /chat/i }).click();
  const frame = chatFrame(survivor.page);
  await frame.getByRole('button', { name: 'Start chat' }).click();
  await peer.page.getByRole('button', { name: /^Accept/ }).click();
  await frame.getByText('You are talking with Ash').waitFor();
  await frame.getByRole('textbox', { name: 'Message' }).fill('something only for Ash');
  await frame.getByRole('textbox', { name: 'Message' }).press('Enter');
  await peer.page.getByRole('log').getByText('something only for Ash').waitFor();

  // The shell starts quick exit from the hospital page: it asks the frame to end the chat and
  // erase its storage, and waits a moment for it, before the frame goes with the page.
  await survivor.page.locator('body').click();
  for (let press = 0; press < 3; press += 1) await survivor.page.keyboard.press('Shift');
  await assertLeft(survivor.page, site.url);
  // Ended now, not after the two-minute grace period a vanished connection would get.
  await peer.page.getByRole('status').getByText(/ended the chat/).waitFor({ timeout: 10_000 });
  await waitFor(() => relay.counts().chats === 0, 'the relay still holds the chat');

  // Back on the hospital site in the same tab, nothing of the chat comes back.
  await survivor.page.goto(site.url);
  await survivor.page.getByRole('button', { name: /chat/i }).first().click();
  await frame.getByRole('button', { name: 'Start chat' }).waitFor();
  assert.equal(await frame.getByText('something only for Ash').count(), 0);
});
