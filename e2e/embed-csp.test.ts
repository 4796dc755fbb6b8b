// SPDX-License-Identifier: Apache-2.0
/**
 * What docs/embed.md promises a hospital web team, tested with the doc's own words: the page is
 * the doc's snippet and its policy the doc's CSP lines, both read from docs/embed.md (between
 * its `embed:snippet` and `embed:csp` markers), so the doc cannot drift from what works.
 *
 * - Content-Security-Policy: under `default-src 'none'`, the two lines and Trusted Types with no
 *   policy allowed, the chat opens, starts and quick-exits with no violation in the page or the
 *   frame; without either line it does not work (so both are needed); a nonce-based policy works.
 * - Subresource Integrity: the value `npm run build` wrote is the hash of what the relay serves,
 *   which it sends with the CORS headers a cross-origin module script needs; with it the shell
 *   runs, with a wrong one (or `crossorigin="use-credentials"`) the browser refuses it and the
 *   fallback text inside the element shows instead.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import { defaultBundleDir } from '../scripts/size.mjs';
import { integrityFile, integrityOf } from '../scripts/sri.mjs';
import { person, relay, signInLink } from './harness.js';

const doc = readFileSync(new URL('../docs/embed.md', import.meta.url), 'utf8');

/** The first code block after `<!-- embed:<name>` in docs/embed.md. */
function docBlock(name: string): string {
  const marker = doc.indexOf(`<!-- embed:${name}`);
  assert.ok(marker >= 0, `docs/embed.md has no embed:${name} marker`);
  const block = /```[a-z]*\n([\s\S]*?)```/.exec(doc.slice(marker));
  assert.ok(block, `docs/embed.md has no code block after embed:${name}`);
  return block[1]!.trim();
}

/** The doc's stand-ins, which a hospital replaces with its own. */
const docRelay = 'https://chat.example-hospital.org';
const docIntegrity = 'sha384-PRINTED-BY-THE-BUILD';
const builtIntegrity = readFileSync(join(defaultBundleDir, integrityFile), 'utf8').trim();
const fallback = 'The chat could not load. Call 0800 000 000.';

/** The doc's CSP lines for `relayOrigin`, as directives. */
function docPolicy(relayOrigin: string): string[] {
  return docBlock('csp')
    .split('\n')
    .map((line) => line.trim().replace(/;$/, '').replaceAll(docRelay, relayOrigin))
    .filter(Boolean);
}

/** The doc's snippet for `relayOrigin`, with fallback text inside the element. */
function docSnippet(relayOrigin: string, integrity = builtIntegrity): string {
  return docBlock('snippet')
    .replaceAll(docRelay, relayOrigin)
    .replace(docIntegrity, integrity)
    .replace('<kindred-chat></kindred-chat>', `<kindred-chat><p>${fallback}</p></kindred-chat>`);
}

// A hospital page on its own origin, whose body and policy each test sets.
let page = { body: '', policy: '' };
const site = createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': page.policy });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Support — St Example Hospital</title></head><body><h1>Support after trauma</h1>${page.body}</body></html>`);
});
await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
after(() => {
  site.closeAllConnections();
  return new Promise<void>((resolve) => site.close(() => resolve()));
});
const siteOrigin = `http://localhost:${(site.address() as AddressInfo).port}`;
const relayUrl = (await relay([siteOrigin])).url;
const relayOrigin = new URL(relayUrl).origin;

/** Trusted Types on, with no policy allowed: the shell must never reach an HTML sink. */
const trustedTypes = ["require-trusted-types-for 'script'", "trusted-types 'none'"];

/**
 * A survivor at the page, with every CSP or integrity complaint Chromium prints collected from
 * the start (the console outlives a navigation, the `securitypolicyviolation` record does not).
 */
async function visit(body: string, policy: string[]) {
  page = { body, policy: policy.join('; ') };
  const survivor = await person();
  const complaints: string[] = [];
  survivor.page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Trusted Type|integrity/i.test(message.text())) complaints.push(message.text());
  });
  await survivor.page.route('https://www.bbc.co.uk/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Weather</title>weather' }));
  await survivor.page.goto(`${siteOrigin}/`);
  return { ...survivor, complaints };
}

const chatFrame = (at: Page) => at.frameLocator('iframe[title="Peer support chat"]');

/** Whether `<kindred-chat>` was defined (its script ran), once the page has settled. */
async function defined(at: Page): Promise<boolean> {
  await at.waitForLoadState('networkidle');
  return at.evaluate(`customElements.get('kindred-chat') !== undefined`);
}

