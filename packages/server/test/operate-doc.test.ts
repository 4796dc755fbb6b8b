// SPDX-License-Identifier: Apache-2.0
/**
 * docs/operate.md is for operators; this keeps it true to the code: the settings table names
 * exactly the environment variables the relay reads, the metrics table exactly the metrics
 * `/metrics` reports, and the sign-in table exactly the refusal reasons it counts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { signInRefusals } from '../src/auth/sign-in.js';
import { createMetrics } from '../src/metrics.js';
import { parseExposition } from './metrics-text.js';

const doc = readFileSync(new URL('../../../docs/operate.md', import.meta.url), 'utf8');
const source = (path: string) => readFileSync(new URL(`../src/${path}`, import.meta.url), 'utf8');

/** The first cell of each row of the first table under `heading` (any level), without backticks. */
function firstColumn(heading: string): string[] {
  const start = doc.search(new RegExp(`^#+ ${heading}$`, 'm'));
  assert.ok(start >= 0, `docs/operate.md has a "${heading}" section`);
  const lines = doc.slice(start).split('\n').slice(1);
  const table = lines.slice(lines.findIndex((line) => line.startsWith('|')));
  return table
    .slice(0, table.findIndex((line) => !line.startsWith('|')))
    .slice(2)
    .map((line) => line.split('|')[1]!.trim());
}

const names = (cells: string[]) => cells.flatMap((cell) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]!)).sort();

test('the settings table names every environment variable the relay reads, and nothing else', () => {
  const code = ['config.ts', 'auth/identity-provider.ts', 'main.ts'].map(source).join('\n');
  const read = new Set([...code.matchAll(/\b(?:process\.)?env(?:\.|\[')([A-Z][A-Z0-9_]+)/g)].map((match) => match[1]!));
  assert.ok(read.has('KINDRED_SECRET') && read.has('KINDRED_JWKS_URL'), 'the scan finds what it should');
  assert.deepEqual(names(firstColumn('Settings')), [...read].sort());
});

test('the metrics table lists every metric /metrics reports, and nothing else', () => {
  const reported = parseExposition(createMetrics().render({ waiting: 0, active: 0, onDuty: 0 }, true)).types;
  assert.deepEqual(names(firstColumn('Metrics')), [...reported.keys()].sort());
});

test('the sign-in failure table lists every refusal reason counted, and nothing else', () => {
  assert.deepEqual(names(firstColumn('When sign-in fails')), [...signInRefusals].sort());
});
