// SPDX-License-Identifier: Apache-2.0
/**
 * Topic and language matching, as peers and survivors notice it (src/matching.ts): what a
 * survivor may choose, the order of each peer's waiting list, the end of a wait for a match,
 * and honesty when nobody on duty matches. Offers are off here (offers.test.ts has them), so
 * that nothing but the lists moves. Runs against Redis too (redis-parity.test.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { QueueEntry } from '@kindred/protocol';
import { ConfigError, defaultHospital, loadConfig } from '../src/config.js';
import { expectOk, nextWhere, queueUpdate, request, startRelay, survivor } from './helpers.js';
import { matchingRelay, peerWith, waiting } from './matching-helpers.js';

/** The names in a list, in its order, with `+` for the entries that fit this peer. */
const order = (entries: QueueEntry[], names: Map<string, string>) => entries.map((entry) => `${names.get(entry.ticket)}${entry.matches ? '+' : ''}`);

test('chat:start takes a topic and a language from the hospital’s lists, and refuses any other with its own code', async () => {
  const relay = await matchingRelay();
  const refused = async (payload: object) => {
    const ack = await request(await survivor(relay), 'chat:start', payload);
    return ack.ok ? 'ok' : ack.error.code;
  };
  assert.equal(await refused({ topic: 'grief' }), 'topic-unknown');
  assert.equal(await refused({ language: 'de' }), 'language-unknown');
  assert.equal(await refused({ topic: 'injury', language: 'de' }), 'language-unknown');
  assert.equal(await refused({ language: 'en-GB' }), 'language-unknown', 'only the listed tags, not their relatives');
  assert.equal(await refused({ topic: 'Injury' }), 'payload-invalid', 'not even the shape of an id');
  assert.equal(relay.counts().waiting, 0, 'a refused start queues nobody');

  // Listed ones, with a language tag however it is cased.
  assert.equal(await refused({ topic: 'injury', language: 'es', safety: 'safe' }), 'ok');
  assert.equal(await refused({ language: 'pt-br' }), 'ok');
  assert.equal(await refused({}), 'ok', 'both choices are optional');
  assert.equal(relay.counts().waiting, 3);
});

test('with no topics or languages configured, any choice is refused', async () => {
  const relay = await startRelay({ hospital: defaultHospital, offerMs: 0 });
  const sam = await survivor(relay);
  const topic = await request(sam, 'chat:start', { topic: 'injury' });
  assert.equal(!topic.ok && topic.error.code, 'topic-unknown');
  const language = await request(sam, 'chat:start', { language: 'en' });
  assert.equal(!language.ok && language.error.code, 'language-unknown');
});

test('each peer sees "not safe" first, then those who match them, then the rest, each longest-waiting first', async () => {
  const relay = await matchingRelay({ matchWaitMs: 60_000 });
  // Ana speaks Spanish and takes injuries; Ben's token lists no topics (he takes any) and no
  // languages (he speaks the hospital's main one, English).
  const ana = await peerWith(relay, { name: 'Ana', topics: ['injury'], languages: ['es'] });
  const ben = await peerWith(relay, { name: 'Ben' });
  const names = new Map<string, string>();
  const start = async (name: string, choice: Record<string, string>) => {
    const { list } = await waiting(relay, ana, choice);
    for (const entry of list.entries) if (!names.has(entry.ticket)) names.set(entry.ticket, name);
    return list;
  };
  await start('spanish', { language: 'es' });
  await start('assault', { topic: 'assault', language: 'en' });
  await start('any', {});
  const benSees = queueUpdate(ben, (list) => list.total === 4);
  const anaList = await start('unsafe', { language: 'es', safety: 'unsafe' });
  const benList = await benSees;
  assert.deepEqual(order(anaList.entries, names), ['unsafe+', 'spanish+', 'any+', 'assault']);
  assert.deepEqual(order(benList.entries, names), ['unsafe', 'assault+', 'any+', 'spanish']);
  // What each survivor chose travels with their entry (nothing else about them does).
  const spanish = anaList.entries.find((entry) => names.get(entry.ticket) === 'spanish')!;
  assert.deepEqual({ language: spanish.language, topic: spanish.topic }, { language: 'es', topic: undefined });
  const assault = benList.entries.find((entry) => names.get(entry.ticket) === 'assault')!;
  assert.deepEqual({ language: assault.language, topic: assault.topic }, { language: 'en', topic: 'assault' });

  // Manual accept from the list stays: Ben may take the Spanish speaker, who does not fit him.
  const anaSees = queueUpdate(ana, (list) => list.total === 3);
  expectOk(await request(ben, 'chat:accept', { ticket: spanish.ticket }));
  const after = await anaSees;
  assert.deepEqual(order(after.entries, names), ['unsafe+', 'any+', 'assault']);
});

