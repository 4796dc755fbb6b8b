// SPDX-License-Identifier: Apache-2.0
/**
 * A latency histogram that merges across processes: 10 µs buckets up to 200 ms, then 1 ms
 * buckets up to 60 s (anything later lands in the last one). Small enough to send over IPC
 * as its non-empty buckets.
 */
const fineLimitUs = 200_000;
const fineBuckets = fineLimitUs / 10;
const size = fineBuckets + 60_000 - fineLimitUs / 1000;

export class Histogram {
  counts = new Uint32Array(size);
  total = 0;

  /** Records one latency in microseconds. */
  record(us) {
    const index = us < fineLimitUs ? Math.max(0, Math.floor(us / 10)) : fineBuckets + Math.floor((us - fineLimitUs) / 1000);
    this.counts[Math.min(index, size - 1)] += 1;
    this.total += 1;
  }

  /** The non-empty buckets, as [index, count] pairs. */
  toJSON() {
    const pairs = [];
    for (let i = 0; i < size; i += 1) if (this.counts[i] > 0) pairs.push([i, this.counts[i]]);
    return pairs;
  }

  /** Adds the buckets of another histogram's `toJSON()`. */
  add(pairs) {
    for (const [index, count] of pairs) {
      this.counts[index] += count;
      this.total += count;
    }
  }

  /** The latency in ms at quantile `q` (0..1): the upper edge of its bucket. */
  quantileMs(q) {
    if (this.total === 0) return null;
    const rank = Math.ceil(q * this.total);
    let seen = 0;
    for (let i = 0; i < size; i += 1) {
      seen += this.counts[i];
      if (seen >= rank) return i < fineBuckets ? ((i + 1) * 10) / 1000 : (fineLimitUs + (i - fineBuckets + 1) * 1000) / 1000;
    }
    return null;
  }
}
