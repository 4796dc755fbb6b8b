// SPDX-License-Identifier: Apache-2.0
/**
 * What the hospital page pays for Kindred (issue #7), the parts that are properties rather
 * than timings: before anyone touches the launcher the page has loaded the shell and nothing
 * else — no frame, no socket, no chat code — and neither loading the shell nor opening the
 * chat moves anything on the page (Cumulative Layout Shift exactly 0). Sizes are checked by
 * scripts/size.mjs and timings measured by scripts/bench-widget.mjs, not here.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { defaultBundleDir, pageGraph, staticGraph } from '../scripts/size.mjs';
import { hospitalWithRelay, person } from './harness.js';

/**
 * Code that belongs to the open chat only, each found by a string its minified build keeps.
 * Kindred has no HTML sanitiser to look for: messages render as text, and the only code that
 * turns text into markup is the link builder, which allows `https:` only.
 */
const chatOnly = [
  { what: 'the socket client (internal/socket-client.ts)', marker: '/socket.io' },
  { what: 'lit-html, the chat templates', marker: 'litHtmlVersions' },
  { what: 'the link builder (linkify, in place of a sanitiser)', marker: String.raw`\u2060-\u206f` },
];

/** Layout shifts the page has recorded since it started, once two more frames are painted. */
function layoutShifts(page: Page): Promise<Array<{ value: number; hadRecentInput: boolean; sources: string[] }>> {
  // A string, not a function: tsx would wrap named functions in a helper the page lacks.
  // Chromium hands a new observer the buffered entries in a task of their own, not through
  // takeRecords(): wait two frames and then a task, and collect what came.
  return page.evaluate(`new Promise((resolve) => {
    const seen = [];
    const observer = new PerformanceObserver((list) => seen.push(...list.getEntries()));
    observer.observe({ type: 'layout-shift', buffered: true });
    requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => {
      seen.push(...observer.takeRecords());
      observer.disconnect();
      resolve(seen.map((entry) => ({
        value: entry.value,
        hadRecentInput: entry.hadRecentInput,
        sources: entry.sources.map((source) => source.node ? source.node.nodeName : '?'),
      })));
    }, 50)));
  })`);
}

test('before anyone touches the launcher, the page has loaded the shell only: no frame, no socket, no chat code', { timeout: 60_000 }, async () => {
  const { site, relay } = await hospitalWithRelay();
  const { page } = await person();
  const fromRelay: string[] = [];
  const bodies: Array<Promise<string>> = [];
  let touched = false;
  page.on('response', (response) => {
    if (touched || !response.url().startsWith(relay.url)) return;
    fromRelay.push(new URL(response.url()).pathname);
    bodies.push(response.text());
  });
  const sockets: string[] = [];
  page.on('websocket', (socket) => sockets.push(socket.url()));

  await page.goto(site.url, { waitUntil: 'networkidle' });
  const launcher = page.getByRole('button', { name: /chat/i });
  await launcher.waitFor();
  // Nothing is due to load later by itself (no timer, no idle callback): give it the chance.
  await page.waitForTimeout(500);

  // Exactly the shell's static import graph, as the size budget counts it.
  const shell = staticGraph('kindred-chat.js').map((file) => `/${file}`);
  assert.deepEqual([...fromRelay].sort(), [...shell].sort());
  assert.equal(page.frames().length, 1, 'no frame');
  assert.equal(await page.locator('iframe').count(), 0, 'no iframe');
  assert.deepEqual(sockets, [], 'no socket');
  const loaded = (await Promise.all(bodies)).join('\n');
  const frameCode = pageGraph('frame.html').map((file) => readFileSync(join(defaultBundleDir, file), 'utf8')).join('\n');
  for (const { what, marker } of chatOnly) {
    assert.ok(frameCode.includes(marker), `${what}: the marker ${marker} is not in the frame's build any more; update it`);
    assert.equal(loaded.includes(marker), false, `${what} was loaded before the survivor touched anything`);
  }

  // The first hover loads the frame, hidden, so that a click opens it at once.
  const frameRequested = page.waitForRequest((request) => request.url().startsWith(`${relay.url}/frame`));
  touched = true;
  await launcher.hover();
  await frameRequested;
  assert.equal(await page.locator('iframe[title="Peer support chat"]').isHidden(), true);
});

test('loading the shell and opening the chat move nothing on the page: no layout shift at all', { timeout: 60_000 }, async () => {
  const { site } = await hospitalWithRelay();
  const { page } = await person();
  await page.goto(site.url);
  assert.equal(await page.evaluate(`PerformanceObserver.supportedEntryTypes.includes('layout-shift')`), true, 'this Chromium reports layout shifts');
  const launcher = page.getByRole('button', { name: /chat/i });
  await launcher.waitFor();
  assert.deepEqual(await layoutShifts(page), [], 'loading the page with the shell');

  await launcher.click();
  const frame = page.frameLocator('iframe[title="Peer support chat"]');
  await frame.getByRole('button', { name: 'Start chat' }).waitFor();
  // Not even the shifts that follow a click and so do not count towards CLS: none at all.
  assert.deepEqual(await layoutShifts(page), [], 'opening the chat');
});
