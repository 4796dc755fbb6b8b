// SPDX-License-Identifier: Apache-2.0
/**
 * The shell's language: the element's `lang` (or its nearest ancestor's) beats the page's
 * `<html lang>`, which beats the browser's; a language we do not have falls back to English;
 * `es-MX` is Spanish. Its own strings in that language at once, right to left in Arabic, the
 * page's own labels when it sets them, and the language passed on to the real chat frame.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { nothing } from 'lit';
import { sendKeys } from '@web/test-runner-commands';
import { define } from '../../define.js';
import { expectAccessible, shadow, testRelay, text } from '../../testing/harness.js';
import { untilInFrame } from '../../testing/frame-eval.js';
import { KindredChat } from './chat.js';

define('kindred-chat', KindredChat);

/** Quick exit's navigation recorded instead of done: the runner's own page must stay. */
class LanguageTestChat extends KindredChat {
  readonly navigations: string[] = [];
  protected override navigate(url: string): void {
    this.navigations.push(url);
  }
}
define('kindred-language-test-chat', LanguageTestChat);

// The test server under another origin stands in for the relay (see web-test-runner.config.mjs).
const fakeRelay = `http://127.0.0.1:${location.port}/__kindred-fake`;

/** Makes the browser's languages `tags` until `restore()`. */
function browserLanguages(tags: string[]): () => void {
  Object.defineProperty(navigator, 'languages', { value: tags, configurable: true });
  return () => delete (navigator as { languages?: unknown }).languages;
}

/** A shell with the element's `lang` set to `own` (if any), inside a `<div lang=around>` (if any). */
async function shellIn({ own, around, server = fakeRelay }: { own?: string; around?: string; server?: string } = {}): Promise<LanguageTestChat> {
  const wrapper = await fixture<HTMLDivElement>(
    html`<div lang=${around ?? nothing}><kindred-language-test-chat server=${server} lang=${own ?? nothing}></kindred-language-test-chat></div>`,
  );
  const el = wrapper.querySelector<LanguageTestChat>('kindred-language-test-chat')!;
  await el.updateComplete;
  return el;
}

const launcherText = (el: KindredChat) => text(shadow(el).querySelector('[part~="launcher"]'));
const quickExitText = (el: KindredChat) => text(shadow(el).querySelector('[part~="quick-exit"]'));
const root = (el: KindredChat) => shadow(el).querySelector<HTMLElement>('.root')!;
/** What holds the shell's visible text, the launcher and Quick exit: where its direction is set. */
const bar = (el: KindredChat) => shadow(el).querySelector<HTMLElement>('.bar')!;

describe('<kindred-chat> languages', () => {
  const page = { lang: '', dir: '' };
  let restore: (() => void) | undefined;

  beforeEach(() => {
    sessionStorage.clear();
    page.lang = document.documentElement.lang;
    page.dir = document.documentElement.dir;
  });
  afterEach(() => {
    restore?.();
    restore = undefined;
    document.documentElement.lang = page.lang;
    document.documentElement.dir = page.dir;
  });

  it('the element’s lang beats the page’s, which beats the browser’s', async () => {
    restore = browserLanguages(['ar-EG', 'en']);
    document.documentElement.lang = 'es';
    // Set on the element: the connection happens after the attribute, as a page writes it.
    const own = await shellIn({ own: 'fr' });
    expect(launcherText(own)).to.equal('Discuter avec un pair');
    expect(quickExitText(own)).to.equal('Sortie rapide');

    // The nearest ancestor's counts as the element's: a French section of a Spanish page.
    const section = await shellIn({ around: 'fr-BE' });
    expect(launcherText(section)).to.equal('Discuter avec un pair');

    const fromPage = await shellIn();
    expect(launcherText(fromPage)).to.equal('Chatea con una persona de apoyo');
    expect(quickExitText(fromPage)).to.equal('Salida rápida');

    document.documentElement.removeAttribute('lang');
    const fromBrowser = await shellIn();
    expect(launcherText(fromBrowser)).to.equal('دردشة مع أحد الأقران');
  });

  it('es-MX is Spanish; a language we do not have falls back to English', async () => {
    restore = browserLanguages(['de-DE', 'de']);
    document.documentElement.lang = 'es-MX';
    expect(launcherText(await shellIn())).to.equal('Chatea con una persona de apoyo');
    document.documentElement.lang = 'de';
    const german = await shellIn({ own: 'de-AT' });
    expect(launcherText(german)).to.equal('Chat with a peer');
    expect(root(german).getAttribute('lang')).to.equal('en');
    expect(bar(german).getAttribute('dir')).to.equal('ltr');
  });

  it('in Arabic, sets dir="rtl" on its own content only, mirrors the bar and counts down in Arabic', async () => {
    const el = await shellIn({ own: 'ar' });
    expect(bar(el).getAttribute('dir')).to.equal('rtl');
    expect(root(el).getAttribute('lang')).to.equal('ar');
    // The hospital's page is not ours to change.
    expect(document.documentElement.dir).to.equal(page.dir);
    // Quick exit comes first in the bar: at the right, in Arabic.
    const quickExit = shadow(el).querySelector('[part~="quick-exit"]')!.getBoundingClientRect();
    const launcher = shadow(el).querySelector('[part~="launcher"]')!.getBoundingClientRect();
    expect(quickExit.left).to.be.greaterThan(launcher.left);
    expect(quickExitText(el)).to.equal('خروج سريع');
    await sendKeys({ press: 'Shift' });
    const countdown = shadow(el).querySelector('[role="status"]:not(#unread)')!;
    await waitUntil(() => text(countdown) === 'ضغطتان أخريان على مفتاح Shift للخروج.', `the countdown said ${text(countdown)}`);
    await expectAccessible(el);
  });

  it('shows the page’s own launcher and Quick exit labels when it sets them', async () => {
    const el = await fixture<KindredChat>(
      html`<kindred-language-test-chat lang="es" server=${fakeRelay} launcher-label="Hablar ahora" quick-exit-label="Salir ya"></kindred-language-test-chat>`,
    );
    expect(launcherText(el)).to.equal('Hablar ahora');
    expect(quickExitText(el)).to.equal('Salir ya');
    el.launcherLabel = 'Hablar con alguien';
    await el.updateComplete;
    expect(launcherText(el)).to.equal('Hablar con alguien');
  });

  it('passes its language to the real chat frame, which shows it right to left', async () => {
    const relay = await testRelay();
    const el = await shellIn({ own: 'ar', server: relay.url });
    await el.show();
    expect(shadow(el).querySelector('iframe')!.getAttribute('src')).to.contain('&lang=ar');
    const heading = await untilInFrame<string>(relay.url, `chat()?.querySelector('h1')?.textContent`, 'the frame did not render');
    expect(heading).to.equal('التحدث مع أحد الأقران');
    expect(await untilInFrame<string>(relay.url, 'document.documentElement.dir', 'no dir')).to.equal('rtl');
    expect(await untilInFrame<string>(relay.url, 'document.documentElement.lang', 'no lang')).to.equal('ar');
  });
});