test('a survivor waits for a peer who matches only up to the match time; then every peer sees them as matching', async () => {
  const relay = await matchingRelay({ matchWaitMs: 1_500 });
  const ana = await peerWith(relay, { name: 'Ana', languages: ['es'] });
  const ben = await peerWith(relay, { name: 'Ben', languages: ['en'] });
  const { list: first } = await waiting(relay, ben, { language: 'es' });
  const spanishTicket = first.entries[0]!.ticket;
  const { list: second } = await waiting(relay, ben, { language: 'en' });
  const englishTicket = second.entries.find((entry) => entry.ticket !== spanishTicket)!.ticket;
  // Ana, who matches, is on duty: the Spanish speaker waits for her, behind Ben's own match.
  assert.deepEqual(
    second.entries.map((entry) => [entry.ticket, entry.matches]),
    [
      [englishTicket, true],
      [spanishTicket, false],
    ],
  );
  const started = Date.now();
  const opened = await queueUpdate(ben, (list) => list.entries.every((entry) => entry.matches));
  const waited = Date.now() - started;
  assert.ok(waited >= 1_000 && waited < 5_000, `opened after the match time (${waited} ms)`);
  // Now they fit Ben too, and come first: they have waited longest.
  assert.deepEqual(
    opened.entries.map((entry) => entry.ticket),
    [spanishTicket, englishTicket],
  );
  void ana;
});

test('nobody on duty matches: the survivor is told so at once and fits every peer; a match coming on duty changes both', async () => {
  const relay = await matchingRelay({ matchWaitMs: 60_000 });
  const ben = await peerWith(relay, { name: 'Ben', languages: ['en'] });
  const sam = await survivor(relay);
  const told = nextWhere(sam, 'queue:updated', (status) => status.noMatch === true);
  const listed = queueUpdate(ben);
  const ack = expectOk<Record<string, unknown>>(await request(sam, 'chat:start', { language: 'fr', topic: 'injury' }));
  assert.equal(ack.peersOnDuty, 1);
  assert.deepEqual(await told, { position: 1, peersOnDuty: 1, estimateMinutes: null, noMatch: true });
  assert.equal((await listed).entries[0]!.matches, true, 'no point waiting for a peer who is not there');

  // A French speaker comes on duty: the survivor waits for her now, and hears nothing false.
  const matched = nextWhere(sam, 'queue:updated', (status) => status.noMatch === undefined);
  const benSees = queueUpdate(ben, (list) => list.entries[0]?.matches === false);
  const chloe = await peerWith(relay, { name: 'Chloé', languages: ['fr'] }, { onDuty: false });
  const chloeSees = queueUpdate(chloe);
  expectOk(await request(chloe, 'duty:set', { onDuty: true }));
  assert.deepEqual(await matched, { position: 1, peersOnDuty: 2, estimateMinutes: null });
  await benSees;
  assert.equal((await chloeSees).entries[0]!.matches, true);
});

test('with nobody on duty at all, "no peer on duty" is the whole story: no separate no-match note', async () => {
  const relay = await matchingRelay();
  const sam = await survivor(relay);
  assert.deepEqual(expectOk(await request(sam, 'chat:start', { language: 'es' })), { position: 1, peersOnDuty: 0, estimateMinutes: null });
});

test('tags are compared as languages: a peer who lists pt matches a survivor who chose pt-BR', async () => {
  const relay = await matchingRelay({ matchWaitMs: 60_000 });
  const ines = await peerWith(relay, { name: 'Inês', languages: ['pt'] });
  const ben = await peerWith(relay, { name: 'Ben' });
  const benSees = queueUpdate(ben);
  const { list } = await waiting(relay, ines, { language: 'pt-BR' });
  assert.equal(list.entries[0]!.matches, true);
  assert.equal((await benSees).entries[0]!.matches, false);
});

