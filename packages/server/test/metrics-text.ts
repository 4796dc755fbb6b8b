// SPDX-License-Identifier: Apache-2.0
/**
 * Reading `/metrics` as Prometheus would: a strict parser of the text exposition format (0.0.4)
 * that fails on any line a scraper would reject, and checks each histogram adds up.
 */
import assert from 'node:assert/strict';
import type { Relay } from '../src/relay.js';

/** The bearer token the tests' relays are given for `/metrics`. */
export const metricsToken = 'metrics-token-that-is-long-enough-0123456789';

/** The label names any Kindred metric may carry: a closed list (privacy rule 4). */
export const allowedLabels: ReadonlySet<string> = new Set(['reason', 'source', 'answer', 'le']);

const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*)\})? (\S+)$/;
const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\.)*)"/g;

export interface Exposition {
  text: string;
  /** Each family's type, by name. */
  types: Map<string, string>;
  /** The value of one sample, or undefined when it is not there. */
  value(name: string, labels?: Record<string, string>): number | undefined;
}

/** Parses an exposition, failing the test on anything a scraper would refuse. */
export function parseExposition(text: string): Exposition {
  assert.ok(text.endsWith('\n'), 'the exposition ends with a newline');
  const types = new Map<string, string>();
  const helps = new Set<string>();
  const samples = new Map<string, number>();
  const key = (name: string, labels: Record<string, string>) =>
    `${name}{${Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(',')}}`;
  for (const line of text.slice(0, -1).split('\n')) {
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      if (kind === 'HELP') helps.add(name);
      else {
        assert.ok(['counter', 'gauge', 'histogram'].includes(rest), `known type: ${line}`);
        assert.ok(!types.has(name), `one TYPE per family: ${name}`);
        types.set(name, rest);
      }
      continue;
    }
    const match = sampleLine.exec(line);
    assert.ok(match, `a valid sample line: ${JSON.stringify(line)}`);
    const [, name, labelText = '', valueText] = match as unknown as [string, string, string | undefined, string];
    const family = types.has(name) ? name : name.replace(/_(bucket|sum|count)$/, '');
    assert.ok(types.has(family), `sample of a declared family: ${name}`);
    assert.ok(helps.has(family), `family with HELP: ${family}`);
    const labels: Record<string, string> = {};
    for (const [, label, value] of labelText.matchAll(labelPair)) {
      assert.ok(allowedLabels.has(label!), `only allowed labels: ${label} in ${line}`);
      labels[label!] = value!;
    }
    const value = valueText === '+Inf' ? Infinity : Number(valueText);
    assert.ok(!Number.isNaN(value), `a numeric value: ${line}`);
    assert.ok(!samples.has(key(name, labels)), `no repeated sample: ${line}`);
    samples.set(key(name, labels), value);
  }
  // Histograms add up: cumulative buckets never fall, and +Inf is the count.
  for (const [name, type] of types) {
    if (type !== 'histogram') continue;
    const buckets: Array<readonly [number, number]> = [];
    for (const [sample, count] of samples) {
      const le = new RegExp(`^${name}_bucket\\{le=([^,}]+)\\}$`).exec(sample)?.[1];
      if (le !== undefined) buckets.push([le === '+Inf' ? Infinity : Number(le), count]);
    }
    buckets.sort(([a], [b]) => a - b);
    for (let i = 1; i < buckets.length; i += 1) assert.ok(buckets[i]![1] >= buckets[i - 1]![1], `${name} buckets are cumulative`);
    assert.equal(buckets.at(-1)?.[0], Infinity, `${name} has a +Inf bucket`);
    assert.equal(buckets.at(-1)?.[1], samples.get(`${name}_count{}`), `${name}: +Inf equals _count`);
  }
  return { text, types, value: (name, labels = {}) => samples.get(key(name, labels)) };
}

/** GET /metrics with the tests' bearer token, parsed. */
export async function scrape(relay: Pick<Relay, 'url'>): Promise<Exposition> {
  const response = await fetch(`${relay.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  return parseExposition(await response.text());
}
