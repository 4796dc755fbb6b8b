// SPDX-License-Identifier: Apache-2.0
/**
 * The survivor's chat in Spanish, French and Arabic against a real relay: the language the
 * shell passes in the frame's fragment (checked against the languages we have), the first
 * screen translated, Arabic laid out right to left, and a hospital's own wording from the
 * relay's `strings` configuration in place of the built-in text.
 */
import { expect } from '@open-wc/testing';
import { button, expectAccessible, role, shadow, testRelay, text, waitForText, type TestRelay } from '../../testing/harness.js';
import { cleanUp, mountSurvivor } from '../../testing/peer.js';
import type { KindredChatFrame } from './chat-frame.js';

/** A frame on this page whose fragment (as the shell writes it) is `hash`: not embedded, so nothing else reads it. */
function frameWith(url: string, hash: string): Promise<KindredChatFrame> {
  return mountSurvivor(url, { parent: window, hash });
}

/** The relay whose hospital rewords some strings (web-test-runner.config.mjs, `hospitalStrings`). */
async function stringsRelay(): Promise<string> {
  const body = (await (await fetch('/__kindred-test-relay.json')).json()) as { stringsUrl?: string; problem?: string };
  if (!body.stringsUrl) throw new Error(body.problem ?? 'no relay with strings');
  return body.stringsUrl;
}

/** Makes the browser's languages `tags` until `restore()`: the last step of the frame's choice. */
function browserLanguages(tags: string[]): () => void {
  Object.defineProperty(navigator, 'languages', { value: tags, configurable: true });
  return () => delete (navigator as { languages?: unknown }).languages;
}

/** Which side of `container` the box `el` keeps to. */
function sideOf(el: Element, container: Element): 'left' | 'right' {
  const box = el.getBoundingClientRect();
  const around = container.getBoundingClientRect();
  return box.left - around.left < around.right - box.right ? 'left' : 'right';
}

const firstScreens = [
  { language: 'es', heading: 'Habla con una persona de apoyo', start: 'Empezar el chat', question: '¿Estás en un lugar seguro para hablar ahora?', dir: 'ltr' },
  // `text()` reads as a person does, so French's no-break space before "?" reads as a space.
  { language: 'fr', heading: 'Parler avec un pair', start: 'Commencer la discussion', question: 'Êtes-vous en sécurité pour parler en ce moment ?', dir: 'ltr' },
  { language: 'ar', heading: 'التحدث مع أحد الأقران', start: 'بدء المحادثة', question: 'هل من الآمن لك التحدث الآن؟', dir: 'rtl' },
] as const;

