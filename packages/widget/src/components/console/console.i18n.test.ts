// SPDX-License-Identifier: Apache-2.0
/**
 * The peer console in other languages against a real relay: its language from its own `lang`,
 * else its page's, else the browser's; Arabic right to left; and a hospital's own wording from
 * the relay's `strings` configuration.
 */
import { expect } from '@open-wc/testing';
import { button, expectAccessible, field, role, shadow, testRelay, text, waitForText, type TestRelay } from '../../testing/harness.js';
import { cleanUp, mountConsole } from '../../testing/peer.js';
import type { KindredConsole } from './console.js';

/** The relay whose hospital rewords some strings (web-test-runner.config.mjs, `hospitalStrings`). */
async function stringsRelay(): Promise<string> {
  const body = (await (await fetch('/__kindred-test-relay.json')).json()) as { stringsUrl?: string; problem?: string };
  if (!body.stringsUrl) throw new Error(body.problem ?? 'no relay with strings');
  return body.stringsUrl;
}

/** Makes the browser's languages `tags` until `restore()`. */
function browserLanguages(tags: string[]): () => void {
  Object.defineProperty(navigator, 'languages', { value: tags, configurable: true });
  return () => delete (navigator as { languages?: unknown }).languages;
}

/** A console in `<div lang=…>` when `around` is given, with its own `lang` when `own` is. */
async function consoleIn({ url, own, around }: { url: string; own?: string; around?: string }): Promise<KindredConsole> {
  const el = document.createElement('kindred-console');
  el.server = url;
  if (own) el.setAttribute('lang', own);
  const wrapper = document.createElement('div');
  if (around) wrapper.setAttribute('lang', around);
  wrapper.append(el);
  document.body.append(wrapper);
  await el.updateComplete;
  return el;
}

const heading = (el: KindredConsole) => text(shadow(el).querySelector('h1'));

describe('<kindred-console> in other languages', () => {
  let relay: TestRelay;
  const page = { lang: '', dir: '' };

  before(async () => {
    relay = await testRelay();
  });

  beforeEach(() => {
    page.lang = document.documentElement.lang;
    page.dir = document.documentElement.dir;
  });
  afterEach(cleanUp);
  afterEach(() => {
    document.querySelectorAll('kindred-console').forEach((el) => el.closest('div')?.remove() ?? el.remove());
    document.documentElement.lang = page.lang;
    document.documentElement.dir = page.dir;
  });

  it('takes its own lang first, then its page’s, then the browser’s, by primary language', async () => {
    document.documentElement.lang = 'fr';
    const own = await consoleIn({ url: relay.url, own: 'es-MX' });
    expect(heading(own)).to.equal('Consola de apoyo entre pares de Kindred');
    expect(own.getAttribute('lang')).to.equal('es');

    const nearest = await consoleIn({ url: relay.url, around: 'ar' });
    expect(heading(nearest)).to.equal('لوحة الأقران في Kindred');

    const fromPage = await consoleIn({ url: relay.url });
    expect(heading(fromPage)).to.equal('Console des pairs Kindred');

    document.documentElement.removeAttribute('lang');
    const restore = browserLanguages(['de', 'es-AR']);
    try {
      const fromBrowser = await consoleIn({ url: relay.url });
      expect(heading(fromBrowser)).to.equal('Consola de apoyo entre pares de Kindred');
      // The page declared no language, so the console's becomes the page's (WCAG 3.1.1).
      expect(document.documentElement.lang).to.equal('es');
      expect(document.documentElement.dir).to.equal('ltr');
    } finally {
      restore();
    }

    // None we have, anywhere: English.
    document.documentElement.lang = 'de';
    const restoreGerman = browserLanguages(['de-DE']);
    try {
      const unknown = await consoleIn({ url: relay.url, own: 'pt-BR' });
      expect(heading(unknown)).to.equal('Kindred peer console');
      expect(unknown.getAttribute('dir')).to.equal('ltr');
    } finally {
      restoreGerman();
    }
  });

  it('in Arabic, is marked right to left, signs in in Arabic and passes axe', async () => {
    const el = await consoleIn({ url: relay.url, own: 'ar' });
    const root = shadow(el);
    expect(el.getAttribute('dir')).to.equal('rtl');
    expect(getComputedStyle(root.querySelector('h1')!).direction).to.equal('rtl');
    field<HTMLInputElement>(root, 'رمز الدخول').value = 'not-a-token';
    button(root, 'تسجيل الدخول').click();
    // The relay's error code, in the console's words.
    await waitForText(() => role(root, 'status'), 'تعذّر تسجيل الدخول');
    await expectAccessible(el);
  });

  it('shows the hospital’s own wording in place of the built-in text', async () => {
    const url = await stringsRelay();
    document.documentElement.lang = 'en';
    const el = await mountConsole(url);
    expect(heading(el)).to.equal('St Example peer desk');
    // What the hospital did not reword stays built in.
    expect(button(shadow(el), 'Sign in')).to.exist;
    const spanish = await consoleIn({ url, own: 'es' });
    // The English override is not Spanish.
    expect(heading(spanish)).to.equal('Consola de apoyo entre pares de Kindred');
  });
});
