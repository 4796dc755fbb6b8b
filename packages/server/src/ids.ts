// SPDX-License-Identifier: Apache-2.0
import { randomBytes, randomInt } from 'node:crypto';

/** An unguessable id: 128 random bits as 22 base64url characters (chat ids, queue tickets). */
export function randomId(): string {
  return randomBytes(16).toString('base64url');
}

// Calm, neutral words: a pseudonym is the first thing a peer reads about a survivor, and it
// must never sound like a judgement or hint at why they came.
const adjectives = [
  'Quiet', 'Gentle', 'Bright', 'Steady', 'Kind', 'Calm', 'Warm', 'Clear', 'Brave', 'Soft',
  'Patient', 'Hopeful', 'Golden', 'Silver', 'Morning', 'Evening', 'Open', 'Still', 'Mild', 'Light',
];
const nouns = [
  'River', 'Willow', 'Harbour', 'Meadow', 'Cedar', 'Lantern', 'Sparrow', 'Heron', 'Maple', 'Brook',
  'Pebble', 'Fern', 'Valley', 'Comet', 'Orchard', 'Birch', 'Tide', 'Robin', 'Cloud', 'Lark',
];

/** A random survivor pseudonym such as "Quiet Heron 27", shown to the peer only. */
export function randomPseudonym(): string {
  const adjective = adjectives[randomInt(adjectives.length)];
  const noun = nouns[randomInt(nouns.length)];
  return `${adjective} ${noun} ${randomInt(10, 100)}`;
}
