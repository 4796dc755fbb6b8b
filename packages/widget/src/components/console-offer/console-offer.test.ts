// SPDX-License-Identifier: Apache-2.0
/**
 * Offers in the peer console, against a relay with 4-second offers (web-test-runner.config.mjs,
 * matchingRelayPlugin), and the waiting list's topics, languages and order: announced without
 * taking focus, Accept and Decline by keyboard, a visible countdown announced once more near its
 * end, one Accept per survivor on screen, and never an offer to a peer who is full.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { LitElement } from 'lit';
import { button, expectAccessible, field, focused, hasButton, role, shadow, text, waitForText } from '../../testing/harness.js';
import { matchingRelay, signInAs, type MatchingRelay } from '../../testing/matching.js';
import { cleanUp, otherTab, peerConsole, survivor } from '../../testing/peer.js';
import type { KindredChatFrame } from '../chat-frame/chat-frame.js';
import { OfferController, renderOffer } from './console-offer.js';

/** A survivor who chose `language` (and `topic`) and started a chat. */
async function waitingSurvivor(url: string, choice: { language?: string; topic?: string } = {}): Promise<KindredChatFrame> {
  const el = await survivor(url, { tab: otherTab() });
  const root = shadow(el);
  await waitUntil(() => root.querySelector('.topic-choice'), 'the lists', { timeout: 8_000 });
  for (const [label, value] of [['Topic', choice.topic ?? ''], ['Language', choice.language ?? '']] as const) {
    const list = field<HTMLSelectElement>(root, label);
    list.value = value;
    list.dispatchEvent(new Event('change'));
  }
  button(root, 'Start chat').click();
  await waitForText(() => shadow(el), /You are number \d+ in the queue/);
  return el;
}

/** The live regions of the offer: what was announced at once, and politely. */
function announced(root: ShadowRoot): { assertive: string; polite: string } {
  return {
    assertive: text(root.querySelector('[aria-live="assertive"]')),
    polite: text(root.querySelector('.visually-hidden[aria-live="polite"]')),
  };
}

