// SPDX-License-Identifier: Apache-2.0
/**
 * Delivery and staying in the conversation (issue #5), the survivor's side, against real
 * relays (web-test-runner.config.mjs): a dropped connection, a reload, a relay that forgot the
 * chat, a peer who never comes back, a message nobody confirms, read marks and typing. Every
 * message must end up shown exactly once, in order, and every own message must say where it is.
 */
// First: it must see (and be able to break) every WebSocket this page opens.
import { dropConnection, forgetSession, holdConnections, muteReceipts, sentOn } from '../../testing/sockets.js';
import { namespaces } from '@kindred/protocol';
import type { ChatCipher } from '../../internal/e2e.js';
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { button, expectAccessible, field, hasButton, role, shadow, testRelay, text, waitForText, type TestRelay } from '../../testing/harness.js';
import { cleanUp, otherTab, peerConsole, signInOnDuty, startAndAccept, survivor } from '../../testing/peer.js';

/** Writes `message` in the box and presses Send. */
function say(root: ShadowRoot, message: string): void {
  field(root, 'Message').value = message;
  button(root, 'Send').click();
}

/** The texts of one side's bubbles, in order. */
function bubbles(root: ShadowRoot, side: 'own' | 'peer'): string[] {
  return [...root.querySelectorAll(`.bubble.${side} .text`)].map((each) => text(each));
}

/** The delivery status of our own message that reads `message`. */
function statusOf(root: ShadowRoot, message: string): string | undefined {
  const bubble = [...root.querySelectorAll('.bubble.own')].find((each) => text(each.querySelector('.text')) === message);
  return bubble?.querySelector('.delivery')?.getAttribute('data-status') ?? undefined;
}

/** How many `message:read` signals a namespace has sent. */
function readMarksSent(namespace: string): number {
  return sentOn(namespace).filter((packet) => packet.includes('["message:read"')).length;
}

