// SPDX-License-Identifier: Apache-2.0
/**
 * The peer's shift in the console (components/console-shift): a break, the shift's time, the
 * break reminder and the private debrief. Real relay (its hospital keeps the default wellbeing
 * settings: a reminder after 90 minutes without a break, and a debrief after each chat), real
 * survivors' frames on the same page, each in a tab of its own, and a supervisor's console for
 * what the board counts.
 */
// First: it must see every WebSocket this page opens (what the debrief must never send).
import { sentOn } from '../../testing/sockets.js';
import { namespaces } from '@kindred/protocol';
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { button, expectAccessible, field, focused, hasButton, role, shadow, testRelay, text, waitForText, type TestRelay } from '../../testing/harness.js';
import { signInAs } from '../../testing/matching.js';
import { cleanUp, otherTab, peerConsole, signInOnDuty, startAndAccept, survivor, testToken } from '../../testing/peer.js';
import type { KindredConsole } from '../console/console.js';
import { formatDuration } from './console-shift.js';

/** A figure on the supervisor's board, by its name ("Peers on a break"), as shown. */
function figure(el: KindredConsole, name: string): string {
  const term = [...shadow(el).querySelectorAll('.board-figures dt')].find((each) => text(each) === name);
  if (!term) throw new Error(`no board figure "${name}"`);
  return text(term.nextElementSibling);
}

