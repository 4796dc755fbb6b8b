// SPDX-License-Identifier: Apache-2.0
/**
 * The survivor's chat against a real relay (started by web-test-runner.config.mjs), with a
 * peer console on the same page playing the other side.
 */
// First: it must see every WebSocket this page opens.
import { serverDisconnect } from '../../testing/sockets.js';
import { namespaces } from '@kindred/protocol';
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { button, expectAccessible, field, hasButton, role, shadow, testRelay, text, waitForText } from '../../testing/harness.js';
import { cleanUp, peerConsole, signInOnDuty, startAndAccept, survivor } from '../../testing/peer.js';

describe('<kindred-chat-frame>', () => {
  let relay: { url: string; refusingUrl: string; token: string };

  before(async () => {
    relay = await testRelay();
  });

  // Before the fixtures go: the relay would otherwise hold their chats for its grace period.
  afterEach(cleanUp);

  it('starts idle, says it is anonymous, and connects nothing until Start chat', async () => {
    const el = await survivor(relay.url);
    const root = shadow(el);
    expect(text(root.querySelector('h1'))).to.equal('Talk with a peer');
    expect(text(root)).to.contain('anonymous');
    expect(hasButton(root, 'Start chat')).to.equal(true);
    // No bridge here (not embedded), so no "Minimise chat" either.
    expect(hasButton(root, 'Minimise chat')).to.equal(false);
    expect((el as unknown as { connection: { active: boolean } }).connection.active).to.equal(false);
    await expectAccessible(el);
  });

  it('waits in the queue with its position in a polite status, and can leave', async () => {
    const el = await survivor(relay.url);
    const root = shadow(el);
    button(root, 'Start chat').click();
    await waitForText(() => role(root, 'status'), 'You are number 1 in the queue');
    await expectAccessible(el);
    button(root, 'Leave the queue').click();
    await waitForText(() => role(root, 'status'), 'You left the queue.');
    expect(hasButton(root, 'Start a new chat')).to.equal(true);
  });

  it('chats with a peer: Enter sends, Shift+Enter is a new line, delivery and typing show', async () => {
    const el = await survivor(relay.url);
    const peer = await peerConsole(relay.url);
    await signInOnDuty(peer, relay.token);
    const survivorName = await startAndAccept(el, peer);
    const root = shadow(el);
    await expectAccessible(el, { sharedPage: true });

    const box = field(root, 'Message');
    expect(box.maxLength).to.equal(2000);
    box.focus();
    await sendKeys({ type: 'Hello' });
    // The peer sees that the survivor is typing.
    await waitForText(() => shadow(peer), `${survivorName} is typing…`);
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ up: 'Shift' });
    expect(box.value).to.equal('Hello\n');
    expect(root.querySelectorAll('.bubble').length).to.equal(0);
    await sendKeys({ type: 'there' });
    await sendKeys({ press: 'Enter' });
    expect(box.value).to.equal('');
    const log = role(root, 'log');
    await waitForText(() => log, 'You: Hello there');
    // Delivered once the peer's console has shown it, and read at once, as the peer has this
    // chat on screen.
    await waitForText(() => log, 'Read');
    await waitForText(() => role(shadow(peer), 'log'), `${survivorName}: Hello there`);

    // White space only is not sent.
    await sendKeys({ type: '   ' });
    await sendKeys({ press: 'Enter' });
    expect(root.querySelectorAll('.bubble').length).to.equal(1);
    box.value = '';

    // The peer answers, with a link; only https becomes a link.
    const peerBox = field(shadow(peer), 'Message');
    peerBox.focus();
    await sendKeys({ type: 'See https://example.org/help or javascript:alert(1)' });
    await sendKeys({ press: 'Enter' });
    await waitForText(() => log, 'Robin: See https://example.org/help');
    const links = [...log.querySelectorAll('a')];
    expect(links.map((link) => link.getAttribute('href'))).to.deep.equal(['https://example.org/help']);
    expect(links[0]!.rel).to.contain('noopener');
    // The survivor has the chat in view and read marks on (the default).
    await waitForText(() => role(shadow(peer), 'log'), 'Read');
    await expectAccessible(el, { sharedPage: true });

    // The survivor ends it; the transcript stays until a new chat starts.
    button(root, 'End chat').click();
    await waitForText(() => role(root, 'status'), 'You ended the chat.');
    expect(text(log)).to.contain('Hello there');
    expect(hasButton(root, 'Start a new chat')).to.equal(true);
    await waitForText(() => shadow(peer), `${survivorName} ended the chat.`);
    await expectAccessible(el, { sharedPage: true });
  });

  it('keeps a draft typed while waiting when the peer joins', async () => {
    const el = await survivor(relay.url);
    const peer = await peerConsole(relay.url);
    await signInOnDuty(peer, relay.token);
    const root = shadow(el);
    button(root, 'Start chat').click();
    await waitForText(() => role(root, 'status'), /You are number \d+ in the queue/);
    field(root, 'Message').focus();
    await sendKeys({ type: 'I am not sure how to start' });
    await waitForText(() => shadow(peer), 'Waiting (1)');
    button(shadow(peer), /^Accept /).click();
    await waitForText(() => shadow(el), 'You are talking with Robin');
    // Not sent, not lost: still in the box, still where the survivor was typing.
    expect(field(root, 'Message').value).to.equal('I am not sure how to start');
    expect(root.querySelectorAll('.bubble').length).to.equal(0);
    // The console, on this same page, took focus into its own box on accepting.
    field(root, 'Message').focus();
    await sendKeys({ press: 'Enter' });
    await waitForText(() => role(shadow(peer), 'log'), 'I am not sure how to start');
  });

  it('connects afresh after the relay closed the connection on purpose', async () => {
    const el = await survivor(relay.url);
    const root = shadow(el);
    button(root, 'Start chat').click();
    await waitForText(() => role(root, 'status'), 'You are number 1 in the queue');
    // As the relay's `socket.disconnect()` would: the widget's socket client will not retry this one.
    serverDisconnect(namespaces.survivor);
    await waitForText(() => role(root, 'status'), 'You left the queue.');
    button(root, 'Start a new chat').click();
    await waitForText(() => role(root, 'status'), 'You are number 1 in the queue');
    button(root, 'Leave the queue').click();
    await waitForText(() => role(root, 'status'), 'You left the queue.');
  });

  it('tells the survivor when the peer ends the chat', async () => {
    const el = await survivor(relay.url);
    const peer = await peerConsole(relay.url);
    await signInOnDuty(peer, relay.token);
    await startAndAccept(el, peer);
    button(shadow(peer), 'End chat').click();
    await waitForText(() => role(shadow(el), 'status'), 'The peer ended the chat.');
    expect(hasButton(shadow(el), 'End chat')).to.equal(false);
    button(shadow(el), 'Start a new chat').click();
    await waitUntil(() => shadow(el).querySelectorAll('.bubble').length === 0 && text(role(shadow(el), 'status')).includes('queue'));
    button(shadow(el), 'Leave the queue').click();
  });

  it('says so when the relay refuses this site', async () => {
    const el = await survivor(relay.refusingUrl);
    button(shadow(el), 'Start chat').click();
    await waitForText(() => role(shadow(el), 'status'), 'This site is not allowed to use the chat.');
    expect(hasButton(shadow(el), 'Start chat')).to.equal(true);
    await expectAccessible(el);
  });
});
