// SPDX-License-Identifier: Apache-2.0
/**
 * The examples in examples/ work as a hospital would serve them: the example site
 * (scripts/examples.mjs, the same server `npm run examples` runs) on its own origin, under a
 * strict Content-Security-Policy, embedding a real relay on another origin. Each page is driven
 * as a person would, and any CSP violation, in the page or the chat frame, fails the test.
 * Needs `npm run build` first (it bundles the React example).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import { serveExamples } from '../scripts/examples.mjs';
import { person, relay, signInLink } from './harness.js';

assert.ok(existsSync(new URL('../examples/react/dist/app.js', import.meta.url)), 'the React example is not built: run `npm run build` first');
// One site and one relay for the file (the relay must list the site's origin, known once it listens).
let relayUrl = '';
const site = await serveExamples({ relayUrl: () => relayUrl });
after(() => site.close());
relayUrl = (await relay([site.origin])).url;

const chatFrame = (page: Page) => page.frameLocator('iframe[title="Peer support chat"]');

test('plain HTML: the launcher opens the chat in its frame, under the strict policy', { timeout: 60_000 }, async () => {
  const { page, violations } = await person();
  await page.goto(`${site.url}plain-html/`);
  await page.getByRole('heading', { name: 'Support after trauma' }).waitFor();
  await page.getByRole('button', { name: 'Chat with a peer' }).click();
  await chatFrame(page).getByRole('button', { name: 'Start chat' }).waitFor();
  assert.deepEqual(await violations(), []);
});

test('inline: the "Talk to a peer" page shows the chat in the page, with no launcher to press', { timeout: 60_000 }, async () => {
  const { page, violations } = await person();
  await page.goto(`${site.url}inline/`);
  await page.getByRole('heading', { name: 'Talk to a peer', level: 1 }).waitFor();
  await chatFrame(page).getByRole('button', { name: 'Start chat' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Chat with a peer' }).count(), 0, 'no launcher in the inline chat');
  // The chat stands in the page's flow, between the introduction and what follows it.
  const boxes = await Promise.all(
    [page.locator('.lead'), page.locator('iframe[title="Peer support chat"]'), page.getByRole('heading', { name: 'Other help' })].map((locator) => locator.boundingBox()),
  );
  const [lead, frame, next] = boxes.map((box) => {
    assert.ok(box, 'each part of the page is shown');
    return box;
  });
  assert.ok(lead!.y + lead!.height <= frame!.y && frame!.y + frame!.height <= next!.y, 'the chat sits in the page flow');
  assert.ok(frame!.height >= 300, `the inline chat is tall enough to talk in (${frame!.height}px)`);
  // The fallback text inside the element is for when the chat cannot load; it loaded.
  assert.equal(await page.getByText('The chat could not load.').isVisible(), false);
  assert.deepEqual(await violations(), []);
});

test('React: the app opens the chat through the element and hears its typed events', { timeout: 90_000 }, async () => {
  const survivor = await person();
  const peer = await person();
  const { page } = survivor;
  await page.goto(`${site.url}react/`);
  const status = page.getByRole('status').filter({ hasText: /chat|queue|peer/ });
  await status.getByText('Nobody is waiting: you can start a chat at any time.').waitFor();

  // A peer goes on duty, so the survivor's chat goes through every state.
  await peer.page.goto(await signInLink(relayUrl, 'Sam'));
  await peer.page.getByRole('button', { name: 'Go on duty' }).click();
  await peer.page.getByText('You are on duty.').waitFor();

  // The page's own button calls `show()` through a ref; `kindred-open` reaches React.
  await page.getByRole('button', { name: 'Talk to a peer now' }).click();
  await page.getByRole('button', { name: 'The chat is open' }).waitFor();
  const frame = chatFrame(page);
  await frame.getByRole('button', { name: 'Start chat' }).click();
  // `kindred-state` reaches React with its `state`.
  await status.getByText('You are in the queue for a peer.').waitFor();
  await peer.page.getByRole('button', { name: /^Accept/ }).click();
  await status.getByText('You are talking with a peer.').waitFor();

  // Closing with the launcher: `kindred-close` reaches React too.
  await page.getByRole('button', { name: 'Chat with a peer' }).click();
  await page.getByRole('button', { name: 'Talk to a peer now' }).waitFor();
  assert.deepEqual(await survivor.violations(), []);
});

test('the example site lists the three examples', { timeout: 30_000 }, async () => {
  const { page } = await person();
  await page.goto(site.url);
  const links = await page.getByRole('listitem').getByRole('link').evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href')));
  assert.deepEqual(links, ['/plain-html/', '/inline/', '/react/']);
});
