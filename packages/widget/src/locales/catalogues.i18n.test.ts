// SPDX-License-Identifier: Apache-2.0
/**
 * Walks every catalogue (frame, console, shell; English and each translation) so that no
 * language can miss a string, drop a placeholder or lack a plural form its grammar needs, and
 * so that the keys hospitals may override (the protocol's `stringKeys`, which the relay checks
 * configurations against) are exactly the widget's. Then the runtime: language matching,
 * plural choice, numbers and right-to-left isolation, and overrides.
 */
import { pluralForms, stringKeys, uiLanguages } from '@kindred/protocol';
import { expect } from '@open-wc/testing';
import { compile, format, match, type Message, type Messages } from '../internal/i18n.js';
import { shellStrings } from '../internal/i18n-shell.js';
import { consoleEn, loadConsoleStrings, strings as consoleStrings } from '../internal/strings-console.js';
import { frameEn, loadFrameStrings, peerOnlyErrors, strings as frameStrings } from '../internal/strings.js';
import { consoleStrings as consoleAr } from './ar/console.js';
import { frameStrings as frameAr } from './ar/frame.js';
import { consoleStrings as consoleEs } from './es/console.js';
import { frameStrings as frameEs } from './es/frame.js';
import { consoleStrings as consoleFr } from './fr/console.js';
import { frameStrings as frameFr } from './fr/frame.js';

const translations = {
  es: { frame: frameEs, console: consoleEs },
  fr: { frame: frameFr, console: consoleFr },
  ar: { frame: frameAr, console: consoleAr },
} as const;

/**
 * A frame translation leaves these error codes out (`PeerOnlyError`): a survivor is never
 * answered with them, and the console's catalogues translate them instead.
 */
const peerOnlyMissing: readonly string[] = peerOnlyErrors.map((code) => `errors.${code}: missing`);

const isPlural = (message: Message | Messages): message is Exclude<Message, string> =>
  typeof message === 'object' && typeof (message as { other?: unknown }).other === 'string';

/** Every message of a catalogue by its flat key (`ended.peer-ended`), as hospitals name them. */
function flatten(messages: Messages, prefix = ''): Map<string, Message> {
  const out = new Map<string, Message>();
  for (const [key, value] of Object.entries(messages)) {
    if (typeof value === 'string' || isPlural(value)) out.set(prefix + key, value);
    else for (const [inner, message] of flatten(value, `${prefix}${key}.`)) out.set(inner, message);
  }
  return out;
}

/** The placeholder names in one text, sorted and without repeats. */
const names = (text: string): string[] => [...new Set([...text.matchAll(/\{([^{}]*)\}/g)].map((each) => each[1]!))].sort();

/** Every placeholder a message uses, in any of its forms. */
const allNames = (message: Message): string[] =>
  typeof message === 'string' ? names(message) : [...new Set(Object.values(message).flatMap(names))].sort();

/** Forms that stand for one known number, so they may leave it out ("About a minute."). */
const exact = (form: string): boolean => form === 'zero' || form === 'one' || form === 'two' || form.startsWith('=');

/** Problems with `message` in `language` as a translation of `english` at `key`. */
function problemsOf(language: string, key: string, message: Message, english: Message): string[] {
  const expected = allNames(english);
  if (typeof english === 'string') {
    if (typeof message !== 'string') return [`${key}: should be text, as in English`];
    if (message.trim() === '') return [`${key}: is empty`];
    const used = names(message);
    return used.join() === expected.join() ? [] : [`${key}: placeholders ${used.join()} where English has ${expected.join()}`];
  }
  if (typeof message === 'string') return [`${key}: should have plural forms, as in English`];
  const problems: string[] = [];
  // Every category the language's own rules can pick, so no number falls back to `other`.
  for (const category of new Intl.PluralRules(language).resolvedOptions().pluralCategories) {
    if (typeof message[category] !== 'string') problems.push(`${key}: no "${category}" form, which ${language} uses`);
  }
  for (const [form, text] of Object.entries(message)) {
    if (!(pluralForms as readonly string[]).includes(form) && !/^=\d+$/.test(form)) problems.push(`${key}.${form}: not a plural form`);
    if (text.trim() === '') problems.push(`${key}.${form}: is empty`);
    const used = names(text);
    const unknown = used.filter((name) => !expected.includes(name));
    if (unknown.length > 0) problems.push(`${key}.${form}: unknown placeholders ${unknown.join()}`);
    if (!exact(form) && used.join() !== expected.join()) problems.push(`${key}.${form}: must say ${expected.join()}`);
  }
  return problems;
}

