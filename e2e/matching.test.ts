// SPDX-License-Identifier: Apache-2.0
/**
 * Matching and offers end to end, as people do it: two peers who speak different languages, two
 * survivors on the hospital's page (another origin, its strict CSP) who choose theirs before
 * waiting. Each survivor is offered to the peer who speaks their language, who accepts from the
 * offer; found by role and accessible name throughout.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { signPeerToken } from '@kindred/server';
import { exampleHospital, hospitalWithRelay, person, secret } from './harness.js';

const chatFrame = (page: Page): FrameLocator => page.frameLocator('iframe[title="Peer support chat"]');

/** A peer in the console, signed in from a link whose token lists `languages`, and on duty. */
async function peerOnDuty(relayUrl: string, name: string, languages: string[]) {
  const peer = await person();
  const token = await signPeerToken(secret, { name, languages, maxChats: 2, ttlSeconds: 3600 });
  await peer.page.goto(`${relayUrl}/console#token=${token}`);
  await peer.page.getByRole('button', { name: 'Go on duty' }).click();
  await peer.page.getByText('You are on duty.').waitFor();
  return peer;
}

/** A survivor on the hospital's page who opens the chat, chooses `language` (its name in itself) and starts. */
async function survivorIn(siteUrl: string, language: string) {
  const survivor = await person();
  await survivor.page.goto(siteUrl);
  await survivor.page.getByRole('button', { name: /chat/i }).click();
  const frame = chatFrame(survivor.page);
  const languages = frame.getByRole('combobox', { name: 'Language' });
  await languages.selectOption({ label: language });
  await frame.getByRole('button', { name: 'Start chat' }).click();
  await frame.getByRole('status').getByText(/You are number \d+ in the queue/).waitFor();
  return { ...survivor, frame };
}

test('two peers of different languages, two survivors: each survivor is offered to the peer who speaks their language', { timeout: 90_000 }, async () => {
  const { site, relay } = await hospitalWithRelay(exampleHospital());
  const ana = await peerOnDuty(relay.url, 'Ana', ['es']);
  const ben = await peerOnDuty(relay.url, 'Ben', ['en']);

  // The Spanish speaker starts first; the English speaker's language is preselected from the
  // page (English) and they keep it.
  const maria = await survivorIn(site.url, 'Español');
  const sam = await person();
  await sam.page.goto(site.url);
  await sam.page.getByRole('button', { name: /chat/i }).click();
  const samFrame = chatFrame(sam.page);
  assert.equal(await samFrame.getByRole('combobox', { name: 'Language' }).inputValue(), 'en', 'preselected from the page');
  await samFrame.getByRole('button', { name: 'Start chat' }).click();

  // Each peer is offered the survivor who speaks their language: one Accept each on screen.
  const anaOffer = ana.page.getByRole('region', { name: 'Offered to you' });
  const benOffer = ben.page.getByRole('region', { name: 'Offered to you' });
  await anaOffer.getByText('Spanish').waitFor();
  await benOffer.getByText('English').waitFor();
  assert.match((await anaOffer.getByText(/left to answer/).textContent()) ?? '', /^\d+ seconds? left to answer\.$/);
  await anaOffer.getByRole('button', { name: /^Accept/ }).click();
  await benOffer.getByRole('button', { name: /^Accept/ }).click();
  await maria.frame.getByRole('heading', { name: 'You are talking with Ana' }).waitFor();
  await samFrame.getByRole('heading', { name: 'You are talking with Ben' }).waitFor();

  // And they talk: the Spanish speaker's words reach Ana.
  const box = maria.frame.getByRole('textbox', { name: 'Message' });
  await box.fill('Hola, gracias por estar aquí.');
  await box.press('Enter');
  await ana.page.getByRole('log').getByText('Hola, gracias por estar aquí.').waitFor();
  assert.equal(relay.counts().waiting, 0);
});
