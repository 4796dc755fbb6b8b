// SPDX-License-Identifier: Apache-2.0
/**
 * A hospital's own wording (KINDRED_CONFIG `strings`): checked at start with every problem
 * listed (an unknown language, key, placeholder or plural form, a missing placeholder, a value
 * that is not text), so the relay never starts with a string the chat would show wrong; and,
 * once valid, served with the hospital's information to the frame and the console.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.js';
import { createRelay } from '../src/relay.js';
import { secret, startRelay } from './helpers.js';

/** The problems `loadConfig` lists for a KINDRED_CONFIG file holding `file`. */
function problems(file: unknown): readonly string[] {
  try {
    loadConfig({ KINDRED_CONFIG: 'kindred.config.json' }, { demo: false }, () => JSON.stringify(file));
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

test('a valid strings section is kept as written, frozen', () => {
  const strings = {
    en: { idleHeading: 'Talk to someone who has been there', queuePosition: 'Your place in line: {position}.' },
    es: { 'ended.peer-ended': 'La persona voluntaria terminó el chat.', estimate: { one: 'Alrededor de un minuto.', other: 'Alrededor de {minutes} minutos.' } },
    ar: { waitedFor: { '=0': 'الانتظار: أقل من دقيقة', zero: 'لا انتظار', one: 'دقيقة', two: 'دقيقتان', few: '{minutes} دقائق', many: '{minutes} دقيقة', other: '{minutes} دقيقة' } },
    fr: { estimate: 'Environ {minutes} min.' },
  };
  const { config } = loadConfig({ KINDRED_CONFIG: 'kindred.config.json' }, { demo: false }, () => JSON.stringify({ strings }));
  assert.deepEqual(config.strings, strings);
  assert.ok(Object.isFrozen(config.strings.es), 'the overrides cannot change after start');
  assert.ok(Object.isFrozen((config.strings.es as Record<string, unknown>)['estimate']));
});

const bad: Array<{ title: string; strings: unknown; expected: RegExp }> = [
  { title: 'not an object', strings: ['es'], expected: /^KINDRED_CONFIG: strings: must be an object of languages/ },
  { title: 'a language the widget is not written in', strings: { de: { idleHeading: 'Hallo' } }, expected: /strings\.de: unknown language; the widget is written in en, es, fr, ar/ },
  { title: 'a region rather than a language', strings: { 'es-MX': {} }, expected: /strings\.es-MX: unknown language/ },
  { title: 'a language that is not an object', strings: { es: 'hola' }, expected: /strings\.es: must be an object of strings by key/ },
  { title: 'a misspelt key', strings: { en: { idleHeadng: 'Hi' } }, expected: /strings\.en\.idleHeadng: unknown string key/ },
  { title: 'a group written as an object', strings: { en: { ended: { 'peer-ended': 'x' } } }, expected: /strings\.en\.ended: unknown string key/ },
  { title: 'the launcher, which the page words with an attribute', strings: { en: { launcher: 'Talk' } }, expected: /strings\.en\.launcher: unknown string key; .*launcher-label/ },
  { title: 'a number', strings: { en: { idleHeading: 42 } }, expected: /strings\.en\.idleHeading: must be text/ },
  { title: 'empty text', strings: { es: { startChat: '  ' } }, expected: /strings\.es\.startChat: must not be empty/ },
  { title: 'text too long', strings: { en: { idleIntro: 'x'.repeat(1_001) } }, expected: /strings\.en\.idleIntro: must be at most 1000 characters/ },
  { title: 'a missing placeholder', strings: { en: { queuePosition: 'You are in the queue.' } }, expected: /strings\.en\.queuePosition: must contain \{position\}/ },
  { title: 'a misspelt placeholder', strings: { fr: { peerHours: 'Horaires : {hour}' } }, expected: /strings\.fr\.peerHours: unknown placeholder \{hour\}; this string takes \{hours\}/ },
  { title: 'a placeholder where none is taken', strings: { en: { startChat: 'Start {now}' } }, expected: /strings\.en\.startChat: unknown placeholder \{now\}; this string takes no placeholders/ },
  { title: 'plural forms on a string that counts nothing', strings: { en: { startChat: { one: 'a', other: 'b' } } }, expected: /strings\.en\.startChat: must be text/ },
  { title: 'plural forms without other', strings: { en: { estimate: { one: 'About a minute.' } } }, expected: /strings\.en\.estimate: plural forms need "other"/ },
  { title: 'an unknown plural form', strings: { en: { estimate: { several: '{minutes}', other: '{minutes}' } } }, expected: /strings\.en\.estimate\.several: unknown plural form/ },
  { title: 'a plural form for many numbers without the number', strings: { ar: { estimate: { few: 'بضع دقائق', other: '{minutes} دقيقة' } } }, expected: /strings\.ar\.estimate\.few: must contain \{minutes\}/ },
  { title: 'a text for every number without the number', strings: { es: { estimate: 'Unos minutos.' } }, expected: /strings\.es\.estimate: must contain \{minutes\}/ },
];

for (const { title, strings, expected } of bad) {
  test(`refused at start: ${title}`, () => {
    const found = problems({ strings }).join('\n');
    assert.match(found, expected, found);
  });
}

test('a plural form that stands for one number may leave the number out', () => {
  assert.deepEqual(problems({ strings: { en: { estimate: { '=1': 'About a minute.', one: 'About a minute.', other: 'About {minutes} minutes.' } } } }), []);
});

test('every problem of the section is listed at once, with the rest of the file’s', () => {
  const found = problems({
    hospital: { exitUrl: 'http://plain.example' },
    strings: {
      de: {},
      en: { idleHeadng: 'Hi', queuePosition: 'Queue', peerHours: '{hour}' },
      ar: { estimate: { few: 'بضع دقائق' } },
    },
  });
  assert.equal(found.length, 8, found.join('\n'));
  for (const problem of found) assert.match(problem, /^KINDRED_CONFIG: (hospital|strings)\./);
  assert.ok(found.some((problem) => /strings\.en\.peerHours: must contain \{hours\}/.test(problem)));
  assert.ok(found.some((problem) => /strings\.ar\.estimate: plural forms need "other"/.test(problem)));
});

test('createRelay refuses bad strings too, before it listens', async () => {
  await assert.rejects(
    createRelay({ port: 0, host: '127.0.0.1', secret, strings: { xx: {} } as never }),
    (error: unknown) => error instanceof ConfigError && error.problems.some((problem) => problem.startsWith('strings.xx: unknown language')),
  );
});

test('/hospital.json carries the strings when there are some, and only then', async () => {
  const strings = { es: { idleHeading: 'Habla con alguien que ha pasado por algo parecido' } };
  const withStrings = await startRelay({ strings });
  const info = await (await fetch(`${withStrings.url}/hospital.json`)).json();
  assert.deepEqual(info.strings, strings);
  const without = await startRelay();
  assert.equal('strings' in (await (await fetch(`${without.url}/hospital.json`)).json()), false);
});
