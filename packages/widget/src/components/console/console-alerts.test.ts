// SPDX-License-Identifier: Apache-2.0
/**
 * The console's canned responses, and what it does while its tab is hidden (title badge,
 * unread counts, optional sound). Real relay (its hospital has two canned responses, see
 * web-test-runner.config.mjs), real survivors' frames on the same page, each in a tab of its own.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { button, expectAccessible, field, role, shadow, testRelay, text, waitForText, type TestRelay } from '../../testing/harness.js';
import { cleanUp, mountSurvivor, otherTab, peerConsole, signInOnDuty, startAndAccept, survivor } from '../../testing/peer.js';

/** Writes `message` in the box and presses Send. */
function say(root: ShadowRoot, message: string): void {
  field(root, 'Message').value = message;
  button(root, 'Send').click();
}

/**
 * Makes the page read as hidden (or shown again) and tells it, as the browser does when the
 * peer switches tabs. The test runner drives one visible tab and cannot put it in the
 * background; the console reads nothing but `document.visibilityState` and the
 * `visibilitychange` event, so overriding the one and dispatching the other is exactly what it
 * sees of a real hidden tab.
 */
function setHidden(hidden: boolean): void {
  if (hidden) Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
  // Deleting the own property uncovers the real getter on Document.prototype.
  else delete (document as { visibilityState?: DocumentVisibilityState }).visibilityState;
  document.dispatchEvent(new Event('visibilitychange'));
}

/**
 * Counts oscillators started on any AudioContext. A spy on the real WebAudio prototype rather
 * than a seam in the console: the sound code runs as shipped, and the test observes the one
 * thing a headless browser can (the chime starting), since nobody can listen to it.
 */
function spyOnChimes(): { started: () => number; restore: () => void } {
  const original = AudioContext.prototype.createOscillator;
  let started = 0;
  AudioContext.prototype.createOscillator = function (this: AudioContext) {
    const oscillator = original.call(this);
    const start = oscillator.start.bind(oscillator);
    oscillator.start = (when?: number) => {
      started += 1;
      start(when);
    };
    return oscillator;
  };
  return { started: () => started, restore: () => void (AudioContext.prototype.createOscillator = original) };
}

