// SPDX-License-Identifier: Apache-2.0
/**
 * The survivor's safety path on a real hospital page, as a person meets it: the first screen,
 * "Are you safe to talk right now?", no peer on duty (never a dead end), a first message
 * written while waiting, a resources card from the peer, and a saved copy.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { exampleHospital, hospitalWithRelay, person, signInLink } from './harness.js';

test('not sure, nobody on duty, a first message, a resources card and a saved copy', { timeout: 90_000 }, async () => {
  const hospital = exampleHospital();
  const { site, relay } = await hospitalWithRelay(hospital);
  const survivor = await person();
  await survivor.page.goto(site.url);
  await survivor.page.getByRole('button', { name: /chat/i }).click();
  const frame = survivor.page.frameLocator('iframe[title="Peer support chat"]');

  // The first screen: what stays private (in the hospital's words) and how to stay safe.
  await frame.getByRole('heading', { name: 'What stays private' }).waitFor();
  await frame.getByText(hospital.confidentiality).waitFor();
  await frame.getByText(/use a private window/).waitFor();

  // "Not sure" brings the emergency line forward before anything connects.
  await frame.getByRole('radio', { name: 'Not sure' }).check();
  const emergency = frame.getByRole('link', { name: '999' }).first();
  assert.equal(await emergency.getAttribute('href'), 'tel:999');

  // Nobody is on duty: the survivor is told at once, with somewhere else to turn.
  await frame.getByRole('button', { name: 'Start chat' }).click();
  await frame.getByText('No peer is on duty right now.').first().waitFor();
  await frame.getByText(`Peers are usually here: ${hospital.peerHours}`).waitFor();
  const samaritansCall = frame.getByRole('link', { name: 'Call 116 123' }).first();
  assert.equal(await samaritansCall.getAttribute('href'), 'tel:116123');
  const samaritansSite = frame.locator('a[href="https://www.samaritans.org/"]').first();
  await samaritansSite.waitFor({ state: 'attached' });

  // They write while waiting; it waits with them.
  const message = frame.getByRole('textbox', { name: 'Message' });
  await message.fill('I do not know where to start.');
  await message.press('Enter');
  await frame.getByRole('log').getByText('Waiting for a peer').waitFor();

  // A peer comes on duty and accepts: the first message arrives, in the peer's console.
  const peer = await person();
  await peer.page.goto(await signInLink(relay.url, 'Robin'));
  await peer.page.getByRole('button', { name: 'Go on duty' }).click();
  await peer.page.getByRole('button', { name: /^Accept/ }).click();
  await peer.page.getByRole('log').getByText('I do not know where to start.').waitFor();
  await frame.getByText('You are talking with Robin').waitFor();

  // The emergency line stays within reach while chatting.
  await frame.getByRole('link', { name: '999' }).first().waitFor();

  // The peer shares a resource; the survivor gets a card with tappable links.
  await peer.page.getByRole('combobox', { name: 'Resource' }).selectOption('victim-support');
  await peer.page.getByRole('button', { name: 'Share', exact: true }).click();
  const card = frame.getByRole('log').getByRole('link', { name: 'Call 08 08 16 89 111' });
  assert.equal(await card.getAttribute('href'), 'tel:08081689111');
  await peer.page.getByRole('log').getByText(/\b(Delivered|Read)$/).last().waitFor();

  // "Save a copy" warns first, then saves the conversation from the browser's own memory.
  await frame.getByRole('button', { name: 'Save a copy' }).click();
  await frame.getByText('A saved copy stays on this device. Anyone who uses it may find it.').waitFor();
  const download = survivor.page.waitForEvent('download');
  await frame.getByRole('button', { name: 'Save copy' }).click();
  const saved = await readFile((await (await download).path())!, 'utf8');
  assert.match(saved, /I do not know where to start\./);
  assert.match(saved, /Victim Support/);

  assert.deepEqual(await survivor.violations(), []);
});
