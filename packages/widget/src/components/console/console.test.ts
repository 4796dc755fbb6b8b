// SPDX-License-Identifier: Apache-2.0
/** The peer console against a real relay (started by web-test-runner.config.mjs). */
// First: it must see (and be able to break) every WebSocket this page opens.
import { dropConnection, forgetSession, holdConnections, sentOn } from '../../testing/sockets.js';
import { namespaces } from '@kindred/protocol';
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { consoleStore } from '../../internal/session-store-console.js';
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

describe('<kindred-console>', () => {
  let relay: TestRelay;

  before(async () => {
    relay = await testRelay();
  });

  // Before the fixtures go: the relay would otherwise hold their chats for its grace period.
  afterEach(cleanUp);

  afterEach(() => {
    history.replaceState(null, '', location.pathname + location.search);
  });

  it('asks for a peer token when the address has none', async () => {
    const el = await peerConsole(relay.url);
    const root = shadow(el);
    expect(field<HTMLInputElement>(root, 'Peer token').type).to.equal('text');
    expect(hasButton(root, 'Sign in')).to.equal(true);
    await expectAccessible(el);
  });

  it('shows the protocol message for a refused token, and the form again', async () => {
    const el = await peerConsole(relay.url);
    const root = shadow(el);
    field<HTMLInputElement>(root, 'Peer token').value = 'not-a-token';
    button(root, 'Sign in').click();
    await waitForText(() => role(root, 'status'), 'Sign-in failed. Ask your coordinator for a new link.');
    expect(hasButton(root, 'Sign in')).to.equal(true);
    expect(field<HTMLInputElement>(root, 'Peer token').value).to.equal('');
    await expectAccessible(el);
  });

  it('signs in from #token= and removes it from the address bar', async () => {
    history.replaceState(null, '', `${location.pathname}${location.search}#token=${relay.token}`);
    const el = await peerConsole(relay.url);
    expect(location.hash).to.equal('');
    expect(location.href).to.not.contain(relay.token);
    await waitForText(() => shadow(el), 'Signed in as Robin');
    expect(text(shadow(el))).to.contain('You are off duty.');
    // Off duty: no waiting list.
    expect(text(shadow(el))).to.not.contain('Waiting (');
    await expectAccessible(el);
    button(shadow(el), 'Go on duty').click();
    await waitForText(() => shadow(el), 'Waiting (0)');
    await expectAccessible(el);
    button(shadow(el), 'Go off duty').click();
    await waitForText(() => shadow(el), 'You are off duty.');
  });

  it('accepts a survivor, chats with Enter and Shift+Enter, and closes an ended chat', async () => {
    const el = await peerConsole(relay.url);
    await signInOnDuty(el, relay.token);
    const frame = await survivor(relay.url);
    const root = shadow(el);
    button(shadow(frame), 'Start chat').click();
    await waitForText(() => root, 'Waiting (1)');
    const waiting = text(root.querySelector('.entry'));
    expect(waiting).to.match(/waiting less than a minute/);
    await expectAccessible(el, { sharedPage: true });
    button(root, /^Accept /).click();
    await waitForText(() => root, 'Chat with ');
    const survivorName = text(root.querySelector('#conversation-heading')).replace(/^Chat with /, '');
    await waitForText(() => shadow(frame), 'You are talking with Robin');
    await expectAccessible(el, { sharedPage: true });

    const box = field(root, 'Message');
    box.focus();
    await sendKeys({ type: 'Hi, I am here' });
    await waitForText(() => shadow(frame), 'Robin is typing…');
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ up: 'Shift' });
    expect(box.value).to.equal('Hi, I am here\n');
    await sendKeys({ type: 'take your time' });
    await sendKeys({ press: 'Enter' });
    expect(box.value).to.equal('');
    await waitForText(() => role(root, 'log'), 'You: Hi, I am here take your time');
    // The survivor's frame shows it, in view, with read marks on (the default).
    await waitForText(() => role(root, 'log'), 'Read');
    await waitForText(() => role(shadow(frame), 'log'), 'Robin: Hi, I am here');

    // The survivor writes back; the chat list shows the name.
    const frameBox = field(shadow(frame), 'Message');
    frameBox.focus();
    await sendKeys({ type: 'thank you' });
    await sendKeys({ press: 'Enter' });
    await waitForText(() => role(root, 'log'), `${survivorName}: thank you`);
    expect(text(root.querySelector('.chat-tab'))).to.contain(survivorName);

    button(shadow(frame), 'End chat').click();
    await waitForText(() => root, `${survivorName} ended the chat.`);
    expect(text(role(root, 'log'))).to.contain('thank you');
    expect(hasButton(root, 'End chat')).to.equal(false);
    await expectAccessible(el, { sharedPage: true });
    button(root, 'Close').click();
    await waitForText(() => root, 'No chats yet.');
  });

  it('after Close, moves focus to the next chat, and to the "Your chats" heading when none is left', async () => {
    const el = await peerConsole(relay.url);
    await signInOnDuty(el, relay.token);
    // Each survivor in a tab of their own, as in real use.
    const first = await survivor(relay.url, { tab: otherTab() });
    const firstName = await startAndAccept(first, el);
    const second = await survivor(relay.url, { tab: otherTab() });
    const secondName = await startAndAccept(second, el);
    const root = shadow(el);
    const focused = () => root.activeElement as HTMLElement | null;

    // Accepting showed the second chat; its survivor ends it, and the peer closes it by keyboard.
    button(shadow(second), 'End chat').click();
    await waitForText(() => root, `${secondName} ended the chat.`);
    button(root, 'Close').focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => focused()?.localName === 'button', `focus is on ${focused()?.localName ?? 'nothing'}`);
    expect(text(focused())).to.equal(firstName);
    expect(text(root.querySelector('#conversation-heading'))).to.equal(`Chat with ${firstName}`);

    button(shadow(first), 'End chat').click();
    await waitForText(() => root, `${firstName} ended the chat.`);
    button(root, 'Close').focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => focused()?.localName === 'h2', `focus is on ${focused()?.localName ?? 'nothing'}`);
    expect(text(focused())).to.equal('Your chats');
    expect(text(root)).to.contain('No chats yet.');
    await expectAccessible(el, { sharedPage: true });
  });

  it('after its connection drops, takes its chats back; what both sides wrote meanwhile arrives once, in order', async () => {
    const el = await peerConsole(relay.url);
    await signInOnDuty(el, relay.token);
    const frame = await survivor(relay.url, { tab: otherTab() });
    const survivorName = await startAndAccept(frame, el);
    const root = shadow(el);
    const frameRoot = shadow(frame);
    say(root, 'before the drop');
    await waitUntil(() => statusOf(root, 'before the drop') === 'read');

    const release = holdConnections();
    try {
      dropConnection(namespaces.peer);
      await waitForText(() => role(root, 'status'), 'Reconnecting…');
      // The peer keeps writing, and shares a card: both wait in the outbox.
      say(root, 'written while offline');
      field<HTMLSelectElement>(root, 'Resource').value = 'samaritans';
      button(root, 'Share').click();
      await el.updateComplete;
      expect(statusOf(root, 'written while offline')).to.equal('sending');
      await waitForText(() => role(frameRoot, 'status'), "Robin's connection dropped. You can keep writing: your messages will be delivered if they come back.");
      say(frameRoot, 'survivor wrote meanwhile');
      await waitUntil(() => statusOf(frameRoot, 'survivor wrote meanwhile') === 'sent');
    } finally {
      release();
    }

    await waitForText(() => role(root, 'log'), `${survivorName}: survivor wrote meanwhile`, 15_000);
    await waitForText(() => role(frameRoot, 'log'), 'Robin: Shared a resource Samaritans');
    // Signed in, on duty and chatting still: nothing ended.
    expect(text(root)).to.contain('You are on duty.');
    expect(hasButton(root, 'End chat')).to.equal(true);
    expect(text(role(root, 'status'))).to.equal('');
    expect(text(role(frameRoot, 'status'))).to.equal('');
    // Once each, in the order written: the message, then the card.
    const frameLog = [...frameRoot.querySelectorAll('.bubble.peer')].map((each) => text(each));
    expect(frameLog.length).to.equal(3);
    expect(frameLog.slice(0, 2)).to.deep.equal(['Robin: before the drop', 'Robin: written while offline']);
    expect(frameLog[2]).to.match(/^Robin: Shared a resource Samaritans/);
    expect(bubbles(root, 'peer')).to.deep.equal(['survivor wrote meanwhile']);
    await waitUntil(() => statusOf(root, 'written while offline') === 'read' && statusOf(frameRoot, 'survivor wrote meanwhile') === 'read');
    await expectAccessible(el, { sharedPage: true });
  });

  it('a reloaded console comes back with the resume token alone, its chats and transcripts with it', async () => {
    const el = await peerConsole(relay.url);
    await signInOnDuty(el, relay.token);
    const frame = await survivor(relay.url, { tab: otherTab() });
    const survivorName = await startAndAccept(frame, el);
    const frameRoot = shadow(frame);
    say(shadow(el), 'hello before the reload');
    await waitForText(() => role(frameRoot, 'log'), 'Robin: hello before the reload');
    // The sign-in token is never stored; the session token is.
    expect(JSON.stringify({ ...sessionStorage })).to.not.contain(relay.token);
    expect(sessionStorage.getItem('kindred-console')).to.contain('hello before the reload');

    el.remove();
    await waitForText(() => role(frameRoot, 'status'), "Robin's connection dropped.");
    say(frameRoot, 'are you still there?');
    await waitUntil(() => statusOf(frameRoot, 'are you still there?') === 'sent');

    const again = await peerConsole(relay.url);
    const root = shadow(again);
    await waitForText(() => root, 'Signed in as Robin');
    expect(text(root)).to.contain('You are on duty.');
    await waitForText(() => role(root, 'log'), `${survivorName}: are you still there?`);
    expect(bubbles(root, 'own')).to.deep.equal(['hello before the reload']);
    expect(bubbles(root, 'peer')).to.deep.equal(['are you still there?']);
    await waitUntil(() => statusOf(frameRoot, 'are you still there?') === 'read');
    await waitUntil(() => text(role(frameRoot, 'status')) === '');
    say(root, 'yes, still here');
    await waitForText(() => role(frameRoot, 'log'), 'Robin: yes, still here');
    expect([...frameRoot.querySelectorAll('.bubble.peer .text')].map((each) => text(each))).to.deep.equal([
      'hello before the reload',
      'yes, still here',
    ]);
    expect(JSON.stringify({ ...sessionStorage })).to.not.contain(relay.token);
    await expectAccessible(again, { sharedPage: true });
  });

  it('a reloaded console whose session the relay no longer has shows the sign-in form and says why', async () => {
    consoleStore.save({
      // Shaped like the relay's signed resume tokens, but signed by nobody: the relay refuses it.
      resume: 'eyJhbGciOiJIUzI1NiJ9.eyJzaWQiOiJBQUFBQUFBQUFBQUFBQUFBQUFBQUFBIn0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      chats: [{ chatId: 'BBBBBBBBBBBBBBBBBBBBBB', survivorName: 'Quiet Fern 12', expectedSeq: 2, unread: 0, messages: [
        { id: 'x1', own: false, sender: 'Quiet Fern 12', text: 'an old message', status: 'delivered', at: 1 },
      ] }],
    });
    const el = await peerConsole(relay.url);
    const root = shadow(el);
    await waitForText(() => role(root, 'status'), 'Your session has ended. Sign in again with your link to go on duty.');
    expect(hasButton(root, 'Sign in')).to.equal(true);
    // What was stored was never shown, and is gone.
    expect(text(root)).to.not.contain('an old message');
    expect(text(root)).to.not.contain('Quiet Fern 12');
    expect(sessionStorage.getItem('kindred-console')).to.equal(null);
    await expectAccessible(el);
  });

  it('the relay no longer knowing the session ends its chats, says so, and puts the peer back on duty', async () => {
    const el = await peerConsole(relay.url);
    await signInOnDuty(el, relay.token);
    const frame = await survivor(relay.url, { tab: otherTab() });
    const survivorName = await startAndAccept(frame, el);
    const root = shadow(el);
    // As if the relay had restarted: the token in memory signs the peer in afresh.
    forgetSession(namespaces.peer);
    dropConnection(namespaces.peer);
    await waitForText(() => role(root, 'status'), 'Your connection was lost for too long, so your chats ended. You are on duty again.', 10_000);
    expect(text(root.querySelector('.ended'))).to.equal('Your connection was lost, so the chat ended.');
    expect(text(root.querySelector('.chat-tab'))).to.equal(`${survivorName} (ended)`);
    expect(hasButton(root, 'End chat')).to.equal(false);
    expect(() => field(root, 'Message')).to.throw();
    expect(text(root)).to.contain('You are on duty.');
    await expectAccessible(el, { sharedPage: true });
    // The relay holds the old session for its grace period: the survivor hears the peer is away.
    await waitForText(() => role(shadow(frame), 'status'), "Robin's connection dropped.");
  });

  it('marks what a survivor wrote read only once the peer has that chat on screen', async () => {
    const el = await peerConsole(relay.url);
    await signInOnDuty(el, relay.token);
    const first = await survivor(relay.url, { tab: otherTab() });
    const firstName = await startAndAccept(first, el);
    const second = await survivor(relay.url, { tab: otherTab() });
    await startAndAccept(second, el);
    const root = shadow(el);
    // The second chat is on screen; the first survivor writes.
    say(shadow(first), 'in the other chat');
    await waitUntil(() => statusOf(shadow(first), 'in the other chat') === 'delivered');
    await waitForText(() => root.querySelector('.chat-tab'), `${firstName} (1 unread)`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(statusOf(shadow(first), 'in the other chat')).to.equal('delivered');
    button(root, `${firstName} (1 unread)`).click();
    await waitUntil(() => statusOf(shadow(first), 'in the other chat') === 'read');
    // Peers always send read marks, as signals (no ack id on the wire).
    const reads = sentOn(namespaces.peer).filter((packet) => packet.includes('["message:read"'));
    expect(reads.at(-1)).to.match(/^42\/peer,\["message:read",\{"chatId":"[A-Za-z0-9_-]{22}","seq":1\}\]$/);
  });

  it('Sign out ends its chats, goes off duty and wipes what this tab kept', async () => {
    const el = await peerConsole(relay.url);
    await signInOnDuty(el, relay.token);
    const frame = await survivor(relay.url, { tab: otherTab() });
    await startAndAccept(frame, el);
    const root = shadow(el);
    expect(sessionStorage.getItem('kindred-console')).to.not.equal(null);
    button(root, 'Sign out').click();
    await waitForText(() => role(root, 'status'), 'You signed out.');
    expect(hasButton(root, 'Sign in')).to.equal(true);
    expect(sessionStorage.getItem('kindred-console')).to.equal(null);
    await waitForText(() => role(shadow(frame), 'status'), 'The peer ended the chat.');
    await expectAccessible(el, { sharedPage: true });
  });

  it('tells the peer when a survivor\'s connection drops, and that the chat ended when they do not come back', async () => {
    const el = await peerConsole(relay.shortGraceUrl);
    await signInOnDuty(el, relay.token);
    const first = await survivor(relay.shortGraceUrl, { tab: otherTab() });
    const survivorName = await startAndAccept(first, el);
    const root = shadow(el);
    first.remove();
    await waitForText(() => role(root, 'status'), `${survivorName}'s connection dropped. Your messages will be delivered if they come back.`);
    expect(text(root.querySelector('.away'))).to.equal(`${survivorName}'s connection dropped. Your messages will be delivered if they come back.`);
    say(root, 'take your time');
    await waitUntil(() => statusOf(root, 'take your time') === 'sent');
    await waitForText(() => role(root, 'status'), `${survivorName}'s connection was lost.`, 6_000);
    // Nothing silently dropped: what never arrived says so.
    expect(statusOf(root, 'take your time')).to.equal('failed');
    expect(text(root.querySelector('.bubble.own .delivery'))).to.equal('! Not delivered');
    expect(hasButton(root, 'Retry')).to.equal(false);
    button(root, 'Close').click();
    await waitForText(() => root, 'No chats yet.');
  });
});