describe('<kindred-chat-frame> in other languages', () => {
  let relay: TestRelay;
  const page = { lang: '', dir: '' };

  before(async () => {
    relay = await testRelay();
  });

  // The frame marks its document with its language; this test page is every test's document.
  beforeEach(() => {
    page.lang = document.documentElement.lang;
    page.dir = document.documentElement.dir;
  });
  afterEach(cleanUp);
  afterEach(() => {
    document.documentElement.lang = page.lang;
    document.documentElement.dir = page.dir;
  });

  for (const screen of firstScreens) {
    it(`shows its first screen in ${screen.language}, and marks its document lang="${screen.language}" dir="${screen.dir}"`, async () => {
      const el = await frameWith(relay.url, `#lang=${screen.language}`);
      const root = shadow(el);
      expect(text(root.querySelector('h1'))).to.equal(screen.heading);
      expect(text(root.querySelector('legend'))).to.equal(screen.question);
      expect(button(root, screen.start)).to.exist;
      // Quick exit, in the shell's words for the language, stays first.
      expect(text(root.querySelector('header button'))).to.equal({ es: 'Salida rápida', fr: 'Sortie rapide', ar: 'خروج سريع' }[screen.language]);
      expect(document.documentElement.lang).to.equal(screen.language);
      expect(document.documentElement.dir).to.equal(screen.dir);
      await expectAccessible(el);
    });
  }

  it('takes the language from the fragment by its primary language, and only one it has; else the element’s, else the browser’s', async () => {
    const restore = browserLanguages(['fr-CA', 'en']);
    try {
      const mexican = await frameWith(relay.url, '#origin=x&lang=es-MX');
      expect(text(shadow(mexican).querySelector('h1'))).to.equal('Habla con una persona de apoyo');
      mexican.remove();

      // An unknown language in the fragment is not trusted: the element's own lang comes next…
      const element = document.createElement('kindred-chat-frame');
      element.setAttribute('lang', 'ar');
      element.server = relay.url;
      element.embedding = { parent: window, hash: '#lang=<script>' };
      document.body.append(element);
      await element.updateComplete;
      expect(text(shadow(element).querySelector('h1'))).to.equal('التحدث مع أحد الأقران');
      element.remove();

      // …then the browser's, French here.
      const browser = await frameWith(relay.url, '#lang=de');
      expect(text(shadow(browser).querySelector('h1'))).to.equal('Parler avec un pair');
    } finally {
      restore();
    }
    // Nothing we have, anywhere: English.
    const restoreGerman = browserLanguages(['de-DE', 'de']);
    try {
      const german = await frameWith(relay.url, '#lang=de');
      expect(text(shadow(german).querySelector('h1'))).to.equal('Talk with a peer');
      expect(document.documentElement.lang).to.equal('en');
    } finally {
      restoreGerman();
    }
  });

  it('in Arabic, mirrors the layout: Quick exit at the right, Send at the left of the message box; says the queue in Arabic', async () => {
    const el = await frameWith(relay.url, '#lang=ar');
    const root = shadow(el);
    const quickExit = root.querySelector('header .quick-exit')!.getBoundingClientRect();
    const brand = root.querySelector('header .brand')!.getBoundingClientRect();
    expect(quickExit.left, 'Quick exit starts the header, at its right').to.be.greaterThan(brand.left);
    button(root, 'بدء المحادثة').click();
    await waitForText(() => role(root, 'status'), 'ترتيبك في قائمة الانتظار');
    const box = root.querySelector('textarea')!.getBoundingClientRect();
    const send = button(root, 'إرسال').getBoundingClientRect();
    expect(send.right, 'Send ends before the message box starts').to.be.at.most(box.left);
    expect(getComputedStyle(root.querySelector('textarea')!).direction).to.equal('rtl');
    // A message written while waiting: the survivor's own bubble keeps to the inline end, the left.
    root.querySelector('textarea')!.value = 'مرحبا';
    button(root, 'إرسال').click();
    await waitForText(() => role(root, 'log'), 'مرحبا');
    expect(sideOf(root.querySelector('.bubble.own')!, role(root, 'log'))).to.equal('left');
    await expectAccessible(el);
  });

  it('in Spanish, keeps Send at the right of the message box', async () => {
    const el = await frameWith(relay.url, '#lang=es');
    const root = shadow(el);
    button(root, 'Empezar el chat').click();
    await waitForText(() => role(root, 'status'), 'Estás en el puesto 1 de la fila.');
    const box = root.querySelector('textarea')!.getBoundingClientRect();
    const send = button(root, 'Enviar').getBoundingClientRect();
    expect(send.left).to.be.at.least(box.right);
    root.querySelector('textarea')!.value = 'Hola';
    button(root, 'Enviar').click();
    await waitForText(() => role(root, 'log'), 'Hola');
    expect(sideOf(root.querySelector('.bubble.own')!, role(root, 'log'))).to.equal('right');
    await expectAccessible(el);
  });

  it('shows the hospital’s own wording in place of the built-in text, for its language only', async () => {
    const url = await stringsRelay();
    const english = await frameWith(url, '#lang=en');
    const root = shadow(english);
    expect(text(root.querySelector('h1'))).to.equal('Talk to someone who has been there');
    button(root, 'Begin').click();
    // An override with a placeholder: the relay's number goes where the hospital put {position}.
    await waitForText(() => role(root, 'status'), 'Your place in line: 1.');
    await english.leave();
    english.remove();

    const spanish = await frameWith(url, '#lang=es');
    expect(text(shadow(spanish).querySelector('h1'))).to.equal('Habla con alguien que ha pasado por algo parecido');
    // English overrides stay English: Spanish keeps its own Start button.
    expect(button(shadow(spanish), 'Empezar el chat')).to.exist;
  });
});
