// SPDX-License-Identifier: Apache-2.0
/**
 * The peer console, accessibility (issue #8, WCAG 2.2 AA), one test per state of a shift:
 * signing in, off duty, on duty with someone waiting, one chat, two chats, a chat that
 * ended, signed out. Real relay, real survivors' frames on the same page (each in a tab of
 * its own). In each: axe finds no violation, Tab reaches every control in a sensible order
 * with a visible focus ring, and what changed is said politely.
 *
 * The tab order is the product's decision, written down here: the shift controls in the
 * header (duty: on or off, then a break; sound alerts, sign out), then a supervisor's live board
 * (Join, for each chat whose peer asks for help), then who is waiting (Accept), then this peer's
 * chats, then the private debrief after a chat ended (its notes, Done), then the
 * open conversation: what to do about it (Transfer, Ask a supervisor, Block: under its heading,
 * before the log; Transfer and Block in modal dialogs), the log, the message box and Send, a
 * canned response (next to the box it fills), sharing a resource, checking the chat is private,
 * and ending it last, away from Send. A supervisor in a chat they joined has the log, the
 * message box, Send and Leave.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { button, expectAccessible, field, role, shadow, tabThrough, testRelay, text, waitForText, type TestRelay } from '../../testing/harness.js';
import { signInAs } from '../../testing/matching.js';
import { cleanUp, mountSurvivor, otherTab, peerConsole, signInOnDuty, startAndAccept, survivor, testToken } from '../../testing/peer.js';
import type { KindredConsole } from './console.js';

/** The console's one polite status. */
const status = (el: KindredConsole) => role(shadow(el), 'status');

/** Writes `message` in the box and presses Send. */
function say(root: ShadowRoot, message: string): void {
  field(root, 'Message').value = message;
  button(root, 'Send').click();
}

/** The controls of an open, live chat, in tab order. */
/** The header's controls on duty: Go off duty, then Take a break, sound alerts, sign out. */
const onDutyHeader = ['button "Go off duty"', 'button "Take a break"', 'button "Sound alerts"', 'button "Sign out"'];

const liveConversation = ['button "Transfer"', 'button "Ask a supervisor"', 'button "Block"', 'log "Messages"', 'textbox "Message"', 'button "Send"', 'combobox "Response"', 'button "Insert"', 'combobox "Resource"', 'button "Share"', 'summary "Check that this chat is private"', 'button "End chat"'];

