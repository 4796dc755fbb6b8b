// SPDX-License-Identifier: Apache-2.0
/** Drives a survivor's frame and a peer's console against the test relay, as people would. */
import { fixture, html } from '@open-wc/testing';
import { KindredChatFrame } from '../components/chat-frame/chat-frame.js';
import { KindredConsole } from '../components/console/console.js';
import { define } from '../define.js';
import { parseConsoleSnapshot } from '../internal/session-store-console.js';
import { parseFrameSnapshot, sessionStore } from '../internal/session-store.js';
import { button, field, shadow, waitForText } from './harness.js';
import { signInAs } from './matching.js';

define('kindred-chat-frame', KindredChatFrame);
define('kindred-console', KindredConsole);

const made = new Set<KindredChatFrame | KindredConsole>();

function track<T extends KindredChatFrame | KindredConsole>(el: T): T {
  made.add(el);
  return el;
}

/**
 * The `sessionStorage` of another tab. In real use each survivor and each peer has a tab of
 * their own; on one test page they would share this page's and take each other's chats back.
 */
export function otherTab(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    key: (index: number) => [...items.keys()][index] ?? null,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, String(value)),
    removeItem: (key: string) => void items.delete(key),
    clear: () => items.clear(),
  };
}

/** Where a frame or console made by these helpers keeps its chat. */
export interface Tab {
  /** Another tab's storage (see {@link otherTab}); this page's `sessionStorage` by default. */
  tab?: Storage;
}

function frameStoreIn(tab: Storage | undefined) {
  return tab ? sessionStore('kindred-chat', parseFrameSnapshot, () => tab) : undefined;
}

function consoleStoreIn(tab: Storage | undefined) {
  return tab ? sessionStore('kindred-console', parseConsoleSnapshot, () => tab) : undefined;
}

/**
 * Leaves every chat and queue the helpers' elements are in, signs their consoles out, removes
 * them and empties this tab's storage. Call it from an `afterEach` inside the suite (which runs before
 * the fixture removes them): the relay holds a dropped connection's chats and duty for its
 * grace period, so a frame or console merely removed would still wait in the queue, or be on
 * duty, in the next test.
 */
export async function cleanUp(): Promise<void> {
  const elements = [...made];
  made.clear();
  await Promise.all(
    elements.map(async (el) => {
      if (!el.isConnected) return;
      if (el instanceof KindredChatFrame) await el.leave();
      else await el.signOut();
    }),
  );
  for (const el of elements) el.remove();
  sessionStorage.clear();
}

/** A survivor's chat frame talking to `url`. */
export async function survivor(url: string, { tab }: Tab = {}): Promise<KindredChatFrame> {
  const store = frameStoreIn(tab);
  return track(
    await fixture<KindredChatFrame>(
      store
        ? html`<kindred-chat-frame .server=${url} .store=${store}></kindred-chat-frame>`
        : html`<kindred-chat-frame .server=${url}></kindred-chat-frame>`,
    ),
  );
}

/**
 * A survivor's chat frame outside the fixture (which removes its elements after each test),
 * for suites that keep one conversation across several tests. `embedding` makes it think it
 * is embedded. Remove it yourself.
 */
export async function mountSurvivor(url: string, embedding?: { parent: Window; hash: string }, { tab }: Tab = {}): Promise<KindredChatFrame> {
  const el = document.createElement('kindred-chat-frame');
  el.server = url;
  if (embedding) el.embedding = embedding;
  const store = frameStoreIn(tab);
  if (store) el.store = store;
  document.body.append(el);
  await el.updateComplete;
  return track(el);
}

/** A peer console outside the fixture; remove it yourself. */
export async function mountConsole(url: string, { tab }: Tab = {}): Promise<KindredConsole> {
  const el = document.createElement('kindred-console');
  el.server = url;
  const store = consoleStoreIn(tab);
  if (store) el.store = store;
  document.body.append(el);
  await el.updateComplete;
  return track(el);
}

/** A peer console talking to `url`, not yet signed in. */
export async function peerConsole(url: string, { tab }: Tab = {}): Promise<KindredConsole> {
  const store = consoleStoreIn(tab);
  return track(
    await fixture<KindredConsole>(
      store
        ? html`<kindred-console .server=${url} .store=${store}></kindred-console>`
        : html`<kindred-console .server=${url}></kindred-console>`,
    ),
  );
}

/** Signs the console in with the form as `name` (the relay's own token is Robin's) and goes on duty. */
export async function signInOnDuty(el: KindredConsole, token: string, name = 'Robin'): Promise<void> {
  await signInAs(el, token, name);
}

/** A sign-in token for another peer than the relay's own Robin, or a supervisor (web-test-runner.config.mjs). */
export async function testToken(name: string, role?: 'supervisor'): Promise<string> {
  const response = await fetch(`/__kindred-test-token.json?name=${encodeURIComponent(name)}${role ? `&role=${role}` : ''}`);
  return ((await response.json()) as { token: string }).token;
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
