// SPDX-License-Identifier: Apache-2.0
/** The matching and offer tests' relay (web-test-runner.config.mjs) and their peers. Not shipped. */
import type { KindredConsole } from '../components/console/console.js';
import { button, field, shadow, waitForText } from './harness.js';

/** A relay whose hospital offers topics (injury, assault) and languages (en, es, ar), with 4-second offers. */
export interface MatchingRelay {
  url: string;
  /** Sign-in tokens: Ana speaks Spanish and holds one chat; Ben speaks English and holds two. */
  tokens: { ana: string; ben: string };
}

export async function matchingRelay(): Promise<MatchingRelay> {
  const body = (await (await fetch('/__kindred-test-matching.json')).json()) as Partial<MatchingRelay> & { problem?: string };
  if (!body.url || !body.tokens) throw new Error(body.problem ?? 'matching relay not available');
  return { url: body.url, tokens: body.tokens };
}

/** Signs the console in as `name` with the form, and goes on duty unless `onDuty: false`. */
export async function signInAs(el: KindredConsole, token: string, name: string, { onDuty = true } = {}): Promise<void> {
  const root = shadow(el);
  await waitForText(() => root, 'Sign in');
  field<HTMLInputElement>(root, 'Peer token').value = token;
  button(root, 'Sign in').click();
  await waitForText(() => root, `Signed in as ${name}`);
  if (!onDuty) return;
  button(root, 'Go on duty').click();
  await waitForText(() => root, 'You are on duty.');
}
