// SPDX-License-Identifier: Apache-2.0
/**
 * The console when the peer's sign-in token expires mid-shift, against a real relay. PROTECTS
 * that a volunteer is never left looking at chats that are no longer theirs: the console says
 * clearly that the sign-in expired, shows the sign-in form again, and keeps nothing (the resume
 * token in storage would be refused anyway; the transcripts must go too).
 */
import { expect } from '@open-wc/testing';
import { consoleStore } from '../../internal/session-store-console.js';
import { button, expectAccessible, field, hasButton, role, shadow, testRelay, text, waitForText, type TestRelay } from '../../testing/harness.js';
import { cleanUp, peerConsole, signInOnDuty, startAndAccept, survivor } from '../../testing/peer.js';

/** A sign-in token from the test relay that expires `seconds` from now (to the second). */
async function shortLivedToken(seconds: number): Promise<string> {
  const response = await fetch(`/__kindred-test-token.json?seconds=${seconds}`);
  return ((await response.json()) as { token: string }).token;
}

describe('<kindred-console> at the end of a sign-in', () => {
  let relay: TestRelay;

  before(async () => {
    relay = await testRelay();
  });

  afterEach(cleanUp);

  it('says the sign-in expired, returns to the sign-in form, and keeps nothing of the chats', async () => {
    const frame = await survivor(relay.shortGraceUrl);
    const el = await peerConsole(relay.shortGraceUrl);
    const root = shadow(el);
    await signInOnDuty(el, await shortLivedToken(3));
    const survivorName = await startAndAccept(frame, el);
    expect(text(root)).to.contain(`Chat with ${survivorName}`);
    expect(consoleStore.load()?.chats.length, 'the chat is kept while the session lasts').to.equal(1);

    await waitForText(() => role(root, 'status'), 'Your sign-in has expired', 8_000);
    expect(hasButton(root, 'Sign in')).to.equal(true);
    expect(field<HTMLInputElement>(root, 'Peer token').value).to.equal('');
    expect(hasButton(root, 'Go off duty')).to.equal(false);
    expect(text(root)).to.not.contain(survivorName);
    expect(consoleStore.load(), 'nothing left in this tab’s storage').to.equal(undefined);
    expect(sessionStorage.getItem('kindred-console')).to.equal(null);
    await expectAccessible(el, { sharedPage: true });

    // A fresh sign-in is a new, empty session.
    field<HTMLInputElement>(root, 'Peer token').value = relay.token;
    button(root, 'Sign in').click();
    await waitForText(() => root, 'Signed in as Robin');
    expect(text(root)).to.contain('No chats yet.');
  });
});
