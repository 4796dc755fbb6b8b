// SPDX-License-Identifier: Apache-2.0
/**
 * A shift with a team (issue 4's "done when"): two peers and a supervisor in their consoles,
 * three survivors on the hospital's page (another origin, its strict CSP), all in real
 * Chromium against one real relay. Every control is used the way people use it, found by
 * role and accessible name:
 *
 * - Ana transfers Maria to Ben with a hand-off note: Ben reads the note, Maria reads "You are
 *   now talking with Ben", and the conversation goes on both ways (fresh keys, no word lost);
 * - Ana asks a supervisor about Sam: Sage's live board lists it, Sage joins, everyone is told,
 *   Sam's words reach Sage through Ana's console, Sage's reply reaches Sam marked
 *   "Supervisor", and Sage leaves;
 * - Ana takes a break (the board counts it, and she is offered nobody), so Lee goes to Ben,
 *   who blocks Lee: Lee reads only that the chat ended, and cannot start another;
 * - after a chat ends, Ben is offered a private debrief;
 * - `/metrics` counted one transfer, one escalation and one block, with no identifying label.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { createRelay, signPeerToken } from '@kindred/server';
import { exampleHospital, hospitalSite, person, secret } from './harness.js';

const metricsToken = 'e2e-metrics-token-that-is-long-enough-0123';
const chatFrame = (page: Page): FrameLocator => page.frameLocator('iframe[title="Peer support chat"]');

/** A fresh, isolated browser profile in `browser` (cheaper than a Chromium per person on two cores). */
async function pageIn(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

/** Someone signed in to the console from their link; on duty unless they are the supervisor. */
async function signIn(page: Page, relayUrl: string, name: string, role: 'peer' | 'supervisor' = 'peer'): Promise<Page> {
  const token = await signPeerToken(secret, { name, role, maxChats: 2, ttlSeconds: 3600 });
  await page.goto(`${relayUrl}/console#token=${token}`);
  if (role === 'peer') {
    await page.getByRole('button', { name: 'Go on duty' }).click();
    await page.getByText('You are on duty.').waitFor();
  } else {
    await page.getByRole('heading', { name: 'Live board' }).waitFor();
  }
  return page;
}

/** A survivor who opens the chat on the hospital's page and starts waiting: their frame and pseudonym-free handle. */
async function survivorWaiting(page: Page, siteUrl: string): Promise<FrameLocator> {
  await page.goto(siteUrl);
  await page.getByRole('button', { name: /chat/i }).click();
  const frame = chatFrame(page);
  await frame.getByRole('button', { name: 'Start chat' }).click();
  await frame.getByRole('status').getByText(/You are number \d+ in the queue/).waitFor();
  return frame;
}

async function say(frame: FrameLocator | Page, text: string): Promise<void> {
  const box = frame.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

/** The peer accepts the survivor offered to them, and both see the chat begin. */
async function acceptOffer(peer: Page, survivor: FrameLocator, peerName: string): Promise<void> {
  await peer.getByRole('region', { name: 'Offered to you' }).getByRole('button', { name: /^Accept/ }).click();
  await survivor.getByRole('heading', { name: `You are talking with ${peerName}` }).waitFor();
}

/** A chat in the console's "Your chats" list, by the survivor's place in it. */
async function openChat(peer: Page, index: number): Promise<void> {
  await peer.getByRole('region', { name: 'Your chats' }).getByRole('button').nth(index).click();
}

async function metric(relayUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${relayUrl}/metrics`, { headers: { Authorization: `Bearer ${metricsToken}` } })).text();
  const line = text.split('\n').find((each) => each.startsWith(`${name} `));
  return Number(line?.split(' ')[1]);
}

test('a shift with two peers, a supervisor and three survivors: transfer, escalate and join, break, block, debrief', { timeout: 240_000 }, async () => {
  const site = await hospitalSite();
  const relay = await createRelay({
    port: 0,
    host: '127.0.0.1',
    secret,
    origins: [site.origin],
    hospital: exampleHospital(),
    connectionsPerMinute: 0,
    metricsToken,
  });
  site.relayUrl = relay.url;
  after(() => relay.close());
  const consoles = (await person()).browser;
  const survivors = (await person()).browser;

  const ana = await signIn(await pageIn(consoles), relay.url, 'Ana');
  const sage = await signIn(await pageIn(consoles), relay.url, 'Sage', 'supervisor');
  const board = sage.getByRole('region', { name: 'Live board' });

  // Maria and Sam wait; Ana, the only peer on duty, takes both.
  const maria = await survivorWaiting(await pageIn(survivors), site.url);
  await acceptOffer(ana, maria, 'Ana');
  const sam = await survivorWaiting(await pageIn(survivors), site.url);
  await acceptOffer(ana, sam, 'Ana');
  await say(maria, 'I would rather talk with someone who knows about road injuries.');
  await openChat(ana, 0);
  await ana.getByRole('log').getByText('I would rather talk with someone who knows about road injuries.').waitFor();

  // --- Transfer: Ana hands Maria to Ben, with a note only Ben sees.
  const ben = await signIn(await pageIn(consoles), relay.url, 'Ben');
  await ana.getByRole('button', { name: 'Transfer' }).click();
  const dialog = ana.getByRole('dialog');
  await dialog.getByRole('radio', { name: /Ben/ }).check();
  await dialog.getByRole('textbox', { name: /Note for your colleague/ }).fill('Road injury last month; prefers short answers.');
  await dialog.getByRole('button', { name: 'Transfer chat' }).click();
  await ana.getByText(/is now with Ben\./).waitFor();
  await ben.getByText(/Ana transferred .+ to you\./).first().waitFor();
  await ben.getByText('Road injury last month; prefers short answers.').waitFor();
  await maria.getByRole('heading', { name: 'You are talking with Ben' }).waitFor();
  await maria.getByText('You are now talking with Ben.').waitFor();
  // The conversation goes on, both ways, under keys Maria and Ben agreed.
  await say(maria, 'Thank you for taking over.');
  await ben.getByRole('log').getByText('Thank you for taking over.').waitFor();
  await say(ben, 'Hello, I am Ben. Take your time.');
  await maria.getByRole('log').getByText('Hello, I am Ben. Take your time.').waitFor();
  assert.equal(await ana.getByText('Thank you for taking over.').count(), 0, 'Ana no longer receives Maria');

  // --- Escalate: Ana asks a supervisor about Sam; Sage joins from the board.
  await openChat(ana, 0);
  await ana.getByRole('button', { name: 'Ask a supervisor' }).click();
  await ana.getByText('Supervisor told: they can join this chat from their board.').waitFor();
  await board.getByText(/Ana asked for help with /).waitFor();
  await board.getByRole('button', { name: /^Join/ }).click();
  await ana.getByText('Sage, a supervisor, joined this chat.').waitFor();
  await sam.getByText('A supervisor joined the chat.').waitFor();
  // Sam's words reach Sage through Ana's console; Sage's reach Sam marked as the supervisor's.
  await say(sam, 'Is someone else reading this now?');
  await sage.getByRole('log').getByText('Is someone else reading this now?').waitFor();
  await say(sage, 'Yes, I am a supervisor here to help Ana help you.');
  const fromSupervisor = sam.getByRole('log').getByRole('listitem').filter({ hasText: 'Yes, I am a supervisor here to help Ana help you.' });
  await fromSupervisor.waitFor();
  assert.match((await fromSupervisor.textContent()) ?? '', /Supervisor/);
  await ana.getByRole('log').getByText('Yes, I am a supervisor here to help Ana help you.').waitFor();
  await sage.getByRole('button', { name: 'Leave' }).click();
  await sam.getByText('The supervisor left the chat.').waitFor();
  await ana.getByText('Sage, the supervisor, left this chat.').waitFor();

  // --- A break: the board counts it, and the next survivor goes to Ben alone.
  await ana.getByRole('button', { name: 'Take a break' }).click();
  await ana.getByText('You are on a break.').waitFor();
  await boardShows(sage, 'Peers on a break', '1');
  const lee = await survivorWaiting(await pageIn(survivors), site.url);
  await acceptOffer(ben, lee, 'Ben');
  assert.equal(await ana.getByRole('region', { name: 'Offered to you' }).count(), 0, 'nobody is offered to a peer on a break');

  // --- Block: Ben confirms, the chat ends, Lee cannot start another; Ben may debrief.
  await say(lee, 'abusive words stand-in');
  await ben.getByRole('log').getByText('abusive words stand-in').waitFor();
  await openChat(ben, 1);
  await ben.getByRole('button', { name: 'Block' }).click();
  await ben.getByRole('alertdialog').getByRole('button', { name: 'Block and end chat' }).click();
  await ben.getByText(/You blocked .+, and the chat ended\./).waitFor();
  await lee.getByText('The peer ended the chat.').waitFor();
  await lee.getByRole('button', { name: 'Start a new chat' }).click();
  await lee.getByText(/cannot start new chats just now/).waitFor();
  await ben.getByRole('heading', { name: 'How are you after that chat?' }).waitFor();

  // Maria, whom Ben now holds, was never affected.
  await say(maria, 'Still here.');
  await openChat(ben, 0);
  await ben.getByRole('log').getByText('Still here.').waitFor();

  assert.equal(await metric(relay.url, 'kindred_transfers_total'), 1);
  assert.equal(await metric(relay.url, 'kindred_escalations_total'), 1);
  assert.equal(await metric(relay.url, 'kindred_blocks_total'), 1);
});

/** Waits until the supervisor's board shows `value` for the figure `label` (its `<dt>`; the value is its `<dd>`). */
async function boardShows(sage: Page, label: string, value: string): Promise<void> {
  const figure = sage.getByRole('region', { name: 'Live board' }).locator('dt', { hasText: label }).locator('xpath=following-sibling::dd[1]');
  await figure.filter({ hasText: new RegExp(`^\\s*${value}\\s*$`) }).waitFor();
}
