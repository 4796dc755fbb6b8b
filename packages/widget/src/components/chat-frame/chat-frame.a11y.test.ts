// SPDX-License-Identifier: Apache-2.0
/**
 * The survivor's chat frame, accessibility (issue #8, WCAG 2.2 AA), one test per state a
 * survivor can be in, against the real test relay with a real peer console on the same page
 * playing the other side. In each: axe finds no violation (`expectAccessible` fails on any),
 * Tab reaches every control in reading order with a focus ring a person can see
 * (`tabThrough`), and what changed is said politely — in the status (`role="status"`), the
 * heading (one `h1`, a polite live region: who has joined), the conversation (`role="log"`)
 * or the quick-exit countdown (`aria-live="polite"`).
 *
 * Each tab order below is the product's decision, written down here: Quick exit first (the
 * way out is never more than one Tab away), then the screen's main content in reading order,
 * the message box and Send after the conversation, the chat's own actions after the box, and
 * the emergency line last, in the footer.
 */
// First: it must see (and be able to break) every WebSocket this page opens.
import { dropConnection, holdConnections, muteReceipts } from '../../testing/sockets.js';
import { namespaces } from '@kindred/protocol';
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ChatCipher } from '../../internal/e2e.js';
import {
  button,
  describeControl,
  expectAccessible,
  expectFocusVisible,
  field,
  focused,
  focusPageStart,
  role,
  shadow,
  tabThrough,
  testRelay,
  text,
  waitForText,
  type TestRelay,
} from '../../testing/harness.js';
import { cleanUp, mountSurvivor, otherTab, peerConsole, signInOnDuty, startAndAccept, survivor } from '../../testing/peer.js';
import type { KindredConsole } from '../console/console.js';
import type { KindredChatFrame } from './chat-frame.js';

async function hospitalLoaded(el: KindredChatFrame): Promise<void> {
  await waitForText(() => shadow(el), 'What stays private');
}

/** Writes `message` in the box and presses Send. */
function say(root: ShadowRoot, message: string): void {
  field(root, 'Message').value = message;
  button(root, 'Send').click();
}

/** The delivery status of our own message that reads `message`. */
function statusOf(root: ShadowRoot, message: string): string | undefined {
  const bubble = [...root.querySelectorAll('.bubble.own')].find((each) => text(each.querySelector('.text')) === message);
  return bubble?.querySelector('.delivery')?.getAttribute('data-status') ?? undefined;
}

/**
 * Names below are as Chromium computes them (checked against its accessibility tree): a
 * visually hidden part of a link is a box of its own, so "Visit website" and ": Samaritans"
 * are joined with a space (a space before a colon: nothing a listener hears).
 */

/** The one polite status of the frame: where queue position and problems are said. */
const status = (el: KindredChatFrame) => role(shadow(el), 'status');

