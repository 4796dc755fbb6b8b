// SPDX-License-Identifier: Apache-2.0
/**
 * Asking a supervisor, and supervision: a supervisor joins an escalated chat from their board,
 * reads it and writes in it through the peer's console (hub and spoke: internal/supervision.ts),
 * and leaves. Real relay, a peer's and a supervisor's consoles and a survivor's real frame on
 * one page, each in a tab of its own. The page sees every packet the consoles send, so the
 * tests also check that nothing anyone wrote crossed the relay readable.
 */
// First: it must see every WebSocket this page opens.
import { sentOn } from '../../testing/sockets.js';
import { namespaces } from '@kindred/protocol';
import { expect, waitUntil } from '@open-wc/testing';
import { button, expectAccessible, field, hasButton, role, shadow, testRelay, text, waitForText, type TestRelay } from '../../testing/harness.js';
import { signInAs } from '../../testing/matching.js';
import { cleanUp, otherTab, peerConsole, signInOnDuty, startAndAccept, survivor, testToken } from '../../testing/peer.js';
import type { KindredConsole } from './console.js';

/** A supervisor's console ("Sam"), in a tab of its own, signed in. */
async function supervisorConsole(url: string): Promise<KindredConsole> {
  const el = await peerConsole(url, { tab: otherTab() });
  await signInAs(el, await testToken('Sam', 'supervisor'), 'Sam', { onDuty: false });
  return el;
}

/**
 * Sam on the board, Robin on duty in a chat with a survivor; Robin asks a supervisor and Sam
 * joins from the board. Returns the three and the survivor's pseudonym.
 */
async function supervisedChat(url: string, token: string) {
  const sam = await supervisorConsole(url);
  const robin = await peerConsole(url);
  await signInOnDuty(robin, token);
  const frame = await survivor(url, { tab: otherTab() });
  const name = await startAndAccept(frame, robin);
  button(shadow(robin), 'Ask a supervisor').click();
  await waitUntil(() => hasButton(shadow(sam), `Join Robin, ${name}`), 'the board lists the escalation');
  button(shadow(sam), `Join Robin, ${name}`).click();
  await waitForText(() => role(shadow(robin), 'log'), 'Sam, a supervisor, joined this chat.');
  return { sam, robin, frame, name };
}

/** Writes `message` in the box and presses Send. */
function say(root: ShadowRoot, message: string): void {
  field(root, 'Message').value = message;
  button(root, 'Send').click();
}

/** The texts of one side's bubbles, in order. */
function bubbles(root: ShadowRoot): string[] {
  return [...root.querySelectorAll('.bubble')].map((each) => text(each));
}

