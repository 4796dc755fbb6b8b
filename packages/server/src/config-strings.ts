// SPDX-License-Identifier: Apache-2.0
/**
 * The `strings` section of KINDRED_CONFIG: a hospital's own wording for any string of the chat
 * frame and the peer console, by language:
 *
 * ```json
 * "strings": {
 *   "en": { "idleHeading": "Talk to someone who has been there", "estimate": { "one": "About a minute.", "other": "About {minutes} minutes." } },
 *   "es": { "ended.peer-ended": "La persona voluntaria terminó el chat." }
 * }
 * ```
 *
 * Keys are the protocol's `stringKeys` (grouped ones with a dot); languages are `uiLanguages`.
 * Placeholders are written `{name}`: a string must use exactly the ones its key takes, since a
 * missing one drops a fact the survivor needs ("You are number  in the queue") and an unknown
 * one would show its braces. A string that counts something may instead give plural forms
 * (`zero`, `one`, `two`, `few`, `many`, `other`, or `=N` for one exact number), `other`
 * required; the `zero`, `one`, `two` and `=N` forms may leave the number out ("About a
 * minute."). The relay checks the whole section at start and refuses to start, listing every
 * problem, like the rest of the configuration; the frame and the console receive it with the
 * hospital's information (`/hospital.json`) and put each string in place of the built-in one.
 * Overrides are text: they go into the page through Lit's text bindings, never as markup.
 */
import { pluralForms, stringKeys, uiLanguages, type UiLanguage } from '@kindred/protocol';

/** One override: text, or plural forms. */
export type StringOverride = string | Readonly<Record<string, string>>;

/** The section once checked: overrides by language, then by key. */
export type StringOverrides = Readonly<Partial<Record<UiLanguage, Readonly<Record<string, StringOverride>>>>>;

/** The longest override, in characters: the longest built-in string is about 200. */
const maxLength = 1_000;

/** Forms that may leave the counted number out: they stand for one known number. */
const exactForms = new Set(['zero', 'one', 'two']);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const placeholdersIn = (text: string): string[] => [...text.matchAll(/\{([^{}]*)\}/g)].map((match) => match[1]!);

const list = (names: readonly string[]): string => (names.length > 0 ? names.map((name) => `{${name}}`).join(', ') : 'no placeholders');

/**
 * Problems with one text of `path`, whose key takes `names`. `complete`: it must use every one
 * of them (false for the plural forms that stand for one known number).
 */
function textProblems(path: string, text: unknown, names: readonly string[], complete: boolean): string[] {
  if (typeof text !== 'string') return [`${path}: must be text`];
  if (text.trim() === '') return [`${path}: must not be empty`];
  if (text.length > maxLength) return [`${path}: must be at most ${maxLength} characters`];
  const used = placeholdersIn(text);
  const problems = used.filter((name) => !names.includes(name)).map((name) => `${path}: unknown placeholder {${name}}; this string takes ${list(names)}`);
  if (complete) problems.push(...names.filter((name) => !used.includes(name)).map((name) => `${path}: must contain {${name}}`));
  return problems;
}

/** Problems with the override at `path` of a key declared as `declared` (see `stringKeys`). */
function overrideProblems(path: string, value: unknown, declared: string): string[] {
  const names = declared.split(' ').filter(Boolean);
  const plural = names.some((name) => name.startsWith('#'));
  const bare = names.map((name) => name.replace(/^#/, ''));
  if (!plural || typeof value === 'string') return textProblems(path, value, bare, true);
  if (!isRecord(value)) return [`${path}: must be text, or plural forms such as { "one": "…", "other": "…" }`];
  const problems: string[] = [];
  if (!Object.hasOwn(value, 'other')) problems.push(`${path}: plural forms need "other"`);
  for (const [form, text] of Object.entries(value)) {
    if (!(pluralForms as readonly string[]).includes(form) && !/^=\d{1,6}$/.test(form)) {
      problems.push(`${path}.${form}: unknown plural form; use ${pluralForms.join(', ')} or =N`);
      continue;
    }
    problems.push(...textProblems(`${path}.${form}`, text, bare, !exactForms.has(form) && !form.startsWith('=')));
  }
  return problems;
}

/**
 * Checks the `strings` section (undefined: none). Returns the overrides, frozen, and every
 * problem found, each with its path (`strings.es.estimate.few: must contain {minutes}`).
 */
export function checkStrings(value: unknown): { strings: StringOverrides; problems: string[] } {
  if (value === undefined) return { strings: Object.freeze({}), problems: [] };
  if (!isRecord(value)) return { strings: Object.freeze({}), problems: ['strings: must be an object of languages, such as { "es": { … } }'] };
  const problems: string[] = [];
  for (const [language, overrides] of Object.entries(value)) {
    if (!(uiLanguages as readonly string[]).includes(language)) {
      problems.push(`strings.${language}: unknown language; the widget is written in ${uiLanguages.join(', ')}`);
      continue;
    }
    if (!isRecord(overrides)) {
      problems.push(`strings.${language}: must be an object of strings by key`);
      continue;
    }
    for (const [key, override] of Object.entries(overrides)) {
      const path = `strings.${language}.${key}`;
      const declared = Object.hasOwn(stringKeys, key) ? stringKeys[key] : undefined;
      if (key === 'launcher') problems.push(`${path}: unknown string key; the launcher is on the hospital's page, which words it: <kindred-chat launcher-label="…">`);
      else if (declared === undefined) problems.push(`${path}: unknown string key (the keys are listed in packages/protocol/src/strings.ts)`);
      else problems.push(...overrideProblems(path, override, declared));
    }
  }
  return { strings: deepFreeze(structuredClone(value)) as StringOverrides, problems };
}

function deepFreeze<T>(value: T): T {
  if (isRecord(value)) for (const each of Object.values(value)) deepFreeze(each);
  return Object.freeze(value);
}