describe('<kindred-chat-frame> delivery', () => {
  let relay: TestRelay;

  before(async () => {
    relay = await testRelay();
  });

  afterEach(cleanUp);

  it('keeps writing through a dropped connection; afterwards each message shows once, in order, both ways', async () => {
    const el = await survivor(relay.url);
    const peer = await peerConsole(relay.url);
    await signInOnDuty(peer, relay.token);
    const name = await startAndAccept(el, peer);
    const root = shadow(el);
    const peerRoot = shadow(peer);
    say(root, 'before the drop');
    await waitUntil(() => statusOf(root, 'before the drop') === 'read');

    const release = holdConnections();
    try {
      dropConnection(namespaces.survivor);
      await waitForText(() => role(root, 'status'), 'Reconnecting…');
      say(root, 'one');
      say(root, 'two');
      await el.updateComplete;
      // Written while offline: kept, shown as on their way.
      expect(statusOf(root, 'one')).to.equal('sending');
      expect(statusOf(root, 'two')).to.equal('sending');
      await expectAccessible(el, { sharedPage: true });
      await waitForText(() => role(peerRoot, 'status'), `${name}'s connection dropped. Your messages will be delivered if they come back.`);
      say(peerRoot, 'from the peer meanwhile');
      await waitUntil(() => statusOf(peerRoot, 'from the peer meanwhile') === 'sent', 'the relay did not take it');
    } finally {
      release();
    }

    await waitForText(() => role(root, 'log'), 'Robin: from the peer meanwhile', 15_000);
    await waitUntil(() => bubbles(peerRoot, 'peer').includes('two'), 'the survivor\'s messages did not arrive', { timeout: 8_000 });
    expect(bubbles(peerRoot, 'peer')).to.deep.equal(['before the drop', 'one', 'two']);
    expect(bubbles(root, 'peer')).to.deep.equal(['from the peer meanwhile']);
    await waitUntil(() => statusOf(root, 'two') === 'read' && statusOf(peerRoot, 'from the peer meanwhile') === 'read');
    expect(text(role(root, 'status'))).to.equal('');
    expect(text(role(peerRoot, 'status'))).to.equal('');
    expect(hasButton(root, 'End chat')).to.equal(true);
  });

  it('a reload takes the same chat back; what the peer wrote meanwhile arrives once', async () => {
    const el = await survivor(relay.url);
    const peer = await peerConsole(relay.url, { tab: otherTab() });
    await signInOnDuty(peer, relay.token);
    const name = await startAndAccept(el, peer);
    const peerRoot = shadow(peer);
    say(shadow(el), 'before the reload');
    await waitUntil(() => statusOf(shadow(el), 'before the reload') === 'read');
    say(peerRoot, 'first answer');
    await waitForText(() => role(shadow(el), 'log'), 'Robin: first answer');

    // The frame's page goes away (a reload, another page of the hospital site).
    el.remove();
    await waitForText(() => role(peerRoot, 'status'), `${name}'s connection dropped.`);
    expect(text(peerRoot.querySelector('.chat-tab'))).to.equal(`${name} (connection dropped)`);
    say(peerRoot, 'while you reloaded');
    await waitUntil(() => statusOf(peerRoot, 'while you reloaded') === 'sent');

    // Held until the frame has drawn: its first render waits for its strings and the hospital's
    // information, and the relay could otherwise confirm the chat first.
    const release = holdConnections();
    const again = await survivor(relay.url);
    const root = shadow(again);
    // Nothing from storage is shown before the relay confirms the chat.
    expect(text(root.querySelector('h1'))).to.equal('Taking you back to your chat');
    expect(text(root)).to.not.contain('before the reload');
    release();
    await waitForText(() => root, 'You are talking with Robin');
    await waitForText(() => role(root, 'log'), 'Robin: while you reloaded');
    expect(bubbles(root, 'own')).to.deep.equal(['before the reload']);
    expect(bubbles(root, 'peer')).to.deep.equal(['first answer', 'while you reloaded']);
    expect(statusOf(root, 'before the reload')).to.equal('read');
    await waitUntil(() => statusOf(peerRoot, 'while you reloaded') === 'read');
    expect(text(role(peerRoot, 'status'))).to.equal('');

    say(root, 'after the reload');
    await waitUntil(() => bubbles(peerRoot, 'peer').length === 2);
    expect(bubbles(peerRoot, 'peer')).to.deep.equal(['before the reload', 'after the reload']);
    await expectAccessible(again, { sharedPage: true });
  });

  it('a chat the relay no longer knows ends and says so; one button takes the survivor back to the queue, safety answer kept', async () => {
    const el = await survivor(relay.url);
    const root = shadow(el);
    const notSure = [...root.querySelectorAll('label.choice')].find((each) => text(each) === 'Not sure')!.querySelector('input')!;
    notSure.click();
    const peer = await peerConsole(relay.url, { tab: otherTab() });
    await signInOnDuty(peer, relay.token);
    await startAndAccept(el, peer);
    say(root, 'a message to keep');
    await waitUntil(() => statusOf(root, 'a message to keep') === 'read');

    // As if the relay had restarted: the reconnection's resume token means nothing to it.
    forgetSession(namespaces.survivor);
    dropConnection(namespaces.survivor);
    await waitForText(() => role(root, 'status'), 'This chat has ended because the connection was lost. You can start again.', 10_000);
    expect(sessionStorage.getItem('kindred-chat')).to.equal(null);
    expect(bubbles(root, 'own')).to.deep.equal(['a message to keep']);
    expect(hasButton(root, 'End chat')).to.equal(false);
    expect(hasButton(root, 'Start a new chat')).to.equal(false);
    await expectAccessible(el, { sharedPage: true });

    button(root, 'Start again').click();
    await waitForText(() => role(root, 'status'), 'You are number 1 in the queue.');
    // The safety answer still counts: the emergency block stays, and the place is an urgent one.
    expect(root.querySelector('.emergency')).to.not.equal(null);
    expect(bubbles(root, 'own')).to.deep.equal(['a message to keep']);
    await waitForText(() => shadow(peer), 'Waiting (1)');
  });

  it('shows the peer\'s messages by sequence number: once each, and never one after a gap', async () => {
    const el = await survivor(relay.url);
    const peer = await peerConsole(relay.url, { tab: otherTab() });
    await signInOnDuty(peer, relay.token);
    await startAndAccept(el, peer);
    const root = shadow(el);
    // Speak for the console's outbox directly, as a reconnecting sender's resends would arrive.
    const chatId = (peer as unknown as { selectedId: string }).selectedId;
    const connection = (peer as unknown as { connection: { request(event: string, payload: object): Promise<{ ok: boolean }> } }).connection;
    // Sealed with the console's own keys for this chat, once the exchange is done.
    const ciphers = (peer as unknown as { ciphers: Map<string, ChatCipher> }).ciphers;
    await waitUntil(() => ciphers.get(chatId)?.keys !== undefined, 'the keys were never agreed');
    const cipher = ciphers.get(chatId)!;
    const send = async (seq: number, id: string, message: string) =>
      connection.request('message:send', { chatId, id, seq, box: await cipher.seal('m', seq, message) });

    expect((await send(2, 'second-id', 'second')).ok).to.equal(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // An earlier one is missing: not shown (and not confirmed) until it comes.
    expect(bubbles(root, 'peer')).to.deep.equal([]);
    await send(1, 'first-id', 'first');
    await waitForText(() => role(root, 'log'), 'Robin: first');
    await send(2, 'second-id', 'second');
    await waitForText(() => role(root, 'log'), 'Robin: second');
    // The same number again, even under another id, is a repeat.
    await send(2, 'other-id', 'second, resent');
    await send(1, 'first-id', 'first');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bubbles(root, 'peer')).to.deep.equal(['first', 'second']);
  });

  it('a message the relay changed is not shown: the survivor is told it could not be verified', async () => {
    const el = await survivor(relay.url);
    const peer = await peerConsole(relay.url, { tab: otherTab() });
    await signInOnDuty(peer, relay.token);
    await startAndAccept(el, peer);
    const root = shadow(el);
    const chatId = (peer as unknown as { selectedId: string }).selectedId;
    const connection = (peer as unknown as { connection: { request(event: string, payload: object): Promise<{ ok: boolean }> } }).connection;
    const ciphers = (peer as unknown as { ciphers: Map<string, ChatCipher> }).ciphers;
    await waitUntil(() => ciphers.get(chatId)?.keys !== undefined, 'the keys were never agreed');
    const box = (await ciphers.get(chatId)!.seal('m', 1, 'tampered with'))!;
    // One character changed on the way, as a hostile relay would.
    const changed = box.slice(0, 20) + (box[20] === 'A' ? 'B' : 'A') + box.slice(21);
    expect((await connection.request('message:send', { chatId, id: 'bad-id', seq: 1, box: changed })).ok).to.equal(true);
    await waitForText(() => role(root, 'status'), 'A message could not be verified, so it is not shown.');
    expect(bubbles(root, 'peer')).to.deep.equal([]);
    // The conversation goes on: the next real message is shown.
    say(shadow(peer), 'the real one');
    await waitForText(() => role(root, 'log'), 'Robin: the real one');
  });

  it('after the timeout, a message nobody confirmed says "Not delivered"; Retry, by keyboard, delivers it once', async () => {
    const el = await survivor(relay.url);
    el.deliveryTimeout = 1_500;
    const peer = await peerConsole(relay.url, { tab: otherTab() });
    await signInOnDuty(peer, relay.token);
    await startAndAccept(el, peer);
    const root = shadow(el);

    const unmute = muteReceipts(namespaces.peer);
    try {
      say(root, 'are you there?');
      await waitForText(() => role(shadow(peer), 'log'), 'are you there?');
      await waitForText(() => role(root, 'status'), 'A message was not delivered. Press Retry to send it again.', 5_000);
      expect(statusOf(root, 'are you there?')).to.equal('failed');
      expect(text(root.querySelector('.bubble.own .delivery'))).to.equal('! Not delivered Retry');
      await expectAccessible(el, { sharedPage: true });
    } finally {
      unmute();
    }

    button(root, 'Retry').focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => statusOf(root, 'are you there?') === 'read', 'Retry did not get it delivered');
    // Shown once: the resend was a repeat, confirmed but not shown again.
    expect(bubbles(shadow(peer), 'peer')).to.deep.equal(['are you there?']);
    expect(hasButton(root, 'Retry')).to.equal(false);
    expect(text(role(root, 'status'))).to.equal('');
    expect(root.activeElement).to.equal(field(root, 'Message'));
  });

  it('read marks are on by default, and the survivor can turn them off', async () => {
    const el = await survivor(relay.url);
    const peer = await peerConsole(relay.url, { tab: otherTab() });
    await signInOnDuty(peer, relay.token);
    await startAndAccept(el, peer);
    const root = shadow(el);
    const peerRoot = shadow(peer);
    const box = field<HTMLInputElement>(root, 'Let the peer see when I have read their messages');
    expect(box.type).to.equal('checkbox');
    expect(box.checked).to.equal(true);
    say(peerRoot, 'seen?');
    await waitUntil(() => statusOf(peerRoot, 'seen?') === 'read');

    box.click();
    const before = readMarksSent(namespaces.survivor);
    say(peerRoot, 'and this one?');
    await waitForText(() => role(root, 'log'), 'Robin: and this one?');
    await waitUntil(() => statusOf(peerRoot, 'and this one?') === 'delivered');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(statusOf(peerRoot, 'and this one?')).to.equal('delivered');
    expect(readMarksSent(namespaces.survivor)).to.equal(before);

    box.click();
    await waitUntil(() => statusOf(peerRoot, 'and this one?') === 'read');
    await expectAccessible(el, { sharedPage: true });
  });

  it('typing goes as a signal with no ack, at most once per 3 s, and clears itself about 6 s after the last', async () => {
    const el = await survivor(relay.url);
    const peer = await peerConsole(relay.url, { tab: otherTab() });
    await signInOnDuty(peer, relay.token);
    const name = await startAndAccept(el, peer);
    const root = shadow(el);

    const typingSent = () => sentOn(namespaces.survivor).filter((packet) => packet.includes('["typing:set"'));
    const before = typingSent().length;
    field(root, 'Message').focus();
    await sendKeys({ type: 'I am typing a longer message' });
    await waitForText(() => shadow(peer), `${name} is typing…`);
    const sent = typingSent().slice(before);
    expect(sent).to.deep.equal([`42${namespaces.survivor},["typing:set",{"typing":true}]`]);

    // The peer's "true" with no "false" after it (a lost volatile packet, say).
    const chatId = (peer as unknown as { selectedId: string }).selectedId;
    (peer as unknown as { connection: { signal(event: string, payload: object, options: object): void } }).connection.signal(
      'typing:set',
      { chatId, typing: true },
      { volatile: true },
    );
    await waitForText(() => root.querySelector('.typing'), 'Robin is typing…');
    const shownAt = Date.now();
    await waitUntil(() => text(root.querySelector('.typing')) === '', 'typing never cleared', { timeout: 8_000, interval: 100 });
    expect(Date.now() - shownAt).to.be.within(4_500, 7_500);
  });

  it('a peer who does not come back: the survivor is told, waits first in line with the conversation, and the next peer gets what was not delivered', async () => {
    const el = await survivor(relay.shortGraceUrl);
    const first = await peerConsole(relay.shortGraceUrl, { tab: otherTab() });
    await signInOnDuty(first, relay.token);
    await startAndAccept(el, first);
    const root = shadow(el);
    say(shadow(first), 'hello from the first peer');
    await waitForText(() => role(root, 'log'), 'Robin: hello from the first peer');
    say(root, 'delivered before');
    await waitUntil(() => statusOf(root, 'delivered before') === 'read');

    first.remove();
    await waitForText(() => role(root, 'status'), "Robin's connection dropped. You can keep writing: your messages will be delivered if they come back.");
    say(root, 'written while they were away');
    await waitUntil(() => statusOf(root, 'written while they were away') === 'sent');

    await waitForText(() => role(root, 'status'), "Your peer's connection was lost. Your conversation stays here.", 6_000);
    expect(text(role(root, 'status'))).to.contain('You are first in line for the next peer.');
    expect(text(root.querySelector('h1'))).to.equal('Waiting for a peer');
    expect(bubbles(root, 'peer')).to.deep.equal(['hello from the first peer']);
    expect(statusOf(root, 'delivered before')).to.equal('read');
    expect(statusOf(root, 'written while they were away')).to.equal('queued');
    await expectAccessible(el, { sharedPage: true });

    const next = await peerConsole(relay.shortGraceUrl, { tab: otherTab() });
    await signInOnDuty(next, relay.token);
    await waitForText(() => shadow(next), 'Waiting (1)');
    button(shadow(next), /^Accept /).click();
    await waitForText(() => root, 'You are talking with Robin');
    await waitForText(() => role(shadow(next), 'log'), 'written while they were away');
    // The next peer gets only what the last one did not, numbered afresh (else it would wait for 1).
    expect(bubbles(shadow(next), 'peer')).to.deep.equal(['written while they were away']);
    await waitUntil(() => statusOf(root, 'written while they were away') === 'read');
    say(shadow(next), 'I am here now');
    await waitForText(() => role(root, 'log'), 'Robin: I am here now');
    expect(bubbles(root, 'peer')).to.deep.equal(['hello from the first peer', 'I am here now']);
  });
});