describe('<kindred-chat-frame> accessibility', () => {
  let relay: TestRelay;

  before(async () => {
    relay = await testRelay();
  });

  // Before the fixtures go: the relay would otherwise hold their chats for its grace period.
  afterEach(cleanUp);

  describe('embedded (a stand-in shell as the parent window)', () => {
    let parentFrame: HTMLIFrameElement;

    beforeEach(() => {
      parentFrame = document.createElement('iframe');
      parentFrame.title = 'stand-in shell';
      document.body.append(parentFrame);
      // The frame talks to its shell by postMessage; nobody needs to hear it here.
      (parentFrame.contentWindow as Window).postMessage = (() => undefined) as Window['postMessage'];
    });

    afterEach(() => parentFrame.remove());

    const embedded = () => mountSurvivor(relay.url, { parent: parentFrame.contentWindow as Window, hash: `#origin=${encodeURIComponent(location.origin)}` });

    it('first screen: Quick exit, Minimise, the safety question, Start chat, the emergency line, in that order, each visibly focused', async () => {
      const el = await embedded();
      await hospitalLoaded(el);
      // Quick exit and Minimise sit on the accent-coloured header: their focus rings must
      // contrast with it, not with the white page.
      expect(await tabThrough(el)).to.deep.equal([
        'button "Quick exit"',
        'button "Minimise chat"',
        'radio "Yes"',
        'button "Start chat"',
        'link "999"',
      ]);
      await expectAccessible(el);
    });

    it('quick exit: the Shift countdown is announced politely, then nothing is left to read or focus', async () => {
      const el = await embedded();
      await hospitalLoaded(el);
      const live = shadow(el).querySelector('[aria-live="polite"]')!;
      expect(text(live)).to.equal('');
      focusPageStart();
      await sendKeys({ press: 'Shift' });
      await waitForText(() => live, 'Shift, press 2 more times to exit.');
      await expectAccessible(el);
      await sendKeys({ press: 'Shift' });
      await waitForText(() => live, 'Shift, press 1 more time to exit.');
      await sendKeys({ press: 'Shift' });
      await waitUntil(() => shadow(el).querySelectorAll('*:not(style)').length === 0, 'the frame was not blanked');
      expect(text(shadow(el))).to.equal('');
      await expectAccessible(el);
    });
  });

  it('safety question answered by keyboard: "No" brings the emergency line forward, into the tab order before Start chat', async () => {
    const el = await survivor(relay.url);
    await hospitalLoaded(el);
    focusPageStart();
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    expect(describeControl(focused()!)).to.equal('radio "Yes"');
    // Arrow keys move through a radio group and choose as they go.
    await sendKeys({ press: 'ArrowRight' });
    expect(describeControl(focused()!)).to.equal('radio "No"');
    expectFocusVisible(focused()!);
    await waitUntil(() => shadow(el).querySelector('.emergency'), 'no emergency block');
    expect(await tabThrough(el)).to.deep.equal(['button "Quick exit"', 'radio "No"', 'link "999"', 'button "Start chat"']);
    await expectAccessible(el);
  });

  it('waiting: the queue position is said in the polite status, and said again when it changes', async () => {
    const peer = await peerConsole(relay.url);
    await signInOnDuty(peer, relay.token);
    const first = await survivor(relay.url);
    const el = await mountSurvivor(relay.url, undefined, { tab: otherTab() });
    await hospitalLoaded(el);
    button(shadow(first), 'Start chat').click();
    await waitForText(() => status(first), 'You are number 1 in the queue.');
    button(shadow(el), 'Start chat').click();
    await waitForText(() => status(el), 'You are number 2 in the queue.');
    // Pressing Start chat took focus to the next thing to do: leaving the queue.
    expect(describeControl(shadow(el).activeElement!)).to.equal('button "Leave the queue"');
    expect(await tabThrough(el)).to.deep.equal([
      'button "Quick exit"',
      'button "Leave the queue"',
      'summary "Places to get help while you wait"',
      'log "Messages"',
      'textbox "Message"',
      'button "Send"',
      'link "999"',
    ]);
    await expectAccessible(el, { sharedPage: true });
    // The one ahead leaves: the same polite status says the new place.
    button(shadow(first), 'Leave the queue').click();
    await waitForText(() => status(el), 'You are number 1 in the queue.');
    await expectAccessible(el, { sharedPage: true });
  });

  it('no peer on duty: said at once in the status, with the places to get help reachable by Tab', async () => {
    const el = await survivor(relay.url);
    await hospitalLoaded(el);
    button(shadow(el), 'Start chat').click();
    await waitForText(() => status(el), 'No peer is on duty right now. You are number 1 in the queue.');
    expect(await tabThrough(el)).to.deep.equal([
      'button "Quick exit"',
      'button "Leave the queue"',
      'link "Call 116 123"',
      'link "Visit website : Samaritans (opens in a new tab)"',
      'link "Call 08 08 16 89 111"',
      'link "Visit website : Victim Support (opens in a new tab)"',
      'log "Messages"',
      'textbox "Message"',
      'button "Send"',
      'link "999"',
    ]);
    await expectAccessible(el);
  });

  it('a peer joins: said politely, by the heading', async () => {
    const peer = await peerConsole(relay.url, { tab: otherTab() });
    await signInOnDuty(peer, relay.token);
    const el = await survivor(relay.url);
    await hospitalLoaded(el);
    button(shadow(el), 'Start chat').click();
    await waitForText(() => status(el), 'You are number 1 in the queue.');
    await waitForText(() => shadow(peer), 'Waiting (1)');
    // A screen-reader user waiting hears that someone is there, without looking for it: the
    // one heading is a polite live region that stays while its words change, from "Waiting for
    // a peer" to who has joined. (Where focus goes is tested in e2e/keyboard.test.ts: here the
    // console, on the same page, takes focus into its own box as it accepts.)
    const heading = shadow(el).querySelector('h1')!;
    expect(text(heading)).to.equal('Waiting for a peer');
    expect(heading.getAttribute('aria-live')).to.equal('polite');
    button(shadow(peer), /^Accept /).click();
    await waitForText(() => heading, 'You are talking with Robin');
    expect(shadow(el).querySelector('h1'), 'the same element, so the change is announced').to.equal(heading);
    expect(shadow(el).querySelectorAll('h1').length).to.equal(1);
    await expectAccessible(el, { sharedPage: true });
  });

  it('chatting: sent, delivered and read, and a resources card, all in the log and all reachable', async () => {
    const el = await survivor(relay.url);
    const peer = await peerConsole(relay.url, { tab: otherTab() });
    await signInOnDuty(peer, relay.token);
    const name = await startAndAccept(el, peer);
    const root = shadow(el);
    const log = role(root, 'log');
    say(root, 'first, read');
    await waitUntil(() => statusOf(root, 'first, read') === 'read', 'never read');

    // The peer takes a second chat and has it on screen: ours is delivered, not read.
    const other = await mountSurvivor(relay.url, undefined, { tab: otherTab() });
    button(shadow(other), 'Start chat').click();
    await waitForText(() => shadow(peer), 'Waiting (1)');
    button(shadow(peer), /^Accept /).click();
    await waitForText(() => shadow(other), 'You are talking with Robin');
    say(root, 'second, delivered');
    await waitUntil(() => statusOf(root, 'second, delivered') === 'delivered', 'never delivered');

    // The peer's confirmations are lost on the way: the next one stays "Sent".
    const unmute = muteReceipts(namespaces.peer);
    try {
      say(root, 'third, sent');
      await waitUntil(() => statusOf(root, 'third, sent') === 'sent', 'never sent');
      button(shadow(peer), new RegExp(`^${name}`)).click();
      field<HTMLSelectElement>(shadow(peer), 'Resource').value = 'samaritans';
      button(shadow(peer), 'Share').click();
      // New messages and cards land in the log, which is polite by its role.
      await waitForText(() => log, 'Robin: Shared a resource Samaritans');
    } finally {
      unmute();
    }
    expect(log.getAttribute('aria-live')).to.equal(null);
    expect([...root.querySelectorAll('.bubble.own .delivery')].map((each) => text(each))).to.deep.equal(['✓✓ Read', '✓ Delivered', 'Sent']);
    expect(await tabThrough(el)).to.deep.equal([
      'button "Quick exit"',
      'log "Messages"',
      'link "Call 116 123"',
      'link "Visit website : Samaritans (opens in a new tab)"',
      'textbox "Message"',
      'button "Send"',
      'checkbox "Let the peer see when I have read their messages"',
      'summary "Check that this chat is private"',
      'button "End chat"',
      'button "Save a copy"',
      'link "999"',
    ]);
    await expectAccessible(el, { sharedPage: true });
  });

  it('a message that could not be verified: said in the status, and nothing unverified in the log', async () => {
    const el = await survivor(relay.url);
    const peer = await peerConsole(relay.url, { tab: otherTab() });
    await signInOnDuty(peer, relay.token);
    await startAndAccept(el, peer);
    const internals = peer as unknown as {
      selectedId: string;
      connection: { request(event: string, payload: object): Promise<{ ok: boolean }> };
      ciphers: Map<string, ChatCipher>;
    };
    const chatId = internals.selectedId;
    await waitUntil(() => internals.ciphers.get(chatId)?.keys !== undefined, 'the keys were never agreed');
    const box = (await internals.ciphers.get(chatId)!.seal('m', 1, 'tampered with'))!;
    // One character changed on the way, as a hostile relay would.
    const changed = box.slice(0, 20) + (box[20] === 'A' ? 'B' : 'A') + box.slice(21);
    await internals.connection.request('message:send', { chatId, id: 'bad-id', seq: 1, box: changed });
    await waitForText(() => status(el), 'A message could not be verified, so it is not shown.');
    expect(text(role(shadow(el), 'log'))).to.not.contain('tampered');
    await expectAccessible(el, { sharedPage: true });
  });

  it("the peer's connection drops: said in the status while the relay holds the chat", async () => {
    const el = await survivor(relay.url);
    const peer: KindredConsole = await peerConsole(relay.url, { tab: otherTab() });
    await signInOnDuty(peer, relay.token);
    await startAndAccept(el, peer);
    const release = holdConnections();
    try {
      dropConnection(namespaces.peer);
      await waitForText(() => status(el), "Robin's connection dropped. You can keep writing: your messages will be delivered if they come back.");
      await expectAccessible(el, { sharedPage: true });
    } finally {
      release();
    }
    // Back before the test ends, so signing out ends the peer's duty now and not after the
    // grace period (the no-peer-on-duty test needs an empty relay).
    await waitUntil(() => !text(status(el)).includes('dropped'), 'the peer never came back', { timeout: 15_000 });
    await waitForText(() => shadow(peer), 'You are on duty.');
  });

  it('ended by the peer: said in the status; the conversation stays readable and Start a new chat is reachable', async () => {
    const el = await survivor(relay.url);
    const peer = await peerConsole(relay.url, { tab: otherTab() });
    await signInOnDuty(peer, relay.token);
    await startAndAccept(el, peer);
    say(shadow(peer), 'Take care. Goodbye for now.');
    await waitForText(() => role(shadow(el), 'log'), 'Robin: Take care.');
    button(shadow(peer), 'End chat').click();
    await waitForText(() => status(el), 'The peer ended the chat.');
    expect(await tabThrough(el)).to.deep.equal([
      'button "Quick exit"',
      'log "Messages"',
      'button "Start a new chat"',
      'button "Save a copy"',
      // The optional "Did this chat help?" (chat-frame.feedback.test.ts), after the ways on.
      'button "Yes"',
      'button "Not really"',
      'link "999"',
    ]);
    await expectAccessible(el, { sharedPage: true });
  });
});
