// SPDX-License-Identifier: Apache-2.0
/** The peer console against a real relay (started by web-test-runner.config.mjs). */
// First: it must see every WebSocket this page opens.
import { dropConnection } from '../../testing/sockets.js';
import { namespaces } from '@kindred/protocol';
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { button, expectAccessible, field, hasButton, role, shadow, testRelay, text, waitForText } from '../../testing/harness.js';
import { peerConsole, signInOnDuty, startAndAccept, survivor } from '../../testing/peer.js';

describe('<kindred-console>', () => {
  let relay: { url: string; refusingUrl: string; token: string };

  before(async () => {
    relay = await testRelay();
  });

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
    await waitForText(() => role(root, 'log'), 'Delivered');
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
    const first = await survivor(relay.url);
    const firstName = await startAndAccept(first, el);
    const second = await survivor(relay.url);
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

  it('after its connection drops, shows its chats ended and says it is off duty', async () => {
    const el = await peerConsole(relay.url);
    await signInOnDuty(el, relay.token);
    const frame = await survivor(relay.url);
    const survivorName = await startAndAccept(frame, el);
    const root = shadow(el);
    // The network drops the peer's connection; socket.io-client reconnects, and the relay,
    // for which a new connection is a new peer, has ended the chat and put the peer off duty.
    dropConnection(namespaces.peer);
    await waitForText(() => role(root, 'status'), 'Your connection dropped. Your chats ended and you are off duty.');
    expect(text(root.querySelector('.ended'))).to.equal('Your connection was lost, so the chat ended.');
    expect(text(root.querySelector('.chat-tab'))).to.equal(`${survivorName} (ended)`);
    expect(hasButton(root, 'End chat')).to.equal(false);
    expect(() => field(root, 'Message')).to.throw();
    expect(text(root)).to.contain('You are off duty.');
    expect(hasButton(root, 'Go on duty')).to.equal(true);
    await waitForText(() => role(shadow(frame), 'status'), "The peer's connection was lost.");
    await expectAccessible(el, { sharedPage: true });
  });

  it('tells the peer when a survivor\'s connection is lost', async () => {
    const el = await peerConsole(relay.url);
    await signInOnDuty(el, relay.token);
    const first = await survivor(relay.url);
    const survivorName = await startAndAccept(first, el);
    first.remove();
    await waitForText(() => shadow(el), `${survivorName}'s connection was lost.`);
    button(shadow(el), 'Close').click();
  });
});
