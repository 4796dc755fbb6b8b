// SPDX-License-Identifier: Apache-2.0
/**
 * The Prometheus text exposition format (version 0.0.4), for the few metric shapes the relay
 * has: counters and gauges with at most one label of a fixed set of values, and one histogram.
 *
 * Hand-written rather than prom-client: it is forty lines against a dependency with a global
 * registry and process collectors, and it cannot grow a label by accident. Every label value
 * the relay writes comes from a closed list in the code (privacy rule 4: no label identifies a
 * chat, a person or an address); label values are still escaped, as the format requires.
 */

/** The Content-Type of the text format. */
export const exposition = 'text/plain; version=0.0.4; charset=utf-8';

/** One sample: a value, with labels if any. */
export interface Sample {
  labels?: Readonly<Record<string, string>>;
  value: number;
}

/** A counter or a gauge: its samples. */
export interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples: readonly Sample[];
}

/** A histogram: cumulative counts per upper bound (seconds), plus the sum and count. */
export interface HistogramFamily {
  name: string;
  help: string;
  type: 'histogram';
  /** Upper bounds, ascending, without +Inf. */
  bounds: readonly number[];
  /** Observations at or under each bound (not cumulative), then over the last one. */
  buckets: readonly number[];
  sum: number;
  count: number;
}

const escapeHelp = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeLabel = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function formatLabels(labels: Readonly<Record<string, string>> | undefined): string {
  const entries = Object.entries(labels ?? {});
  return entries.length === 0 ? '' : `{${entries.map(([key, value]) => `${key}="${escapeLabel(value)}"`).join(',')}}`;
}

/** The families as one exposition, ending with a newline. */
export function formatExposition(families: ReadonlyArray<Family | HistogramFamily>): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    if (family.type === 'histogram') {
      let cumulative = 0;
      family.bounds.forEach((bound, index) => {
        cumulative += family.buckets[index] ?? 0;
        lines.push(`${family.name}_bucket{le="${formatValue(bound)}"} ${cumulative}`);
      });
      lines.push(`${family.name}_bucket{le="+Inf"} ${family.count}`);
      lines.push(`${family.name}_sum ${formatValue(family.sum)}`, `${family.name}_count ${family.count}`);
    } else {
      for (const sample of family.samples) lines.push(`${family.name}${formatLabels(sample.labels)} ${formatValue(sample.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
