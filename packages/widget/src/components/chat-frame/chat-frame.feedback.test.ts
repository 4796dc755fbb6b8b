// SPDX-License-Identifier: Apache-2.0
/**
 * "Did this chat help?" (issue 4) against a real relay, with a peer console playing the other
 * side: the ended screen asks once, by keyboard too, thanks the survivor in a polite live
 * region, and the relay's /metrics counts the answer (read as an operator would).
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { button, expectAccessible, focused, hasButton, role, shadow, testRelay, text, waitForText } from '../../testing/harness.js';
import { cleanUp, peerConsole, signInOnDuty, startAndAccept, survivor } from '../../testing/peer.js';

const counts = async (): Promise<{ yes: number; no: number }> => (await fetch('/__kindred-test-feedback.json', { cache: 'no-store' })).json();

describe('<kindred-chat-frame> "Did this chat help?"', () => {
  let relay: { url: string; token: string };

  before(async () => {
    relay = await testRelay();
  });

  afterEach(cleanUp);

  it('asks once after the peer ends the chat; Yes by keyboard is thanked, announced, and counted', async () => {
    const before = await counts();
    const el = await survivor(relay.url);
    const peer = await peerConsole(relay.url);
    await signInOnDuty(peer, relay.token);
    await startAndAccept(el, peer);
    const root = shadow(el);
    expect(text(root)).not.to.contain('Did this chat help?');
    button(shadow(peer), 'End chat').click();
    await waitForText(() => role(root, 'status'), 'The peer ended the chat.');
    await waitForText(() => root, 'Did this chat help? You do not have to answer.');
    const group = root.querySelector('[role="group"][aria-labelledby="feedback"]');
    expect(group, 'the two answers are one labelled group').to.exist;
    await expectAccessible(el, { sharedPage: true });

    // From the button before it, Tab reaches "Yes"; Enter answers.
    button(root, 'Start a new chat').focus();
    for (let i = 0; i < 4 && focused() !== button(root, 'Yes'); i += 1) await sendKeys({ press: 'Tab' });
    expect(focused()).to.equal(button(root, 'Yes'));
    await sendKeys({ press: 'Enter' });

    const live = root.querySelector('p[aria-live="polite"]:not(.visually-hidden)') as HTMLElement;
    await waitForText(() => live, 'Thank you.');
    expect(focused(), 'focus goes on, not to the top').to.equal(button(root, 'Start a new chat'));
    expect(hasButton(root, 'Yes') || hasButton(root, 'Not really'), 'asked once').to.equal(false);
    expect(text(root)).not.to.contain('Did this chat help?');
    await expectAccessible(el, { sharedPage: true });
    let after = await counts();
    for (let i = 0; i < 20 && after.yes === before.yes; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await counts();
    }
    expect(after).to.deep.equal({ yes: before.yes + 1, no: before.no });
  });

  it('asks after the survivor ends the chat; "Not really" counts as no', async () => {
    const before = await counts();
    const el = await survivor(relay.url);
    const peer = await peerConsole(relay.url);
    await signInOnDuty(peer, relay.token);
    await startAndAccept(el, peer);
    const root = shadow(el);
    button(root, 'End chat').click();
    await waitForText(() => root, 'Did this chat help?');
    button(root, 'Not really').click();
    await waitForText(() => root, 'Thank you.');
    let after = await counts();
    for (let i = 0; i < 20 && after.no === before.no; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await counts();
    }
    expect(after).to.deep.equal({ yes: before.yes, no: before.no + 1 });
  });

  it('does not ask after leaving the queue before any peer came', async () => {
    const el = await survivor(relay.url);
    const root = shadow(el);
    button(root, 'Start chat').click();
    await waitForText(() => role(root, 'status'), 'You are number 1 in the queue');
    button(root, 'Leave the queue').click();
    await waitForText(() => role(root, 'status'), 'You left the queue.');
    expect(text(root)).not.to.contain('Did this chat help?');
  });
});
