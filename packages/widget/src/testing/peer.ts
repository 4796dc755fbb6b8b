// SPDX-License-Identifier: Apache-2.0
/** Drives a survivor's frame and a peer's console against the test relay, as people would. */
import { fixture, html } from '@open-wc/testing';
import { KindredChatFrame } from '../components/chat-frame/chat-frame.js';
import { KindredConsole } from '../components/console/console.js';
import { define } from '../define.js';
import { button, field, shadow, waitForText } from './harness.js';

define('kindred-chat-frame', KindredChatFrame);
define('kindred-console', KindredConsole);

/** A survivor's chat frame talking to `url`. */
export function survivor(url: string): Promise<KindredChatFrame> {
  return fixture<KindredChatFrame>(html`<kindred-chat-frame .server=${url}></kindred-chat-frame>`);
}

/**
 * A survivor's chat frame outside the fixture (which removes its elements after each test),
 * for suites that keep one conversation across several tests. `embedding` makes it think it
 * is embedded. Remove it yourself.
 */
export async function mountSurvivor(url: string, embedding?: { parent: Window; hash: string }): Promise<KindredChatFrame> {
  const el = document.createElement('kindred-chat-frame');
  el.server = url;
  if (embedding) el.embedding = embedding;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

/** A peer console outside the fixture; remove it yourself. */
export async function mountConsole(url: string): Promise<KindredConsole> {
  const el = document.createElement('kindred-console');
  el.server = url;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

/** A peer console talking to `url`, not yet signed in. */
export function peerConsole(url: string): Promise<KindredConsole> {
  return fixture<KindredConsole>(html`<kindred-console .server=${url}></kindred-console>`);
}

/** Signs the console in with the form and goes on duty. */
export async function signInOnDuty(el: KindredConsole, token: string): Promise<void> {
  const root = shadow(el);
  field<HTMLInputElement>(root, 'Peer token').value = token;
  button(root, 'Sign in').click();
  await waitForText(() => root, 'Signed in as Robin');
  button(root, 'Go on duty').click();
  await waitForText(() => root, 'You are on duty.');
}

/** Starts a chat in the frame and accepts it in the console; returns the survivor's pseudonym. */
export async function startAndAccept(frame: KindredChatFrame, peer: KindredConsole): Promise<string> {
  button(shadow(frame), 'Start chat').click();
  await waitForText(() => shadow(frame), /You are number \d+ in the queue/);
  await waitForText(() => shadow(peer), 'Waiting (1)');
  const accept = button(shadow(peer), /^Accept /);
  const survivorName = accept.textContent!.replace(/\s+/g, ' ').trim().replace(/^Accept /, '');
  accept.click();
  await waitForText(() => shadow(frame), 'You are talking with Robin');
  await waitForText(() => shadow(peer), `Chat with ${survivorName}`);
  return survivorName;
}
