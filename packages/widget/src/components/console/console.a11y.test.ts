// SPDX-License-Identifier: Apache-2.0
/**
 * The peer console, accessibility (issue #8, WCAG 2.2 AA), one test per state of a shift:
 * signing in, off duty, on duty with someone waiting, one chat, two chats, a chat that
 * ended, signed out. Real relay, real survivors' frames on the same page (each in a tab of
 * its own). In each: axe finds no violation, Tab reaches every control in a sensible order
 * with a visible focus ring, and what changed is said politely.
 *
 * The tab order is the product's decision, written down here: the shift controls in the
 * header (duty, sound alerts, sign out), then who is waiting (Accept), then this peer's chats, then the
 * open conversation: the log, the message box and Send, a canned response (next to the box it
 * fills), sharing a resource, checking the
 * chat is private, and ending it last, away from Send.
 */
import { expect } from '@open-wc/testing';
import { button, expectAccessible, field, role, shadow, tabThrough, testRelay, text, waitForText, type TestRelay } from '../../testing/harness.js';
import { cleanUp, mountSurvivor, otherTab, peerConsole, signInOnDuty, startAndAccept, survivor } from '../../testing/peer.js';
import type { KindredConsole } from './console.js';

/** The console's one polite status. */
const status = (el: KindredConsole) => role(shadow(el), 'status');

/** Writes `message` in the box and presses Send. */
function say(root: ShadowRoot, message: string): void {
  field(root, 'Message').value = message;
  button(root, 'Send').click();
}

/** The controls of an open, live chat, in tab order. */
const liveConversation = ['log "Messages"', 'textbox "Message"', 'button "Send"', 'combobox "Response"', 'button "Insert"', 'combobox "Resource"', 'button "Share"', 'summary "Check that this chat is private"', 'button "End chat"'];

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
    expect(await tabThrough(el)).to.deep.equal(['button "Go off duty"', 'button "Sound alerts"', 'button "Sign out"', `button "Accept ${name}"`, `button "Decline ${name}"`]);
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
    expect(await tabThrough(el)).to.deep.equal(['button "Go off duty"', 'button "Sound alerts"', 'button "Sign out"', `button "${name}"`, ...liveConversation]);
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
      'button "Go off duty"',
      'button "Sound alerts"',
      'button "Sign out"',
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
    expect(await tabThrough(el)).to.deep.equal(['button "Go off duty"', 'button "Sound alerts"', 'button "Sign out"', `button "${name} (ended)"`, 'log "Messages"', 'button "Close"']);
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
