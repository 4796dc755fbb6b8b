// SPDX-License-Identifier: Apache-2.0
/**
 * The survivor's optional topic and language, on the frame's first screen, against a relay whose
 * hospital offers them (web-test-runner.config.mjs, matchingRelayPlugin): skippable, reachable
 * and usable by keyboard alone, accessible, preselected from the chat's own language, and what
 * the survivor chooses reaches the peers who match it.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { sessionStore, parseFrameSnapshot } from '../../internal/session-store.js';
import { button, expectAccessible, field, focused, role, shadow, testRelay, text, waitForText } from '../../testing/harness.js';
import { matchingRelay, signInAs, type MatchingRelay } from '../../testing/matching.js';
import { cleanUp, otherTab, peerConsole, survivor } from '../../testing/peer.js';
import type { KindredChatFrame } from '../chat-frame/chat-frame.js';

/** The labelled select, or throws. */
const select = (root: ShadowRoot, label: string) => field<HTMLSelectElement>(root, label);

/** The options of a select as a person reads them. */
const options = (el: HTMLSelectElement) => [...el.options].map((option) => text(option));

/** A frame whose first screen (with the hospital's lists) has loaded. */
async function firstScreen(url: string, lang?: string): Promise<KindredChatFrame> {
  const store = sessionStore('kindred-chat', parseFrameSnapshot, () => otherTab());
  const el = lang
    ? await fixture<KindredChatFrame>(html`<kindred-chat-frame lang=${lang} .server=${url} .store=${store}></kindred-chat-frame>`)
    : await survivor(url, { tab: otherTab() });
  await waitUntil(() => shadow(el).querySelector('.topic-choice'), 'the topic and language lists', { timeout: 8_000 });
  return el;
}

describe('topic and language choice', () => {
  let relay: MatchingRelay;

  before(async () => {
    relay = await matchingRelay();
  });

  afterEach(cleanUp);

  // A frame marks its whole document with its language; the next test's elements read it.
  const pageLang = document.documentElement.getAttribute('lang') ?? 'en';
  afterEach(() => {
    document.documentElement.setAttribute('lang', pageLang);
    document.documentElement.setAttribute('dir', 'ltr');
  });

  it('shows both lists, optional, next to the safety question; the language is preselected from the chat’s own', async () => {
    const el = await firstScreen(relay.url);
    const root = shadow(el);
    const fieldsets = [...root.querySelectorAll('fieldset')];
    expect(fieldsets.map((each) => text(each.querySelector('legend')))).to.deep.equal([
      'Are you safe to talk right now?',
      'Find the right peer for you (optional)',
    ]);
    const topic = select(root, 'Topic');
    const language = select(root, 'Language');
    expect(options(topic)).to.deep.equal(['No preference', 'After an injury', 'After an assault']);
    expect(topic.value).to.equal('');
    // Each language named in itself, and marked as written in it.
    expect(options(language)).to.deep.equal(['No preference', 'English', 'Español', 'العربية']);
    expect([...language.options].map((option) => option.lang)).to.deep.equal(['', 'en', 'es', 'ar']);
    expect(language.value).to.equal('en');
    await expectAccessible(el);
  });

  it('in Spanish: the topics read in Spanish, and Spanish is preselected', async () => {
    const el = await firstScreen(relay.url, 'es');
    const root = shadow(el);
    await waitForText(() => root, 'Tema');
    expect(options(select(root, 'Tema'))).to.deep.equal(['Sin preferencia', 'Después de una lesión', 'After an assault']);
    expect(select(root, 'Idioma').value).to.equal('es');
    await expectAccessible(el);
  });

  it('is skippable: Start chat as it comes queues the survivor (in the chat’s language); "No preference" sends no choice', async () => {
    const peer = await peerConsole(relay.url, { tab: otherTab() });
    await signInAs(peer, relay.tokens.ben, 'Ben');
    const asItComes = await firstScreen(relay.url);
    button(shadow(asItComes), 'Start chat').click();
    await waitForText(() => shadow(asItComes), /You are number \d+ in the queue/);
    await waitForText(() => shadow(peer), 'Waiting (1)');

    const noPreference = await firstScreen(relay.url);
    const language = select(shadow(noPreference), 'Language');
    language.value = '';
    language.dispatchEvent(new Event('change'));
    button(shadow(noPreference), 'Start chat').click();
    await waitForText(() => shadow(noPreference), /You are number \d+ in the queue/);
    await waitForText(() => shadow(peer), 'Waiting (2)');
    // The first chose nothing but kept the chat's language; the second sent no choice at all. Both fit Ben.
    const entries = [...shadow(peer).querySelectorAll('.entry')];
    expect(entries.map((entry) => text(entry.querySelector('.choice-text')))).to.deep.equal(['English', '']);
    expect(shadow(peer).querySelectorAll('.not-a-match').length).to.equal(0);
  });

  it('works by keyboard alone: Tab to each list, choose with the arrow keys, start with Enter; the matching peer sees the choice', async () => {
    const ana = await peerConsole(relay.url, { tab: otherTab() });
    await signInAs(ana, relay.tokens.ana, 'Ana');
    const el = await firstScreen(relay.url);
    const root = shadow(el);
    // From the last safety answer, Tab goes to the topic, then the language.
    const lastAnswer = [...root.querySelectorAll<HTMLInputElement>('.safety input')].at(-1)!;
    lastAnswer.focus();
    await sendKeys({ press: 'Tab' });
    expect(focused()).to.equal(select(root, 'Topic'));
    await sendKeys({ press: 'ArrowDown' });
    expect(select(root, 'Topic').value).to.equal('injury');
    await sendKeys({ press: 'Tab' });
    expect(focused()).to.equal(select(root, 'Language'));
    await sendKeys({ press: 'ArrowDown' });
    expect(select(root, 'Language').value).to.equal('es');
    // On to Start chat (the emergency block is not there: no safety answer), and Enter.
    for (let presses = 0; focused() !== button(root, 'Start chat') && presses < 10; presses++) await sendKeys({ press: 'Tab' });
    expect(focused()).to.equal(button(root, 'Start chat'));
    await sendKeys({ press: 'Enter' });
    await waitForText(() => shadow(el), /You are number \d+ in the queue/);
    // Ana, who speaks Spanish, sees what they chose, in her console's words; and it is offered to her.
    await waitForText(() => shadow(ana), 'After an injury · Spanish');
    await waitForText(() => shadow(ana), 'Offered to you');
  });

  it('says so when no peer on duty matches the choice: the first peer free will answer', async () => {
    const ben = await peerConsole(relay.url, { tab: otherTab() });
    await signInAs(ben, relay.tokens.ben, 'Ben');
    const el = await firstScreen(relay.url);
    const root = shadow(el);
    const language = select(root, 'Language');
    language.value = 'ar';
    language.dispatchEvent(new Event('change'));
    button(root, 'Start chat').click();
    await waitForText(() => role(shadow(el), 'status'), 'No peer on duty right now matches your choice, so the first peer who is free will answer.');
    // And it is true: Ben, who does not speak Arabic, is offered them at once.
    await waitForText(() => shadow(ben), 'Offered to you');
    await expectAccessible(el, { sharedPage: true });
  });

  it('a hospital with no topics and one language or none shows no lists at all', async () => {
    const plain = await testRelay();
    const el = await survivor(plain.url, { tab: otherTab() });
    await waitForText(() => shadow(el), 'What stays private');
    expect(shadow(el).querySelector('.topic-choice')).to.equal(null);
    expect(shadow(el).querySelectorAll('select').length).to.equal(0);
  });
});
