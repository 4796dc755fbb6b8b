// SPDX-License-Identifier: Apache-2.0
/**
 * Handing a chat to a colleague, and blocking, in the console: real relay, two peers' consoles
 * and a survivor's real frame on one page, each in a tab of its own, driven as people would.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { button, expectAccessible, field, hasButton, role, shadow, testRelay, text, waitForText, type TestRelay } from '../../testing/harness.js';
import { cleanUp, otherTab, peerConsole, signInOnDuty, startAndAccept, survivor, testToken } from '../../testing/peer.js';
import type { KindredConsole } from '../console/console.js';

/** A second peer's console, in a tab of its own, signed in and on duty. */
async function colleague(url: string, name: string, tab = otherTab()): Promise<KindredConsole> {
  const el = await peerConsole(url, { tab });
  await signInOnDuty(el, await testToken(name), name);
  return el;
}

/** Writes `message` in the box and presses Send. */
function say(root: ShadowRoot, message: string): void {
  field(root, 'Message').value = message;
  button(root, 'Send').click();
}

const dialogOf = (el: KindredConsole, name: string) => shadow(el).querySelector<HTMLDialogElement>(`dialog.${name}`)!;

/** What has focus inside the console, as a person would name it. */
function focused(el: KindredConsole): string {
  const active = shadow(el).activeElement as HTMLElement | null;
  if (!active) return 'nothing';
  const label = active.id ? shadow(el).querySelector(`label[for="${active.id}"]`) : null;
  return `${active.localName} ${JSON.stringify(text(label ?? active))}`;
}

