// SPDX-License-Identifier: Apache-2.0
/** docs/protocol.md is for people; this keeps its tables true to the code. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { errorCodes, peerSchemas, survivorSchemas } from '@kindred/protocol';

const doc = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8');

/** Rows of the markdown table under `heading`, as arrays of cell text. */
function table(heading: string): string[][] {
  const section = doc.split(/^## /m).find((part) => part.startsWith(heading));
  assert.ok(section, `docs/protocol.md has a "${heading}" section`);
  return section
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[-| ]+\|$/.test(line))
    .slice(1)
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim().replace(/^`|`$/g, '')));
}

test('the error-code table lists every code with its exact message, and nothing else', () => {
  const rows = table('Error codes');
  assert.deepEqual(Object.fromEntries(rows.map(([code, message]) => [code, message])), errorCodes);
});

test('each namespace table lists exactly the events a client may send', () => {
  const requests = (heading: string) =>
    table(heading).filter(([, direction]) => direction === 'client → relay').map(([event]) => event).sort();
  assert.deepEqual(requests('Survivor namespace'), Object.keys(survivorSchemas).sort());
  assert.deepEqual(requests('Peer namespace'), Object.keys(peerSchemas).sort());
});