describe('<kindred-console> canned responses and alerts', () => {
  let relay: TestRelay;
  // The relay's /console page (packages/widget/pages/console.html) has this title; the test page has none.
  const title = 'Kindred peer console';

  before(async () => {
    relay = await testRelay();
    document.title = title;
  });

  afterEach(cleanUp);
  afterEach(() => {
    setHidden(false);
    document.title = title;
  });

  it('inserts a canned response at the caret, to edit, and sends it only on Send', async () => {
    const el = await peerConsole(relay.url);
    await signInOnDuty(el, relay.token);
    const frame = await survivor(relay.url, { tab: otherTab() });
    await startAndAccept(frame, el);
    const root = shadow(el);
    await expectAccessible(el, { sharedPage: true });

    const box = field(root, 'Message');
    box.focus();
    await sendKeys({ type: 'Hello. ' });
    // By keyboard: Tab past Send to the list, choose the second response, Tab to Insert.
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    const select = field<HTMLSelectElement>(root, 'Response');
    expect(root.activeElement).to.equal(select);
    select.value = 'take-your-time';
    await sendKeys({ press: 'Tab' });
    expect(root.activeElement).to.equal(button(root, 'Insert'));
    await sendKeys({ press: 'Enter' });
    expect(box.value).to.equal('Hello. Take all the time you need.');
    expect(root.activeElement, 'back in the box, to edit it').to.equal(box);
    // Nothing went.
    expect(text(role(root, 'log'))).to.not.contain('Take all the time');

    // Edited, then sent with Send: one message, as edited (the choice sent nothing of its own).
    await sendKeys({ type: ' I am here.' });
    button(root, 'Send').click();
    await waitForText(() => role(shadow(frame), 'log'), 'Robin: Hello. Take all the time you need. I am here.');
    expect(box.value).to.equal('');
    const fromRobin = [...role(shadow(frame), 'log').querySelectorAll('.bubble.peer .text')].map((each) => text(each));
    expect(fromRobin).to.deep.equal(['Hello. Take all the time you need. I am here.']);
  });

  it('replaces the selected text, and says so when a response would not fit', async () => {
    const el = await peerConsole(relay.url);
    await signInOnDuty(el, relay.token);
    const frame = await survivor(relay.url, { tab: otherTab() });
    await startAndAccept(frame, el);
    const root = shadow(el);
    const box = field(root, 'Message');
    box.value = 'Hi! XXX See you.';
    box.setSelectionRange(4, 7);
    field<HTMLSelectElement>(root, 'Response').value = 'welcome';
    button(root, 'Insert').click();
    expect(box.value).to.equal('Hi! I am glad you reached out. See you.');

    box.value = 'x'.repeat(1_990);
    box.setSelectionRange(1_990, 1_990);
    button(root, 'Insert').click();
    expect(box.value).to.equal('x'.repeat(1_990));
    await waitForText(() => role(root, 'status'), 'That response does not fit in the message box. Shorten your message first.');
  });

  it('while the tab is hidden, badges the title with new survivors and unread messages, and clears it when shown', async () => {
    const el = await peerConsole(relay.url);
    await signInOnDuty(el, relay.token);
    const frame = await survivor(relay.url, { tab: otherTab() });
    const name = await startAndAccept(frame, el);
    const root = shadow(el);
    const chatTab = () => button(root, new RegExp(`^${name}`));

    setHidden(true);
    expect(document.title, 'nothing to badge yet').to.equal(title);
    // A message in the chat on screen: unseen, since the tab is not.
    say(shadow(frame), 'are you there?');
    await waitUntil(() => document.title === `(1) ${title}`, `title is "${document.title}"`);
    await waitForText(chatTab, `${name} (1 unread)`);
    // Someone new starts waiting.
    const second = await mountSurvivor(relay.url, undefined, { tab: otherTab() });
    button(shadow(second), 'Start chat').click();
    await waitUntil(() => document.title === `(2) ${title}`, `title is "${document.title}"`);

    setHidden(false);
    expect(document.title).to.equal(title);
    await waitUntil(() => text(chatTab()) === name, `the chat list says "${text(chatTab())}"`);
    await expectAccessible(el, { sharedPage: true });
  });

  it('sound alerts are off by default; turned on, a new message and a new survivor each play a chime', async () => {
    const chimes = spyOnChimes();
    try {
      const el = await peerConsole(relay.url);
      await signInOnDuty(el, relay.token);
      const root = shadow(el);
      const toggle = button(root, 'Sound alerts');
      expect(toggle.getAttribute('aria-pressed')).to.equal('false');
      const frame = await survivor(relay.url, { tab: otherTab() });
      await startAndAccept(frame, el);
      setHidden(true);
      say(shadow(frame), 'first');
      await waitForText(() => role(root, 'log'), 'first');
      expect(chimes.started(), 'silent while off').to.equal(0);

      setHidden(false);
      toggle.focus();
      await sendKeys({ press: 'Enter' });
      expect(toggle.getAttribute('aria-pressed')).to.equal('true');
      expect(sessionStorage.getItem('kindred-console-sound'), 'remembered for this tab').to.equal('on');
      setHidden(true);
      say(shadow(frame), 'second');
      await waitUntil(() => chimes.started() > 0, 'a chime for the new message');
      const afterMessage = chimes.started();

      const second = await mountSurvivor(relay.url, undefined, { tab: otherTab() });
      button(shadow(second), 'Start chat').click();
      await waitUntil(() => chimes.started() > afterMessage, 'a chime for the new survivor');
      setHidden(false);
      await expectAccessible(el, { sharedPage: true });

      // Off again: forgotten in this tab.
      toggle.click();
      await el.updateComplete;
      expect(toggle.getAttribute('aria-pressed')).to.equal('false');
      expect(sessionStorage.getItem('kindred-console-sound')).to.equal(null);

      // On again, then signed out: the next shift in this tab starts silent.
      toggle.click();
      expect(sessionStorage.getItem('kindred-console-sound')).to.equal('on');
      await el.signOut();
      expect(sessionStorage.getItem('kindred-console-sound')).to.equal(null);
    } finally {
      chimes.restore();
    }
  });
});
