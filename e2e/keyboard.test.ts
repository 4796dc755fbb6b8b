// SPDX-License-Identifier: Apache-2.0
/**
 * Keyboard only, across documents (issue #8): a survivor who cannot use a mouse, on a real
 * hospital page (another origin, a strict CSP) with the chat in its cross-origin frame, goes
 * from the top of the page to a conversation and back with the keyboard alone — Tab to the
 * launcher, Enter, answer the safety question, start, write, send, end, Escape — and every
 * control on the way shows a focus ring a person can see. The peer, in their own browser,
 * is not the subject here: they click.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { assertFocusVisible, chatDocument, exampleHospital, focusedControl, hospitalWithRelay, person, signInLink } from './harness.js';

/**
 * Waits until `target`'s focused control is `expected`, then checks its focus ring (but for
 * an iframe, whose focus is its document's: the control in it is checked there).
 */
async function expectFocus(target: Page | Frame, expected: string, timeout = 10_000): Promise<void> {
  const end = Date.now() + timeout;
  let seen = await focusedControl(target);
  while (seen.control !== expected) {
    if (Date.now() > end) {
      const page = 'page' in target ? target.page() : target;
      assert.fail(`focus is on ${seen.control}, not ${expected} (on the hospital page: ${(await focusedControl(page)).control})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    seen = await focusedControl(target);
  }
  if (!expected.startsWith('iframe ')) assertFocusVisible(seen);
}

test('keyboard only: Tab to the launcher, Enter, answer, start, write, send, end, Escape back to the launcher', { timeout: 90_000 }, async () => {
  const { site, relay } = await hospitalWithRelay(exampleHospital());
  const survivor = await person();
  const peer = await person();
  await peer.page.goto(await signInLink(relay.url, 'Robin'));
  await peer.page.getByRole('button', { name: 'Go on duty' }).click();
  await peer.page.getByText('You are on duty.').waitFor();

  const { page } = survivor;
  const keys = page.keyboard;
  await page.goto(site.url);
  await page.getByRole('button', { name: /chat/i }).waitFor();

  // From the top of the page: the hospital's own links, then Kindred's Quick exit and launcher.
  const path: string[] = [];
  while (path.length < 8 && path.at(-1) !== 'button "Chat with a peer"') {
    await keys.press('Tab');
    const now = await focusedControl(page);
    path.push(now.control);
    // The hospital's links keep the hospital's own focus style; ours must show.
    if (now.control === 'button "Quick exit"' || now.control === 'button "Chat with a peer"') assertFocusVisible(now);
  }
  assert.deepEqual(path, ['link "Care after an injury"', 'link "Visiting"', 'button "Quick exit"', 'button "Chat with a peer"']);

  // Enter opens the chat and puts focus on its first thing to do, inside the frame.
  await keys.press('Enter');
  const chat = await chatDocument(page);
  await expectFocus(page, 'iframe "Peer support chat"');
  await expectFocus(chat, 'button "Start chat"');

  // Back past the optional language and topic to the optional safety question (Shift+Tab is
  // not a quick-exit Shift press), and answer it.
  for (const previous of ['combobox "Language"', 'combobox "Topic"', 'radio "Not sure"']) {
    await keys.press('Shift+Tab');
    await expectFocus(chat, previous);
  }
  await keys.press('Space');
  assert.equal(await chat.getByRole('radio', { name: 'Not sure' }).isChecked(), true);
  // The emergency line comes forward right after the answer, then on to Start chat.
  for (const next of ['link "999"', 'combobox "Topic"', 'combobox "Language"', 'button "Start chat"']) {
    await keys.press('Tab');
    await expectFocus(chat, next);
  }
  await keys.press('Enter');
  await chat.getByRole('status').getByText('You are number 1 in the queue.').waitFor();
  // Start chat is gone: focus goes on to what can be done now, not to the top of the page.
  await expectFocus(chat, 'button "Leave the queue"');

  // The peer accepts; the survivor's focus is in the message box, ready to write.
  await peer.page.getByRole('button', { name: /^Accept/ }).click();
  await chat.getByRole('heading', { name: 'You are talking with Robin' }).waitFor();
  await expectFocus(chat, 'textbox "Message"');
  await keys.type('Hello. Is this a good time to talk?');
  await keys.press('Enter');
  await peer.page.getByRole('log').getByText('Hello. Is this a good time to talk?').waitFor();
  const reply = peer.page.getByRole('textbox', { name: 'Message' });
  await reply.fill('Yes, I am here for you.');
  await reply.press('Enter');
  await chat.getByRole('log').getByText('Yes, I am here for you.').waitFor();

  // On from the box: Send, the read-marks choice, the privacy check, End chat.
  for (const next of [
    'button "Send"',
    'checkbox "Let the peer see when I have read their messages"',
    'summary "Check that this chat is private"',
    'button "End chat"',
  ]) {
    await keys.press('Tab');
    await expectFocus(chat, next);
  }
  await keys.press('Enter');
  await chat.getByRole('status').getByText('You ended the chat.').waitFor();
  await expectFocus(chat, 'button "Start a new chat"');
  await peer.page.getByRole('status').getByText(/ended the chat\./).waitFor();

  // Escape closes the chat from inside the frame and gives focus back to the launcher.
  await keys.press('Escape');
  await page.waitForFunction(() => document.querySelector('kindred-chat')?.hasAttribute('open') === false);
  await expectFocus(page, 'button "Chat with a peer"');
  assert.equal(await page.locator('iframe[title="Peer support chat"]').isHidden(), true);

  // Enter again: the same chat, where it was left, with focus inside it.
  await keys.press('Enter');
  await expectFocus(chat, 'button "Start a new chat"');
  assert.deepEqual(await survivor.violations(), []);
});
