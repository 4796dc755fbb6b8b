// SPDX-License-Identifier: Apache-2.0
/** The peer console against a real relay (started by web-test-runner.config.mjs). */
import { expect } from '@open-wc/testing';
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