describe('<kindred-console> asking a supervisor, and supervision', () => {
  let relay: TestRelay;

  before(async () => {
    relay = await testRelay();
  });

  afterEach(cleanUp);

  it('Ask a supervisor with nobody to ask says so, and whom else to reach', async () => {
    const robin = await peerConsole(relay.url);
    await signInOnDuty(robin, relay.token);
    const frame = await survivor(relay.url, { tab: otherTab() });
    await startAndAccept(frame, robin);
    button(shadow(robin), 'Ask a supervisor').click();
    await waitForText(() => role(shadow(robin), 'status'), 'No supervisor is on duty, so nobody was told. Reach one the way your coordinator agreed.');
    // The chat goes on as before.
    expect(hasButton(shadow(robin), 'End chat')).to.equal(true);
  });

  it('a supervisor joins from their board, reads the survivor through the peer, writes to them as "Supervisor", and leaves', async () => {
    const sam = await supervisorConsole(relay.url);
    const samRoot = shadow(sam);
    const robin = await peerConsole(relay.url);
    await signInOnDuty(robin, relay.token);
    const frame = await survivor(relay.url, { tab: otherTab() });
    const name = await startAndAccept(frame, robin);
    const robinRoot = shadow(robin);
    const frameRoot = shadow(frame);
    say(frameRoot, 'before anyone else came');
    await waitForText(() => role(robinRoot, 'log'), `${name}: before anyone else came`);

    button(robinRoot, 'Ask a supervisor').click();
    await waitForText(() => role(robinRoot, 'status'), 'Supervisor told: they can join this chat from their board.');
    // Sam's board lists it; Join names whom it is about.
    await waitUntil(() => hasButton(samRoot, `Join Robin, ${name}`), 'the board lists the escalation');
    button(samRoot, `Join Robin, ${name}`).click();
    await waitForText(() => samRoot.querySelector('#conversation-heading'), `Robin's chat with ${name}`);
    await waitForText(() => role(samRoot, 'status'), `You joined Robin's chat with ${name}.`);
    expect(text(samRoot.querySelector('.chat-tab'))).to.equal(`${name} (supervised)`);
    // The peer hears who joined, in the chat; the survivor that a supervisor did, never who.
    await waitForText(() => role(robinRoot, 'log'), 'Sam, a supervisor, joined this chat.');
    await waitForText(() => role(frameRoot, 'status'), 'A supervisor joined the chat.');
    expect(text(frameRoot)).to.not.contain('Sam');
    // The supervisor sees from when they joined, not before.
    expect(text(role(samRoot, 'log'))).to.not.contain('before anyone else came');

    // The survivor writes: Robin's console opens it and seals it again for Sam.
    say(frameRoot, 'is someone else reading this?');
    await waitForText(() => role(samRoot, 'log'), `${name}: is someone else reading this?`);
    say(robinRoot, 'My supervisor joined to help.');
    await waitForText(() => role(samRoot, 'log'), 'Robin: My supervisor joined to help.');
    await expectAccessible(sam, { sharedPage: true });

    // Sam writes: it reaches the survivor through Robin, marked as the supervisor's.
    say(samRoot, 'Hello, I am a supervisor. You are safe to talk here.');
    await waitForText(() => role(frameRoot, 'log'), 'Supervisor: Hello, I am a supervisor. You are safe to talk here.');
    await waitForText(() => role(robinRoot, 'log'), 'Sam (supervisor): Hello, I am a supervisor. You are safe to talk here.');
    await waitUntil(() => samRoot.querySelector('.bubble.own .delivery')?.getAttribute('data-status') === 'sent', 'Robin has it');
    expect(bubbles(samRoot)).to.deep.equal([
      `${name}: is someone else reading this?`,
      'Robin: My supervisor joined to help.',
      'You: Hello, I am a supervisor. You are safe to talk here. Sent',
    ]);
    await expectAccessible(robin, { sharedPage: true });

    // Nothing anyone wrote went through the relay readable: not Robin's relaying, not Sam's.
    const packets = sentOn(namespaces.peer).join('\n');
    for (const words of ['is someone else reading', 'My supervisor joined', 'You are safe to talk']) expect(packets).to.not.contain(words);
    expect(packets).to.contain('"supervision:send"');

    button(samRoot, 'Leave').click();
    await waitForText(() => role(samRoot, 'status'), `You left Robin's chat with ${name}.`);
    expect(hasButton(samRoot, new RegExp(`^${name}`))).to.equal(false);
    await waitForText(() => role(robinRoot, 'log'), 'Sam, the supervisor, left this chat.');
    await waitForText(() => role(frameRoot, 'status'), 'The supervisor left the chat.');
    // Robin and the survivor go on alone.
    say(frameRoot, 'ok, thank you both');
    await waitForText(() => role(robinRoot, 'log'), `${name}: ok, thank you both`);
    expect(text(robinRoot.querySelector('.chat-tab'))).to.equal(name);
  });

  it('when the peer reloads, the supervisor\'s next words still reach the survivor: the consoles key again', async function () {
    // The relay waits its delivery timeout for the reloaded console that cannot confirm.
    this.timeout(45_000);
    const { sam, robin, frame, name } = await supervisedChat(relay.url, relay.token);
    const samRoot = shadow(sam);
    say(samRoot, 'first words');
    await waitForText(() => role(shadow(frame), 'log'), 'Supervisor: first words');

    robin.remove();
    const again = await peerConsole(relay.url);
    await waitForText(() => shadow(again), `Chat with ${name}`);
    say(samRoot, 'after the reload');
    await waitForText(() => role(shadow(frame), 'log'), 'Supervisor: after the reload', 30_000);
    await waitForText(() => role(shadow(again), 'log'), 'Supervisor: after the reload');
    say(shadow(frame), 'I see you both');
    await waitForText(() => role(samRoot, 'log'), `${name}: I see you both`);
  });

  it('a supervised chat handed to a colleague: the supervisor\'s part ends with the hand-over, and the colleague starts without one', async () => {
    const { sam, robin, frame, name } = await supervisedChat(relay.url, relay.token);
    const samRoot = shadow(sam);

    const alex = await peerConsole(relay.url, { tab: otherTab() });
    const alexRoot = shadow(alex);
    await signInOnDuty(alex, await testToken('Alex'), 'Alex');
    const dialog = shadow(robin).querySelector<HTMLDialogElement>('dialog.transfer')!;
    button(shadow(robin), 'Transfer').click();
    await waitForText(() => dialog, 'Alex (room for 2 more chats)');
    field<HTMLInputElement>(shadow(robin), 'Alex (room for 2 more chats)').click();
    button(dialog, 'Transfer chat').click();

    await waitForText(() => role(samRoot, 'status'), `Robin's chat with ${name} ended.`);
    expect(text(samRoot.querySelector('.chat-tab'))).to.equal(`${name} (ended) (supervised)`);
    await waitForText(() => alexRoot, `Chat with ${name}`);
    expect(text(alexRoot.querySelector('.chat-tab'))).to.equal(name);
    await waitForText(() => shadow(frame), 'You are now talking with Alex.');
    say(shadow(frame), 'hello Alex');
    await waitForText(() => role(alexRoot, 'log'), `${name}: hello Alex`);
    // Nothing more reaches the supervisor.
    expect(text(role(samRoot, 'log'))).to.not.contain('hello Alex');
  });

  it('a supervised chat that ends says so in the supervisor\'s console, and Close clears it', async () => {
    const { sam, robin, frame, name } = await supervisedChat(relay.url, relay.token);
    const samRoot = shadow(sam);
    button(shadow(frame), 'End chat').click();
    await waitForText(() => role(samRoot, 'status'), `Robin's chat with ${name} ended.`);
    expect(text(samRoot.querySelector('.chat-tab'))).to.equal(`${name} (ended) (supervised)`);
    expect(() => field(samRoot, 'Message')).to.throw();
    button(samRoot, 'Close').click();
    await waitForText(() => samRoot, 'No chats yet.');
  });
});