describe('offers in the console', () => {
  let relay: MatchingRelay;

  before(async () => {
    relay = await matchingRelay();
  });

  afterEach(cleanUp);

  it('shows the offer first, announced without taking focus: who, what they chose, the time to answer; Accept by keyboard opens the chat', async () => {
    const ana = await peerConsole(relay.url, { tab: otherTab() });
    await signInAs(ana, relay.tokens.ana, 'Ana', { onDuty: false });
    const root = shadow(ana);
    const frame = await waitingSurvivor(relay.url, { language: 'es', topic: 'injury' });
    // The peer goes on duty by keyboard; the offer arrives while focus is on that button.
    const duty = button(root, 'Go on duty');
    duty.focus();
    await sendKeys({ press: 'Enter' });
    await waitForText(() => root, 'Offered to you');
    const offer = root.querySelector('.offer')!;
    const name = text(offer.querySelector('.offer-who')).replace(/ is waiting for you\.$/, '');
    expect(name).to.match(/^[A-Z][a-z]+ [A-Z][a-z]+ \d{2}$/);
    expect(text(offer.querySelector('.offer-details'))).to.equal('After an injury · Spanish · waiting less than a minute');
    expect(text(offer.querySelector('.offer-countdown'))).to.match(/^[1-4] seconds? left to answer\.$/);
    expect(announced(root).assertive).to.match(new RegExp(`^${name} is waiting for you\\. After an injury · Spanish [1-4] seconds? left to answer\\.$`));
    // Focus stays where the peer was: an offer never pulls it away (WCAG 3.2.2).
    expect(focused()).to.equal(duty);
    expect(text(duty)).to.equal('Go off duty');
    // The offer comes before the waiting list, whose entry for them points to it: one Accept each.
    const controls = [...root.querySelectorAll('button')].map((each) => text(each));
    expect(controls.filter((each) => each.startsWith('Accept'))).to.deep.equal([`Accept ${name}`]);
    expect(text(root.querySelector('.entry'))).to.contain('Offered to you, above');
    expect(root.querySelector('.offer')!.compareDocumentPosition(root.querySelector('#waiting-heading')!) & Node.DOCUMENT_POSITION_FOLLOWING).to.not.equal(0);
    await expectAccessible(ana, { sharedPage: true });

    button(root, `Accept ${name}`).focus();
    await sendKeys({ press: 'Enter' });
    await waitForText(() => root, `Chat with ${name}`);
    await waitForText(() => shadow(frame), 'You are talking with Ana');
    expect(root.querySelector('.offer')).to.equal(null);
  });

  it('Decline by keyboard: the offer goes, the survivor stays in the list with Accept, and the next peer is offered them', async () => {
    const ana = await peerConsole(relay.url, { tab: otherTab() });
    await signInAs(ana, relay.tokens.ana, 'Ana');
    // No choice: both fit; Ben comes on duty only once Ana holds the offer.
    await waitingSurvivor(relay.url);
    await waitForText(() => shadow(ana), 'Offered to you');
    const ben = await peerConsole(relay.url, { tab: otherTab() });
    await signInAs(ben, relay.tokens.ben, 'Ben');
    await waitForText(() => shadow(ben), 'Waiting (1)');
    expect(shadow(ben).querySelector('.offer')).to.equal(null);

    const name = text(shadow(ana).querySelector('.offer-who')).replace(/ is waiting for you\.$/, '');
    button(shadow(ana), `Decline ${name}`).focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => shadow(ana).querySelector('.offer') === null, 'the offer gone');
    expect(hasButton(shadow(ana), `Accept ${name}`)).to.equal(true);
    await waitForText(() => shadow(ben), 'Offered to you');
    expect(text(shadow(ben).querySelector('.offer-who'))).to.equal(`${name} is waiting for you.`);
    // Ana, who declined, keeps manual accept: she takes them from the list, and Ben is told.
    button(shadow(ana), `Accept ${name}`).click();
    await waitForText(() => shadow(ana), `Chat with ${name}`);
    await waitForText(() => role(shadow(ben), 'status'), `Another peer accepted ${name}.`);
    expect(shadow(ben).querySelector('.offer')).to.equal(null);
  });

  it('an unanswered offer runs out: it goes, the status says so, and Accept is back in the list', async () => {
    const ana = await peerConsole(relay.url, { tab: otherTab() });
    await signInAs(ana, relay.tokens.ana, 'Ana');
    await waitingSurvivor(relay.url, { language: 'es' });
    await waitForText(() => shadow(ana), 'Offered to you');
    const name = text(shadow(ana).querySelector('.offer-who')).replace(/ is waiting for you\.$/, '');
    await waitForText(() => role(shadow(ana), 'status'), `The offer of ${name} ran out.`, 8_000);
    expect(shadow(ana).querySelector('.offer')).to.equal(null);
    expect(hasButton(shadow(ana), `Accept ${name}`)).to.equal(true);
    await expectAccessible(ana, { sharedPage: true });
  });

  it('a peer whose chats are full is never offered anyone, and still sees the list', async () => {
    const ana = await peerConsole(relay.url, { tab: otherTab() });
    await signInAs(ana, relay.tokens.ana, 'Ana'); // one chat at most
    await waitingSurvivor(relay.url, { language: 'es' });
    await waitForText(() => shadow(ana), 'Offered to you');
    button(shadow(ana), /^Accept /).click();
    await waitForText(() => shadow(ana), 'Chat with ');
    await waitingSurvivor(relay.url, { language: 'es' });
    await waitForText(() => shadow(ana), 'Waiting (1)');
    // Longer than an offer lasts: none comes.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect(shadow(ana).querySelector('.offer')).to.equal(null);
    expect(announced(shadow(ana)).assertive).to.equal('');
    expect(hasButton(shadow(ana), /^Accept /)).to.equal(true);
  });

  it('the waiting list names each survivor’s choice, matches first, and marks the others', async () => {
    const ana = await peerConsole(relay.url, { tab: otherTab() });
    await signInAs(ana, relay.tokens.ana, 'Ana', { onDuty: false });
    const ben = await peerConsole(relay.url, { tab: otherTab() });
    await signInAs(ben, relay.tokens.ben, 'Ben', { onDuty: false });
    await waitingSurvivor(relay.url, { language: 'en' });
    await waitingSurvivor(relay.url, { language: 'es', topic: 'assault' });
    // Both on duty: Ben's list puts the English speaker first, Ana's the Spanish one.
    button(shadow(ben), 'Go on duty').click();
    button(shadow(ana), 'Go on duty').click();
    const choices = (el: Element) => [...shadow(el).querySelectorAll('.entry')].map((entry) => [text(entry.querySelector('.choice-text')), text(entry.querySelector('.not-a-match'))]);
    // (Until both are on duty, a survivor nobody on duty matches fits everyone: wait for both.)
    await waitUntil(() => choices(ana)[0]?.[0] === 'After an assault · Spanish' && choices(ben)[0]?.[0] === 'English', 'both lists in their order', { timeout: 8_000 });
    expect(choices(ana)).to.deep.equal([
      ['After an assault · Spanish', ''],
      ['English', '(another topic or language)'],
    ]);
    expect(choices(ben)).to.deep.equal([
      ['English', ''],
      ['After an assault · Spanish', '(another topic or language)'],
    ]);
    await expectAccessible(ana, { sharedPage: true });
  });
});