/** Problems with a whole translation against English: the same keys, each message sound. */
function catalogueProblems(language: string, catalogue: Messages, english: Messages): string[] {
  const mine = flatten(catalogue);
  const theirs = flatten(english);
  const problems = [...theirs.keys()].filter((key) => !mine.has(key)).map((key) => `${key}: missing`);
  problems.push(...[...mine.keys()].filter((key) => !theirs.has(key)).map((key) => `${key}: not in English`));
  for (const [key, message] of mine) {
    const englishMessage = theirs.get(key);
    if (englishMessage !== undefined) problems.push(...problemsOf(language, key, message, englishMessage));
  }
  return problems;
}

describe('catalogues', () => {
  it('English names exactly the keys and placeholders hospitals may override (the protocol’s stringKeys)', () => {
    const frame = flatten(frameEn);
    const console = flatten(consoleEn);
    // The one overlap is deliberate: the console's catalogues say the peer-only error codes,
    // which join the frame's `errors` (strings-console.ts), always with the same English.
    const shared = [...frame.keys()].filter((key) => console.has(key));
    expect(shared.sort(), 'a key in both would hide one of them in the console').to.deep.equal(peerOnlyMissing.map((problem) => problem.replace(': missing', '')).sort());
    for (const key of shared) expect(console.get(key), key).to.equal(frame.get(key));
    const english = new Map([...frame, ...console]);
    expect([...english.keys()].sort()).to.deep.equal(Object.keys(stringKeys).sort());
    for (const [key, message] of english) {
      const declared = stringKeys[key]!.split(' ').filter(Boolean);
      expect(allNames(message), key).to.deep.equal(declared.map((name) => name.replace(/^#/, '')).sort());
      expect(isPlural(message), `${key}: plural in English exactly when stringKeys marks a # number`).to.equal(declared.some((name) => name.startsWith('#')));
    }
  });

  it('English has the plural forms English uses, and every placeholder in them', () => {
    expect(catalogueProblems('en', frameEn, frameEn)).to.deep.equal([]);
    expect(catalogueProblems('en', consoleEn, consoleEn)).to.deep.equal([]);
    expect(catalogueProblems('en', shellStrings.en, shellStrings.en)).to.deep.equal([]);
  });

  for (const language of uiLanguages.filter((each) => each !== 'en')) {
    const catalogues = translations[language];
    it(`${language}: the frame, the console and the shell each have exactly the English keys, placeholders and ${language}'s plural forms`, () => {
      const frameProblems = catalogueProblems(language, catalogues.frame, frameEn).filter((problem) => !peerOnlyMissing.includes(problem));
      expect(frameProblems, 'frame').to.deep.equal([]);
      expect(catalogueProblems(language, catalogues.console, consoleEn), 'console').to.deep.equal([]);
      expect(catalogueProblems(language, shellStrings[language], shellStrings.en), 'shell').to.deep.equal([]);
    });

    it(`${language}: the frame says quick exit in the shell's words`, () => {
      for (const key of ['quickExit', 'shiftCountdown', 'exitActivated'] as const) {
        expect(catalogues.frame[key], key).to.deep.equal(shellStrings[language][key]);
      }
    });
  }

  it('peer-only error codes: no frame translation carries them; the console says them in its language', async () => {
    try {
      expect(await loadFrameStrings('es', Promise.resolve(undefined))).to.equal('es');
      for (const code of peerOnlyErrors) {
        expect(Object.hasOwn(frameEs.errors, code), `${code} in the frame's Spanish`).to.equal(false);
        // Never nothing: a frame on its own says one in English.
        expect(frameStrings.errors[code], code).to.equal(frameEn.errors[code]);
      }
      expect(await loadConsoleStrings('es', Promise.resolve(undefined))).to.equal('es');
      for (const code of peerOnlyErrors) {
        expect(consoleStrings.errors[code], code).to.equal(consoleEs.errors[code]);
        expect(consoleStrings.errors[code], code).not.to.equal(frameEn.errors[code]);
      }
      // The frame's own codes are still the frame's, in Spanish.
      expect(consoleStrings.errors['rate-limited']).to.equal(frameEs.errors['rate-limited']);
    } finally {
      await loadConsoleStrings('en', Promise.resolve(undefined));
    }
  });

  it('Arabic plural messages really differ by form (six forms, not one copied)', () => {
    for (const message of [frameAr.estimate, consoleAr.unreadShort, shellStrings.ar.unread]) {
      expect(new Set(['one', 'two', 'few', 'many'].map((form) => message[form])).size).to.equal(4);
    }
  });
});

describe('choosing a language', () => {
  it('takes the first tag we have by its primary language, else English', () => {
    expect(match(['es-MX'])).to.equal('es');
    expect(match(['fr-CA', 'en'])).to.equal('fr');
    expect(match(['AR-eg'])).to.equal('ar');
    expect(match(['de-DE', 'ar-SA', 'fr'])).to.equal('ar');
    expect(match([null, undefined, '', 'es_ES'])).to.equal('es');
    expect(match(['de', 'pt-BR'])).to.equal('en');
    expect(match([])).to.equal('en');
    // A bare subtag that merely starts like one of ours is not ours.
    expect(match(['esperanto', 'fra'])).to.equal('en');
  });
});

describe('formatting', () => {
  it('chooses the plural form by the language’s rules, and an exact =N form first', () => {
    const unread = shellStrings.ar.unread;
    const said = (count: number) => format('ar', unread, { count });
    expect(said(0)).to.equal(unread['zero']);
    expect(said(1)).to.equal(unread['one']);
    expect(said(2)).to.equal(unread['two']);
    expect(said(3)).to.equal(unread['few']!.replace('{count}', new Intl.NumberFormat('ar').format(3)));
    expect(said(11)).to.equal(unread['many']!.replace('{count}', new Intl.NumberFormat('ar').format(11)));
    expect(said(100)).to.equal(unread.other.replace('{count}', new Intl.NumberFormat('ar').format(100)));
    expect(format('en', consoleEn.waitedFor, { minutes: 0 })).to.equal('waiting less than a minute');
    expect(format('en', consoleEn.waitedFor, { minutes: 1 })).to.equal('waiting 1 minute');
    expect(format('fr', consoleFr.waitedFor, { minutes: 1_000_000 })).to.equal(`attend depuis ${new Intl.NumberFormat('fr').format(1_000_000)} de minutes`);
  });

  it('formats numbers for the language and isolates other values in right-to-left text', () => {
    expect(format('fr', frameFr.queuePosition, { position: 12_345 })).to.contain(new Intl.NumberFormat('fr').format(12_345));
    expect(format('es', frameEs.queuePosition, { position: 12_345 })).to.contain(new Intl.NumberFormat('es').format(12_345));
    // A Latin name or a phone number inside Arabic keeps its own order, and the sentence's.
    expect(format('ar', frameAr.isTyping, { name: 'Robin 2' })).to.equal('\u2068Robin 2\u2069 يكتب…');
    expect(format('en', frameEn.isTyping, { name: 'Robin 2' })).to.equal('Robin 2 is typing…');
  });

  it('compiles a catalogue with a hospital’s overrides, never changing what a key compiles to', () => {
    const strings = compile('en', frameEn, {
      idleHeading: 'Talk to us',
      'ended.peer-ended': 'Your peer has closed the chat.',
      estimate: { one: 'About a minute.', other: 'About {minutes} minutes.' },
      // Wrong shapes, which the relay refuses at start, are ignored rather than trusted here.
      startChat: { other: 'plural where text belongs' },
      peerHours: 42,
      notAKey: 'ignored',
    });
    expect(strings.idleHeading).to.equal('Talk to us');
    expect(strings.ended['peer-ended']).to.equal('Your peer has closed the chat.');
    expect(strings.ended['peer-left']).to.equal(frameEn.ended['peer-left']);
    expect(strings.estimate({ minutes: 1 })).to.equal('About a minute.');
    expect(strings.estimate({ minutes: 4 })).to.equal('About 4 minutes.');
    expect(strings.startChat).to.equal('Start chat');
    expect(strings.peerHours({ hours: '9 to 5' })).to.equal('Peers are usually here: 9 to 5');
    expect(strings.errors['rate-limited']).to.equal(frameEn.errors['rate-limited']);
  });
});