/** Writes `message` in the box and presses Send. */
function say(root: ShadowRoot, message: string): void {
  field(root, 'Message').value = message;
  button(root, 'Send').click();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('<kindred-console> shift: breaks, the reminder and the debrief', () => {
  let relay: TestRelay;

  before(async () => {
    relay = await testRelay();
  });

  // Before the fixtures go: the relay would otherwise hold their chats for its grace period.
  afterEach(cleanUp);

  it('a break keeps the open chat, offers nobody new, and the supervisors see the peer on a break', async () => {
    const supervisor = await peerConsole(relay.url, { tab: otherTab() });
    await signInAs(supervisor, await testToken('Sam', 'supervisor'), 'Sam', { onDuty: false });
    await waitForText(() => shadow(supervisor), 'Live board');
    const onBreakBefore = Number(figure(supervisor, 'Peers on a break'));
    const waitingBefore = Number(figure(supervisor, 'Waiting'));

    const el = await peerConsole(relay.url);
    await signInOnDuty(el, relay.token);
    const root = shadow(el);
    const first = await survivor(relay.url, { tab: otherTab() });
    const name = await startAndAccept(first, el);

    button(root, 'Take a break').click();
    await waitForText(() => root, 'You are on a break.');
    expect(root.querySelector('.duty-state')?.getAttribute('aria-live'), 'the new state is announced').to.equal('polite');
    await waitUntil(() => Number(figure(supervisor, 'Peers on a break')) === onBreakBefore + 1, 'the board counts the peer on a break');
    // The open chat goes on during the break.
    say(shadow(first), 'Are you still there?');
    await waitForText(() => role(root, 'log'), `${name}: Are you still there?`);
    await expectAccessible(el, { sharedPage: true });

    // Someone new starts waiting: the board sees them, the peer on a break is not offered them.
    const second = await survivor(relay.url, { tab: otherTab() });
    button(shadow(second), 'Start chat').click();
    await waitUntil(() => Number(figure(supervisor, 'Waiting')) === waitingBefore + 1, 'the board counts the survivor waiting');
    expect(text(root)).to.not.contain('Waiting (');
    expect(hasButton(root, /^Accept /), 'no Accept on a break').to.equal(false);
    expect(root.querySelector('.offer'), 'no offer on a break').to.equal(null);

    // Back from the break: the waiting survivor is there to accept, and the board counts one fewer on a break.
    button(root, 'End break').click();
    await waitForText(() => root, 'You are on duty.');
    await waitForText(() => root, 'Waiting (1)');
    expect(hasButton(root, /^Accept /)).to.equal(true);
    await waitUntil(() => Number(figure(supervisor, 'Peers on a break')) === onBreakBefore, 'the break is over on the board');
  });

  it('the shift shows how long it has lasted while on duty or on a break, and not off duty', async () => {
    const el = await peerConsole(relay.url);
    const root = shadow(el);
    await signInAs(el, relay.token, 'Robin', { onDuty: false });
    expect(text(root)).to.not.contain('On duty for');
    button(root, 'Go on duty').click();
    await waitForText(() => root.querySelector('.shift-time'), 'On duty for 0 min');
    button(root, 'Take a break').click();
    await waitForText(() => root, 'You are on a break.');
    expect(text(root.querySelector('.shift-time'))).to.equal('On duty for 0 min');
    button(root, 'Go off duty').click();
    await waitForText(() => root, 'You are off duty.');
    expect(root.querySelector('.shift-time')).to.equal(null);
    expect(hasButton(root, 'End break')).to.equal(false);
  });

  it('words durations with Intl, in the console’s language', () => {
    expect(formatDuration(65 * 60_000, 'en')).to.equal('1 hr 5 min');
    expect(formatDuration(12 * 60_000 + 59_000, 'en')).to.equal('12 min');
    expect(formatDuration(45_000, 'en', { seconds: true })).to.equal('45 sec');
    expect(formatDuration(65 * 60_000, 'es')).to.not.equal('1 hr 5 min');
    expect(formatDuration(65 * 60_000, 'ar')).to.not.equal('1 hr 5 min');
  });

  it('reminds the peer to take a break after the hospital’s time on duty: politely, without taking focus; Dismiss puts it off', async () => {
    const el = await peerConsole(relay.url);
    // The relay's 90 minutes, at 20 ms a minute: under two seconds.
    el.breakMinuteMs = 20;
    const root = shadow(el);
    await signInOnDuty(el, relay.token);
    const offDuty = button(root, 'Go off duty');
    offDuty.focus();
    const reminder = () => root.querySelector('.break-reminder');
    await waitForText(reminder, /^You have been on duty for 1 hr 3\d min without a break\./);
    expect(reminder()?.getAttribute('aria-live'), 'announced politely').to.equal('polite');
    expect(reminder()?.querySelector('[role="dialog"], [role="alertdialog"], dialog')).to.equal(null);
    expect(focused(), 'focus stays where the peer was').to.equal(offDuty);
    await expectAccessible(el);

    // Dismiss: gone, and focus goes on to Take a break (what it was about), not the page top.
    button(root, 'Dismiss').click();
    await waitUntil(() => text(reminder()) === '', 'the reminder goes');
    expect(focused()).to.equal(button(root, 'Take a break'));
    // Still no break: it comes back after the same time again.
    await waitForText(reminder, /without a break/);

    // A break puts it away, and it does not come back during the break.
    button(root, 'Take a break').click();
    await waitForText(() => root, 'You are on a break.');
    expect(text(reminder())).to.equal('');
    await sleep(2_500);
    expect(text(reminder()), 'no reminder on a break').to.equal('');
    // Back on duty, it counts from the end of the break.
    button(root, 'End break').click();
    await waitForText(() => root, 'You are on duty.');
    expect(text(reminder())).to.equal('');
    await waitForText(reminder, /without a break/);
  });

  it('after a chat ends, offers a private debrief whose words go nowhere and are cleared on Done', async () => {
    const el = await peerConsole(relay.url);
    await signInOnDuty(el, relay.token);
    const root = shadow(el);
    const frame = await survivor(relay.url, { tab: otherTab() });
    const name = await startAndAccept(frame, el);
    expect(root.querySelector('.debrief'), 'no debrief during a chat').to.equal(null);
    button(shadow(frame), 'End chat').click();
    await waitForText(() => role(root, 'status'), `${name} ended the chat.`);
    await waitForText(() => root, 'How are you after that chat?');
    const heard = [...root.querySelectorAll('[aria-live="polite"]')].map((each) => text(each));
    expect(heard, 'its opening is said politely').to.include('How are you after that chat?');
    await expectAccessible(el, { sharedPage: true });

    // Typed as a person types, key by key, into the private box.
    const canary = 'debrief-canary-7f3a9c';
    field(root, 'Private notes').focus();
    await sendKeys({ type: `I felt shaken ${canary}` });
    expect(field(root, 'Private notes').value).to.contain(canary);
    await sleep(500);
    expect(sentOn(namespaces.peer).join('\n'), 'nothing of it went to the relay').to.not.contain(canary);
    expect(JSON.stringify({ ...sessionStorage }), 'nothing of it is in storage').to.not.contain(canary);
    expect(text(shadow(frame))).to.not.contain(canary);

    button(root, 'Done').click();
    await waitUntil(() => root.querySelector('.debrief') === null, 'the debrief closes');
    expect(text(root)).to.not.contain(canary);
    expect(focused(), 'focus goes on to the chat list, not the page top').to.equal(root.querySelector('#chats-heading'));

    // The next chat's debrief starts empty.
    button(root, `${name} (ended)`).click();
    button(root, 'Close').click();
    const next = await survivor(relay.url, { tab: otherTab() });
    await startAndAccept(next, el);
    button(root, 'End chat').click();
    await waitForText(() => root, 'How are you after that chat?');
    expect(field(root, 'Private notes').value).to.equal('');
  });
});