describe('<kindred-console> transfer and block', () => {
  let relay: TestRelay;

  before(async () => {
    relay = await testRelay();
  });

  afterEach(cleanUp);

  it('hands a chat to a colleague with a note: it leaves this console, the colleague reads the note, and the survivor chats on with them', async () => {
    const robin = await peerConsole(relay.url);
    await signInOnDuty(robin, relay.token);
    const frame = await survivor(relay.url, { tab: otherTab() });
    const name = await startAndAccept(frame, robin);
    const frameRoot = shadow(frame);
    const robinRoot = shadow(robin);
    say(robinRoot, 'hello from Robin');
    await waitForText(() => role(frameRoot, 'log'), 'Robin: hello from Robin');
    say(frameRoot, 'my first message');
    await waitForText(() => role(robinRoot, 'log'), `${name}: my first message`);

    const alexTab = otherTab();
    const alex = await colleague(relay.url, 'Alex', alexTab);
    const alexRoot = shadow(alex);
    button(robinRoot, 'Transfer').click();
    const dialog = dialogOf(robin, 'transfer');
    await waitUntil(() => dialog.open, 'the transfer dialog opens');
    await waitForText(() => dialog, 'Alex (room for 2 more chats)');
    expect(text(dialog.querySelector('h2'))).to.equal(`Transfer ${name} to a colleague`);
    await expectAccessible(robin, { sharedPage: true });
    field<HTMLInputElement>(robinRoot, 'Alex (room for 2 more chats)').click();
    const note = 'Feeling shaky tonight; prefers short messages.';
    field(robinRoot, 'Note for your colleague (optional)').focus();
    await sendKeys({ type: note });
    await waitForText(() => dialog, `${note.length} of 500 characters`);
    button(dialog, 'Transfer chat').click();

    await waitForText(() => role(robinRoot, 'status'), `${name} is now with Alex.`);
    expect(dialog.open).to.equal(false);
    expect(text(robinRoot)).to.not.contain(`Chat with ${name}`);
    expect(hasButton(robinRoot, new RegExp(`^${name}`))).to.equal(false);

    await waitForText(() => role(alexRoot, 'status'), `Robin transferred ${name} to you.`);
    await waitForText(() => alexRoot.querySelector('#conversation-heading'), `Chat with ${name}`);
    expect(text(alexRoot.querySelector('.handoff'))).to.equal(`Transferred to you by Robin ${note}`);
    await waitForText(() => frameRoot, 'You are now talking with Alex.');

    // Both ways with the new peer: the survivor's numbering goes on, Alex's starts afresh.
    say(frameRoot, 'hello Alex');
    await waitForText(() => role(alexRoot, 'log'), `${name}: hello Alex`);
    say(alexRoot, 'Hi, I am Alex. Take your time.');
    await waitForText(() => role(frameRoot, 'log'), 'Alex: Hi, I am Alex. Take your time.');
    say(frameRoot, 'thank you');
    await waitForText(() => role(alexRoot, 'log'), `${name}: thank you`);
    // Robin's words stay with Robin: Alex sees none of the earlier chat.
    expect(text(role(alexRoot, 'log'))).to.not.contain('hello from Robin');
    // The note was for Alex's eyes, once: kept in no tab's storage.
    expect(JSON.stringify({ ...sessionStorage })).to.not.contain('shaky');
    expect(JSON.stringify(Object.fromEntries(Array.from({ length: alexTab.length }, (_, i) => [alexTab.key(i), alexTab.getItem(alexTab.key(i)!)])))).to.not.contain('shaky');
    await expectAccessible(alex, { sharedPage: true });
  });

  it('a colleague who reloads before the survivor writes again still gets their next message (the survivor kept counting)', async () => {
    const robin = await peerConsole(relay.url);
    await signInOnDuty(robin, relay.token);
    const frame = await survivor(relay.url, { tab: otherTab() });
    const name = await startAndAccept(frame, robin);
    const frameRoot = shadow(frame);
    for (const words of ['one', 'two']) {
      say(frameRoot, words);
      await waitForText(() => role(shadow(robin), 'log'), `${name}: ${words}`);
    }
    const alexTab = otherTab();
    const alex = await colleague(relay.url, 'Alex', alexTab);
    button(shadow(robin), 'Transfer').click();
    await waitForText(() => dialogOf(robin, 'transfer'), 'Alex (room for 2 more chats)');
    field<HTMLInputElement>(shadow(robin), 'Alex (room for 2 more chats)').click();
    button(dialogOf(robin, 'transfer'), 'Transfer chat').click();
    await waitForText(() => shadow(alex), `Chat with ${name}`);
    await waitForText(() => frameRoot, 'You are now talking with Alex.');
    // Reloaded: the chat comes back from this tab's storage, its note does not (memory only).
    alex.remove();
    const again = await peerConsole(relay.url, { tab: alexTab });
    const root = shadow(again);
    await waitForText(() => root, `Chat with ${name}`);
    expect(root.querySelector('.handoff')).to.equal(null);
    say(frameRoot, 'three');
    await waitForText(() => role(root, 'log'), `${name}: three`);
    say(root, 'I am here');
    await waitForText(() => role(frameRoot, 'log'), 'Alex: I am here');
  });

  it('by keyboard: opens on its heading, lists a full colleague as unavailable, and Escape returns to Transfer with nothing sent', async () => {
    // Alex takes two survivors first: full.
    const alex = await colleague(relay.url, 'Alex');
    for (let i = 0; i < 2; i += 1) {
      const each = await survivor(relay.url, { tab: otherTab() });
      await startAndAcceptBy(each, alex, 'Alex');
    }
    const robin = await peerConsole(relay.url);
    await signInOnDuty(robin, relay.token);
    const frame = await survivor(relay.url, { tab: otherTab() });
    const name = await startAndAccept(frame, robin);
    const robinRoot = shadow(robin);

    button(robinRoot, 'Transfer').focus();
    await sendKeys({ press: 'Enter' });
    const dialog = dialogOf(robin, 'transfer');
    await waitUntil(() => dialog.open, 'the transfer dialog opens');
    expect(focused(robin)).to.equal(`h2 "Transfer ${name} to a colleague"`);
    await waitForText(() => dialog, 'Alex (full)');
    expect(field<HTMLInputElement>(robinRoot, 'Alex (full)').disabled).to.equal(true);
    // A full colleague cannot be reached by Tab: the note comes next, then the buttons.
    await sendKeys({ press: 'Tab' });
    expect(focused(robin)).to.equal('textarea "Note for your colleague (optional)"');
    await sendKeys({ type: 'not sent' });
    await sendKeys({ press: 'Tab' });
    expect(focused(robin)).to.equal('button "Transfer chat"');
    await sendKeys({ press: 'Enter' });
    // Nobody chosen: said at once, in the dialog.
    await waitForText(() => dialog.querySelector('[role="alert"]'), 'Choose a colleague.');
    await sendKeys({ press: 'Tab' });
    expect(focused(robin)).to.equal('button "Cancel"');
    await expectAccessible(robin, { sharedPage: true });
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialog.open, 'Escape closes the dialog');
    await waitUntil(() => focused(robin) === 'button "Transfer"', `focus is on ${focused(robin)}`);
    // Still Robin's, and live.
    expect(text(robinRoot.querySelector('#conversation-heading'))).to.equal(`Chat with ${name}`);
    expect(hasButton(robinRoot, 'End chat')).to.equal(true);
    // What was typed in the dialog went nowhere, and is gone.
    button(robinRoot, 'Transfer').click();
    await waitUntil(() => dialog.open);
    expect(field(robinRoot, 'Note for your colleague (optional)').value).to.equal('');
    button(dialog, 'Cancel').click();
    await waitUntil(() => !dialog.open);
  });

  it('Block asks first; Cancel keeps the chat; confirmed, it ends the chat and the survivor cannot start another', async () => {
    const robin = await peerConsole(relay.url);
    await signInOnDuty(robin, relay.token);
    const frame = await survivor(relay.url, { tab: otherTab() });
    const name = await startAndAccept(frame, robin);
    const robinRoot = shadow(robin);
    const frameRoot = shadow(frame);
    const dialog = dialogOf(robin, 'block-confirm');

    button(robinRoot, 'Block').click();
    await waitUntil(() => dialog.open, 'the confirmation opens');
    expect(text(dialog.querySelector('h2'))).to.equal(`Block ${name}?`);
    expect(dialog.getAttribute('role')).to.equal('alertdialog');
    // It opens on the harmless choice.
    expect(focused(robin)).to.equal('button "Cancel"');
    await expectAccessible(robin, { sharedPage: true });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => !dialog.open, 'Cancel closes it');
    expect(hasButton(robinRoot, 'End chat')).to.equal(true);
    say(frameRoot, 'still here');
    await waitForText(() => role(robinRoot, 'log'), `${name}: still here`);

    button(robinRoot, 'Block').click();
    await waitUntil(() => dialog.open);
    button(dialog, 'Block and end chat').click();
    await waitForText(() => role(robinRoot, 'status'), `You blocked ${name}, and the chat ended.`);
    expect(hasButton(robinRoot, 'End chat')).to.equal(false);
    expect(text(robinRoot.querySelector('.ended'))).to.equal('You ended the chat.');
    // The survivor is told only that the chat ended, and cannot start another for now.
    await waitForText(() => role(frameRoot, 'status'), 'The peer ended the chat.');
    expect(text(frameRoot)).to.not.match(/block/i);
    button(frameRoot, /^Start (a new chat|chat)$/).click();
    await waitForText(() => frameRoot, 'The chat service cannot start new chats just now.');
    expect(text(robinRoot)).to.contain('Waiting (0)');
  });
});

/** Like `startAndAccept`, for a console signed in as `peerName`. */
async function startAndAcceptBy(frame: HTMLElement, peer: KindredConsole, peerName: string): Promise<void> {
  button(shadow(frame), 'Start chat').click();
  await waitForText(() => shadow(frame), /You are number \d+ in the queue|You are talking with/);
  await waitUntil(() => hasButton(shadow(peer), /^Accept /) || text(shadow(frame)).includes(`You are talking with ${peerName}`), 'someone to accept');
  if (hasButton(shadow(peer), /^Accept /)) button(shadow(peer), /^Accept /).click();
  await waitForText(() => shadow(frame), `You are talking with ${peerName}`);
}
