// SPDX-License-Identifier: Apache-2.0
/**
 * The small runtime behind every catalogue: which language to use, and how a message with
 * values becomes text. Shared by the shell, the frame and the console, so each function is
 * small and separate (the shell takes only `pageLanguage`, `format` and `isRtl`).
 *
 * A message is text with named placeholders, `'You are number {position} in the queue.'`, or,
 * when a number changes the wording, an object of plural forms named as `Intl.PluralRules`
 * names them, plus `=0`, `=1` … for one exact number:
 * `{ '=0': 'waiting less than a minute', one: 'waiting {minutes} minute', other: 'waiting {minutes} minutes' }`.
 * Whole sentences with placeholders, never pieces joined in English word order: a translation
 * may put `{name}` wherever its grammar wants it. Numbers go through `Intl.NumberFormat` of the
 * language (so Arabic may show its own digits), and in a right-to-left language every other
 * value is wrapped in Unicode isolates (U+2068 … U+2069), so a Latin name or a phone number
 * cannot reorder the sentence around it.
 */
import { rtlLanguages, uiLanguages as languages, type UiLanguage as Language } from '@kindred/protocol';

export { languages, type Language };

/** Plural forms of one message; `other` is the one every language has. */
export type Plural = { readonly other: string; readonly [form: string]: string };

/** One message: text, or plural forms. */
export type Message = string | Plural;

/** A catalogue, or a group of messages inside one (`ended`, `errors`). */
export interface Messages {
  readonly [key: string]: Message | Messages;
}

/** Values for a message: numbers are formatted for the language, text is put in as it is. */
export type Values = Readonly<Record<string, string | number>>;

type Names<S> = S extends `${string}{${infer Name}}${infer Rest}` ? Name | Names<Rest> : never;
type ValuesOf<S> = { readonly [Name in Names<S>]: string | number };

/**
 * What a catalogue compiles to: text stays text; a message with placeholders becomes a
 * function of its values (`strings.queuePosition({ position: 2 })`), checked by name.
 */
export type Compiled<T> = {
  readonly [K in keyof T]: T[K] extends string
    ? [Names<T[K]>] extends [never]
      ? string
      : (values: ValuesOf<T[K]>) => string
    : T[K] extends { readonly other: infer Other extends string }
      ? (values: ValuesOf<Other>) => string
      : Compiled<T[K]>;
};

/** The shape of a translation of `T`: the same keys, any text, plural forms where `T` has them. */
export type Translation<T> = {
  readonly [K in keyof T]: T[K] extends string ? string : T[K] extends { readonly other: string } ? Plural : Translation<T[K]>;
};

/** True for the languages written right to left (their layout is mirrored). */
export const isRtl = (language: string): boolean => (rtlLanguages as readonly string[]).includes(language);

/**
 * The first of `tags` (BCP 47, best first) that Kindred has a catalogue for, by its primary
 * language (`es-MX` is Spanish, `fr-CA` French); English when none is.
 */
export function match(tags: Iterable<string | null | undefined>): Language {
  for (const tag of tags) {
    const primary = tag?.toLowerCase().split(/[-_]/)[0];
    if ((languages as readonly (string | undefined)[]).includes(primary)) return primary as Language;
  }
  return 'en';
}

/**
 * The language of the page around `element`: its own `lang` attribute or its nearest
 * ancestor's, else the document's `<html lang>`, else the browser's languages in order; the
 * first of them we have a catalogue for, else English. For the shell on a hospital page, and
 * for the console.
 */
export function pageLanguage(element: Element): Language {
  return match([element.closest('[lang]')?.getAttribute('lang'), document.documentElement.lang, ...navigator.languages]);
}

/** True when `value` is plural forms (an object with `other`), not a group of messages. */
const isPlural = (value: unknown): value is Plural => typeof (value as Plural | undefined)?.other === 'string';

/** The message with its values put in, its plural form chosen by its number (if any). */
export function format(language: string, message: Message, values: Values): string {
  const count = Object.values(values).find((value) => typeof value === 'number');
  const text = typeof message === 'string' ? message : (message[`=${count}`] ?? message[new Intl.PluralRules(language).select(count ?? 0)] ?? message.other);
  return text.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
    const value = values[name];
    if (value === undefined) return placeholder;
    if (typeof value === 'number') return new Intl.NumberFormat(language).format(value);
    return isRtl(language) ? `\u2068${value}\u2069` : value;
  });
}

/**
 * Compiles a catalogue for `language`, with the hospital's `overrides` (flat keys such as
 * `ended.peer-ended`, already checked by the relay at start) in place of the built-in text.
 * What a message compiles to follows the built-in one, whatever an override holds, so a call
 * site can never meet a string where it expects a function.
 */
export function compile<T extends Messages>(language: string, messages: T, overrides: Readonly<Record<string, unknown>> = {}, prefix = ''): Compiled<T> {
  const out: Record<string, unknown> = {};
  for (const [key, base] of Object.entries(messages)) {
    const path = prefix + key;
    if (typeof base === 'object' && !isPlural(base)) {
      out[key] = compile(language, base, overrides, `${path}.`);
      continue;
    }
    const given = overrides[path];
    // Text, or (where the built-in message has them) plural forms that are all text.
    const forms = typeof base === 'object' && isPlural(given) && Object.values(given).every((form) => typeof form === 'string');
    const message = typeof given === 'string' || forms ? (given as Message) : base;
    out[key] = typeof base === 'string' && !base.includes('{') ? message : (values: Values) => format(language, message, values);
  }
  return out as Compiled<T>;
}

/**
 * The hospital's overrides for `language` from `/hospital.json`'s `strings` (`{ "es": { key: text } }`),
 * or none: anything that is not an object counts as none (`Object()` makes it an empty one).
 * Which keys and placeholders are allowed the relay checked at start; `compile` takes only text,
 * or plural forms where the built-in message has them.
 */
export const overridesFor = (strings: unknown, language: Language): Readonly<Record<string, unknown>> =>
  Object(Object(strings)[language]) as Record<string, unknown>;

/** Marks `element` as written in `language`, right to left when it is (WCAG 3.1.1, 3.1.2). */
export function setLanguage(element: Element, language: Language): void {
  element.setAttribute('lang', language);
  element.setAttribute('dir', isRtl(language) ? 'rtl' : 'ltr');
}