test('KINDRED_CONFIG: topics, languages and the matching times are checked at start, every problem listed with its path', () => {
  const file = {
    hospital: {
      topics: [
        { id: 'injury', label: 'After an injury', labels: { es: 'Después de una lesión' } },
        { id: 'injury', label: 'Twice' },
        { id: 'Bad Id', label: '' },
        { id: 'loss', label: 'After a loss', labels: { 'not a tag': 'x' } },
      ],
      languages: ['en', 'klingon-language-please', 'en'],
    },
    matching: { matchWaitSeconds: -5, offerSeconds: 3 },
  };
  let found: readonly string[] = [];
  try {
    loadConfig({ KINDRED_CONFIG: '/config.json' }, { demo: false }, () => JSON.stringify(file));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    found = error.problems;
  }
  const text = found.join('\n');
  assert.match(text, /KINDRED_CONFIG\.matching\.matchWaitSeconds: must be 0 \(no waiting for a match\) or from 1 to 3600/);
  assert.match(text, /KINDRED_CONFIG\.matching\.offerSeconds: must be 0 \(no offers\) or from 10 to 600/);
  // The hospital section is checked after the file's shape: fix the matching times, see the rest.
  const fixed = { ...file, matching: { matchWaitSeconds: 60, offerSeconds: 20 } };
  try {
    loadConfig({ KINDRED_CONFIG: '/config.json' }, { demo: false }, () => JSON.stringify(fixed));
    assert.fail('the hospital section should be refused');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const all = error.problems.join('\n');
    assert.match(all, /KINDRED_CONFIG: hospital\.topics: topic ids must be unique/);
    assert.match(all, /KINDRED_CONFIG: hospital\.topics\.2\.id: must be 1 to 40 of a-z, 0-9 and -/);
    assert.match(all, /KINDRED_CONFIG: hospital\.topics\.2\.label: must not be empty/);
    assert.match(all, /KINDRED_CONFIG: hospital\.topics\.3\.labels\.not a tag: keys must be language tags/);
    assert.match(all, /KINDRED_CONFIG: hospital\.languages\.1: must be a language tag such as en or pt-BR/);
  }
  // (A list with a malformed item is not checked for duplicates as well: one problem at a time there.)
  assert.throws(
    () => loadConfig({ KINDRED_CONFIG: '/c.json' }, { demo: false }, () => JSON.stringify({ hospital: { languages: ['en', 'es', 'en'] } })),
    (error: unknown) => error instanceof ConfigError && /KINDRED_CONFIG: hospital\.languages: languages must be unique/.test(error.problems.join('\n')),
  );
});

test('KINDRED_CONFIG: matching times become the relay’s, languages are written the canonical way, and both lists are optional', () => {
  const file = { hospital: { topics: [{ id: 'injury', label: 'After an injury' }], languages: ['en', 'pt-br'] }, matching: { matchWaitSeconds: 45, offerSeconds: 0 } };
  const { config } = loadConfig({ KINDRED_CONFIG: '/c.json' }, { demo: false }, () => JSON.stringify(file));
  assert.equal(config.matchWaitMs, 45_000);
  assert.equal(config.offerMs, 0);
  assert.deepEqual(config.hospital.languages, ['en', 'pt-BR']);
  const plain = loadConfig({ KINDRED_CONFIG: '/c.json' }, { demo: false }, () => JSON.stringify({ hospital: { name: 'St Example' } })).config;
  assert.deepEqual([plain.hospital.topics, plain.hospital.languages, plain.matchWaitMs, plain.offerMs], [[], [], 120_000, 30_000]);
});

test('the example configuration has topics and languages, and /hospital.json serves them', async () => {
  const example = JSON.parse(readFileSync(new URL('../../../examples/kindred.config.json', import.meta.url), 'utf8'));
  const relay = await startRelay({ hospital: { ...defaultHospital, ...example.hospital } });
  const info = await (await fetch(`${relay.url}/hospital.json`)).json();
  assert.deepEqual(info.languages, ['en', 'es', 'fr', 'ar']);
  assert.deepEqual(info.topics.map((topic: { id: string }) => topic.id), ['injury', 'assault', 'loss']);
  assert.equal(info.topics[0].labels.es, 'Después de una lesión');
});