test("the doc's snippet under default-src 'none' and exactly the doc's two lines: the chat opens, starts and quick-exits with no violation", { timeout: 90_000 }, async () => {
  const lines = docPolicy(relayOrigin);
  assert.deepEqual(lines.map((line) => line.split(' ')[0]), ['script-src', 'frame-src'], 'the doc gives two directives');
  const peer = await person();
  await peer.page.goto(await signInLink(relayUrl, 'Ash'));
  await peer.page.getByRole('button', { name: 'Go on duty' }).click();
  await peer.page.getByText('You are on duty.').waitFor();

  const survivor = await visit(docSnippet(relayOrigin), ["default-src 'none'", ...lines, ...trustedTypes]);
  await survivor.page.getByRole('button', { name: 'Chat with a peer' }).click();
  const frame = chatFrame(survivor.page);
  await frame.getByRole('button', { name: 'Start chat' }).click();
  await frame.getByRole('status').getByText('You are number 1 in the queue').waitFor();
  assert.equal(await survivor.page.getByText(fallback).isVisible(), false, 'the fallback text is hidden once the chat runs');
  assert.deepEqual(await survivor.violations(), [], 'no securitypolicyviolation in the page or the frame');

  await survivor.page.getByRole('button', { name: 'Quick exit' }).first().click();
  await survivor.page.waitForURL('https://www.bbc.co.uk/weather');
  assert.deepEqual(survivor.complaints, [], 'nothing refused on the way out either');
});

for (const { directive, symptom } of [
  { directive: 'script-src', symptom: 'the shell never runs' },
  { directive: 'frame-src', symptom: 'the chat frame is refused' },
]) {
  test(`without the doc's ${directive} line ${symptom}: the line is needed`, { timeout: 60_000 }, async () => {
    const lines = docPolicy(relayOrigin).filter((line) => !line.startsWith(`${directive} `));
    const survivor = await visit(docSnippet(relayOrigin), ["default-src 'none'", ...lines]);
    if (directive === 'script-src') {
      assert.equal(await defined(survivor.page), false);
      assert.equal(await survivor.page.getByText(fallback).isVisible(), true, 'the fallback text shows');
      // The console record the first test relies on for the way out does hear a refusal.
      assert.ok(survivor.complaints.some((complaint) => /Content Security Policy/.test(complaint)), 'Chromium says why');
    } else {
      await survivor.page.getByRole('button', { name: 'Chat with a peer' }).click();
      await survivor.page.waitForLoadState('networkidle');
      assert.ok((await survivor.violations()).some((violation) => violation.startsWith('frame-src')), 'the frame is blocked by frame-src');
    }
  });
}

test("a nonce-based policy ('strict-dynamic'): the snippet with the page's nonce runs the chat with no violation", { timeout: 60_000 }, async () => {
  const nonce = 'c2VjcmV0LW5vbmNlLWZvci10aGUtdGVzdA';
  const snippet = docSnippet(relayOrigin).replace('<script ', `<script nonce="${nonce}" `);
  const frameLine = docPolicy(relayOrigin).find((line) => line.startsWith('frame-src '))!;
  const survivor = await visit(snippet, ["default-src 'none'", `script-src 'nonce-${nonce}' 'strict-dynamic'`, frameLine, ...trustedTypes]);
  await survivor.page.getByRole('button', { name: 'Chat with a peer' }).click();
  await chatFrame(survivor.page).getByRole('button', { name: 'Start chat' }).waitFor();
  assert.deepEqual(await survivor.violations(), []);
});

test('the integrity the build wrote is the hash of the file the relay serves, which it sends with CORS headers', async () => {
  assert.match(builtIntegrity, /^sha384-[A-Za-z0-9+/]{64}$/);
  const response = await fetch(`${relayUrl}/kindred-chat.js`, { headers: { Origin: siteOrigin, 'Accept-Encoding': 'br, gzip' } });
  assert.equal(response.status, 200);
  // fetch decodes the body as the browser does before checking its integrity.
  assert.equal(integrityOf(new Uint8Array(await response.arrayBuffer())), builtIntegrity);
  assert.equal(response.headers.get('access-control-allow-origin'), '*', 'a module script from another origin is a CORS request');
  assert.equal(response.headers.get('cross-origin-resource-policy'), 'cross-origin');
});

test('with the integrity the build printed, the shell runs', { timeout: 60_000 }, async () => {
  const survivor = await visit(docSnippet(relayOrigin), ["default-src 'none'", ...docPolicy(relayOrigin)]);
  assert.match(docSnippet(relayOrigin), new RegExp(`integrity="${builtIntegrity.replace(/[+/]/g, '\\$&')}" crossorigin="anonymous"`));
  await survivor.page.getByRole('button', { name: 'Chat with a peer' }).waitFor();
  assert.equal(await defined(survivor.page), true);
  assert.deepEqual(survivor.complaints, []);
});

for (const { title, snippet } of [
  { title: 'a wrong integrity value', snippet: () => docSnippet(relayOrigin, integrityOf(new TextEncoder().encode('another file'))) },
  { title: 'crossorigin="use-credentials"', snippet: () => docSnippet(relayOrigin).replace('crossorigin="anonymous"', 'crossorigin="use-credentials"') },
]) {
  test(`with ${title}, the browser refuses the shell and the fallback text shows`, { timeout: 60_000 }, async () => {
    const survivor = await visit(snippet(), ["default-src 'none'", ...docPolicy(relayOrigin)]);
    assert.equal(await defined(survivor.page), false, 'the script did not run');
    assert.equal(await survivor.page.getByText(fallback).isVisible(), true, 'the fallback text shows');
    assert.equal(await survivor.page.getByRole('button', { name: 'Chat with a peer' }).count(), 0);
    if (title.includes('integrity')) assert.ok(survivor.complaints.some((complaint) => /integrity/i.test(complaint)), 'Chromium says why');
  });
}