describe('<kindred-console> accessibility', () => {
  let relay: TestRelay;

  before(async () => {
    relay = await testRelay();
  });

  // Before the fixtures go: the relay would otherwise hold their chats for its grace period.
  afterEach(cleanUp);

  it('sign-in: a labelled token field and Sign in, each visibly focused', async () => {
    const el = await peerConsole(relay.url);
    expect(await tabThrough(el)).to.deep.equal(['textbox "Peer token"', 'button "Sign in"']);
    await expectAccessible(el);
  });

  it('off duty: says so, and the way on duty is the first control', async () => {
    const el = await peerConsole(relay.url);
    const root = shadow(el);
    field<HTMLInputElement>(root, 'Peer token').value = relay.token;
    button(root, 'Sign in').click();
    await waitForText(() => root, 'You are off duty.');
    expect(await tabThrough(el)).to.deep.equal(['button "Go on duty"', 'button "Sound alerts"', 'button "Sign out"']);
    await expectAccessible(el);
  });

  it('on duty with someone waiting: the waiting count is announced politely as it changes; Accept and Decline name who', async () => {
    const el = await peerConsole(relay.url);
    await signInOnDuty(el, relay.token);
    const root = shadow(el);
    await waitForText(() => root, 'Waiting (0)');
    // A peer busy elsewhere on the page hears that someone is waiting without looking.
    const count = root.querySelector('#waiting-heading')!;
    expect(count.closest('[aria-live="polite"]'), 'the waiting count is in a polite live region').to.not.equal(null);
    const frame = await survivor(relay.url, { tab: otherTab() });
    button(shadow(frame), 'Start chat').click();
    await waitForText(() => count, 'Waiting (1)');
    const name = text(root.querySelector('.entry > span')).replace(/ waiting .*$/, '');
    // The relay offers them to this peer, the only one on duty: Accept and Decline, named for who.
    expect(await tabThrough(el)).to.deep.equal([...onDutyHeader, `button "Accept ${name}"`, `button "Decline ${name}"`]);
    await expectAccessible(el, { sharedPage: true });
  });

  it('one chat: the conversation is a log that new messages land in; every control reachable', async () => {
    const el = await peerConsole(relay.url);
    await signInOnDuty(el, relay.token);
    const frame = await survivor(relay.url, { tab: otherTab() });
    const name = await startAndAccept(frame, el);
    const log = role(shadow(el), 'log');
    say(shadow(frame), 'Is anyone there?');
    // role="log" is polite by itself: what lands in it is read out when the peer pauses.
    await waitForText(() => log, `${name}: Is anyone there?`);
    expect(log.getAttribute('aria-live')).to.equal(null);
    expect(await tabThrough(el)).to.deep.equal([...onDutyHeader, `button "${name}"`, ...liveConversation]);
    await expectAccessible(el, { sharedPage: true });
  });

  it('two chats: both in the list, the one on screen marked current, a message in the other said politely', async () => {
    const el = await peerConsole(relay.url);
    await signInOnDuty(el, relay.token);
    const first = await survivor(relay.url, { tab: otherTab() });
    const firstName = await startAndAccept(first, el);
    const second = await mountSurvivor(relay.url, undefined, { tab: otherTab() });
    const secondName = await startAndAccept(second, el);
    const root = shadow(el);
    const tab = (name: string) => button(root, new RegExp(`^${name}`));
    expect(tab(secondName).getAttribute('aria-current')).to.equal('true');
    expect(tab(firstName).getAttribute('aria-current')).to.equal('false');
    // The first survivor writes while the second chat is on screen: the list says so, politely.
    say(shadow(first), 'hello again');
    await waitForText(() => tab(firstName), `${firstName} (1 unread)`);
    expect(tab(firstName).closest('[aria-live="polite"]'), 'the chat list is a polite live region').to.not.equal(null);
    expect(await tabThrough(el)).to.deep.equal([
      ...onDutyHeader,
      `button "${firstName} (1 unread)"`,
      `button "${secondName}"`,
      ...liveConversation,
    ]);
    await expectAccessible(el, { sharedPage: true });
  });

  it('a chat that ended: said in the status; the transcript stays readable and Close is reachable', async () => {
    const el = await peerConsole(relay.url);
    await signInOnDuty(el, relay.token);
    const frame = await survivor(relay.url, { tab: otherTab() });
    const name = await startAndAccept(frame, el);
    say(shadow(frame), 'Thank you. I have to go.');
    await waitForText(() => role(shadow(el), 'log'), 'I have to go.');
    button(shadow(frame), 'End chat').click();
    await waitForText(() => status(el), `${name} ended the chat.`);
    // The private debrief (the hospital's default) comes after the chats, before the transcript.
    expect(await tabThrough(el)).to.deep.equal([...onDutyHeader, `button "${name} (ended)"`, 'textbox "Private notes"', 'button "Done"', 'log "Messages"', 'button "Close"']);
    await expectAccessible(el, { sharedPage: true });
  });

  it('on a break: said politely; End break next to Go off duty; the open chat stays reachable', async () => {
    const el = await peerConsole(relay.url);
    await signInOnDuty(el, relay.token);
    const frame = await survivor(relay.url, { tab: otherTab() });
    const name = await startAndAccept(frame, el);
    const root = shadow(el);
    button(root, 'Take a break').click();
    await waitForText(() => root.querySelector('[aria-live="polite"].duty-state'), 'You are on a break.');
    expect(await tabThrough(el)).to.deep.equal(['button "Go off duty"', 'button "End break"', 'button "Sound alerts"', 'button "Sign out"', `button "${name}"`, ...liveConversation]);
    await expectAccessible(el, { sharedPage: true });
  });

  it('the break reminder: a polite notice under the header, its Dismiss reachable, never a dialog', async () => {
    const el = await peerConsole(relay.url);
    // The relay's 90 minutes without a break, at 10 ms a minute.
    el.breakMinuteMs = 10;
    await signInOnDuty(el, relay.token);
    const root = shadow(el);
    await waitForText(() => root.querySelector('[aria-live="polite"].break-reminder'), /without a break/);
    expect(await tabThrough(el)).to.deep.equal([...onDutyHeader, 'button "Dismiss"']);
    await expectAccessible(el);
  });

  it('a supervisor: the live board comes before the waiting list, its figures named', async () => {
    const el = await peerConsole(relay.url);
    const root = shadow(el);
    await signInAs(el, await testToken('Sam', 'supervisor'), 'Sam', { onDuty: false });
    await waitForText(() => root, 'Live board');
    button(root, 'Go on duty').click();
    await waitForText(() => root, 'Waiting (0)');
    const board = root.querySelector('.board')!;
    expect(board.compareDocumentPosition(root.querySelector('#waiting-heading')!) & Node.DOCUMENT_POSITION_FOLLOWING).to.not.equal(0);
    expect([...board.querySelectorAll('dt')].map((each) => text(each))).to.deep.equal(['Waiting', 'Longest wait', 'Active chats', 'Peers on duty', 'Peers on a break']);
    // Without an escalation the board has nothing to press (Join is tested in console-board.test.ts).
    expect(await tabThrough(el)).to.deep.equal(onDutyHeader);
    await expectAccessible(el);
  });

  it('the transfer dialog and the block confirmation: modal, named, Tab stays inside them, Escape closes them', async () => {
    const el = await peerConsole(relay.url);
    await signInOnDuty(el, relay.token);
    const frame = await survivor(relay.url, { tab: otherTab() });
    const name = await startAndAccept(frame, el);
    const root = shadow(el);
    const transfer = root.querySelector<HTMLDialogElement>('dialog.transfer')!;
    button(root, 'Transfer').focus();
    await sendKeys({ press: 'Enter' });
    await waitForText(() => transfer, 'No colleague on duty can take this chat now.');
    expect(transfer.open).to.equal(true);
    expect(transfer.getAttribute('aria-labelledby')).to.equal('transfer-heading');
    // Modal: Tab goes round the dialog's own controls, never to the console behind it.
    expect(await tabThrough(el)).to.deep.equal(['textbox "Note for your colleague (optional)"', 'button "Transfer chat"', 'button "Cancel"']);
    await expectAccessible(el, { sharedPage: true });
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !transfer.open, 'Escape closes the transfer dialog');

    const block = root.querySelector<HTMLDialogElement>('dialog.block-confirm')!;
    button(root, 'Block').focus();
    await sendKeys({ press: 'Enter' });
    await waitForText(() => block, `Block ${name}?`);
    expect(await tabThrough(el)).to.deep.equal(['button "Block and end chat"', 'button "Cancel"']);
    await expectAccessible(el, { sharedPage: true });
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !block.open, 'Escape closes the confirmation');
    expect(text(status(el))).to.equal('');
  });

  it('a supervised chat: marked in both lists; the supervisor has the log, the message box, Send and Leave', async () => {
    const sam = await peerConsole(relay.url, { tab: otherTab() });
    const samRoot = shadow(sam);
    await signInAs(sam, await testToken('Sam', 'supervisor'), 'Sam', { onDuty: false });
    const el = await peerConsole(relay.url);
    await signInOnDuty(el, relay.token);
    const frame = await survivor(relay.url, { tab: otherTab() });
    const name = await startAndAccept(frame, el);
    button(shadow(el), 'Ask a supervisor').click();
    await waitForText(() => samRoot, `Join Robin, ${name}`);
    button(samRoot, `Join Robin, ${name}`).click();
    await waitForText(() => samRoot.querySelector('#conversation-heading'), `Robin's chat with ${name}`);
    // The peer hears it in the chat's log, which is polite by itself.
    await waitForText(() => role(shadow(el), 'log'), 'Sam, a supervisor, joined this chat.');
    expect(text(shadow(el).querySelector('.chat-tab'))).to.equal(`${name} (supervised)`);
    const order = await tabThrough(sam);
    expect(order.slice(order.indexOf(`button "${name} (supervised)"`))).to.deep.equal([
      `button "${name} (supervised)"`,
      'log "Messages"',
      'textbox "Message"',
      'button "Send"',
      'button "Leave"',
    ]);
    await expectAccessible(sam, { sharedPage: true });
    await expectAccessible(el, { sharedPage: true });
  });

  it('signed out: said in the status, and the sign-in form is back', async () => {
    const el = await peerConsole(relay.url);
    await signInOnDuty(el, relay.token);
    button(shadow(el), 'Sign out').click();
    await waitForText(() => status(el), 'You signed out.');
    expect(await tabThrough(el)).to.deep.equal(['textbox "Peer token"', 'button "Sign in"']);
    await expectAccessible(el);
  });
});