describe('OfferController', () => {
  /** A bare host that draws the offer, as the console does. */
  class OfferHost extends LitElement {
    readonly offers = new OfferController(this, () => undefined);
    override render() {
      return renderOffer(this.offers, { topics: [], language: 'en', onAccept: () => undefined, onDecline: () => undefined });
    }
  }
  customElements.define('kindred-test-offer-host', OfferHost);

  it('counts down on screen each second, and announces only twice: on arrival, and once more ten seconds before the end', async () => {
    const host = await fixture<OfferHost>(html`<kindred-test-offer-host></kindred-test-offer-host>`);
    const root = host.shadowRoot!;
    host.offers.show({ ticket: 'A'.repeat(22), survivorName: 'Quiet Heron 12', waitedMs: 61_000, language: 'ar', matches: true, expiresInMs: 12_400 }, (offer) => `${offer.survivorName} is waiting for you.`);
    await host.updateComplete;
    expect(text(root.querySelector('.offer-details'))).to.equal('Arabic · waiting 1 minute');
    expect(announced(root as ShadowRoot).assertive).to.equal('Quiet Heron 12 is waiting for you. 13 seconds left to answer.');
    const seen = new Set<string>();
    const politeSeen = new Set<string>();
    const watch = setInterval(() => {
      seen.add(text(root.querySelector('.offer-countdown')));
      politeSeen.add(announced(root as ShadowRoot).polite);
    }, 200);
    // Offers shorter than 15 s are not reminded (the arrival said it all); this one is 12.4 s.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    clearInterval(watch);
    expect(seen.size).to.be.greaterThan(2, 'the visible countdown moves');
    expect([...politeSeen]).to.deep.equal([''], 'and is not read out every second');

    host.offers.show({ ticket: 'B'.repeat(22), survivorName: 'Quiet Heron 12', waitedMs: 0, matches: true, expiresInMs: 15_600 }, () => 'Offered.');
    await waitUntil(() => announced(root as ShadowRoot).polite !== '', 'the reminder', { timeout: 8_000 });
    expect(announced(root as ShadowRoot).polite).to.equal('Quiet Heron 12 is waiting for you. 10 seconds left to answer.');
    expect(host.offers.clear('B'.repeat(22))?.ticket).to.equal('B'.repeat(22));
    await host.updateComplete;
    expect(root.querySelector('.offer')).to.equal(null);
    expect(announced(root as ShadowRoot)).to.deep.equal({ assertive: '', polite: '' });
  });

  it('refuses what is not an offer', async () => {
    const host = await fixture<OfferHost>(html`<kindred-test-offer-host></kindred-test-offer-host>`);
    for (const value of [null, 'offer', { ticket: 1 }, { ticket: 'x', survivorName: 'y' }, { ticket: 'x', survivorName: 'y', expiresInMs: -5 }]) {
      host.offers.show(value, () => 'x');
      expect(host.offers.offer, JSON.stringify(value)).to.equal(undefined);
    }
  });
});
