// SPDX-License-Identifier: Apache-2.0
/**
 * Test helpers: find things the way a person does (role and visible name), and throw when a
 * query misses so a test fails where the problem is. Not shipped (excluded from tsc's build).
 */
import { waitUntil } from '@open-wc/testing';

type AxeResults = { violations: Array<{ id: string; help: string; nodes: Array<{ target: unknown }> }> };
declare global {
  interface Window {
    axe?: { run(context: Element, options: object): Promise<AxeResults> };
  }
}

/** Text as a person reads it: white space collapsed. */
export function text(node: Node | null | undefined): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function all<T extends Element>(root: ParentNode, selector: string): T[] {
  return [...root.querySelectorAll<T>(selector)];
}

/** The shadow root of `element`, or throws. */
export function shadow(element: Element): ShadowRoot {
  if (!element.shadowRoot) throw new Error(`<${element.localName}> has no shadow root`);
  return element.shadowRoot;
}

/** The one button whose text matches `name`, or throws. */
export function button(root: ParentNode, name: RegExp | string): HTMLButtonElement {
  const matches = all<HTMLButtonElement>(root, 'button').filter((each) =>
    typeof name === 'string' ? text(each) === name : name.test(text(each)),
  );
  if (matches.length !== 1) {
    throw new Error(`expected one button named ${String(name)}, found ${matches.length}: ${all(root, 'button').map((each) => JSON.stringify(text(each))).join(', ')}`);
  }
  return matches[0]!;
}

/** True if a button named `name` is there. */
export function hasButton(root: ParentNode, name: RegExp | string): boolean {
  try {
    button(root, name);
    return true;
  } catch {
    return false;
  }
}

/** The form control labelled `label` (via <label for>), or throws. */
export function field<T extends HTMLElement = HTMLTextAreaElement>(root: ParentNode, label: string): T {
  const match = all<HTMLLabelElement>(root, 'label').find((each) => text(each) === label);
  const control = match?.htmlFor ? (root as ShadowRoot).getElementById?.(match.htmlFor) : undefined;
  if (!control) throw new Error(`no control labelled ${JSON.stringify(label)}`);
  return control as T;
}

/** The one element with `role`, or throws. */
export function role(root: ParentNode, name: string): HTMLElement {
  const matches = all<HTMLElement>(root, `[role="${name}"]`);
  if (matches.length !== 1) throw new Error(`expected one role=${name}, found ${matches.length}`);
  return matches[0]!;
}

/** Waits until `root`'s text matches, or fails naming what it saw. */
export async function waitForText(root: () => Node | null | undefined, pattern: RegExp | string, timeout = 8_000): Promise<void> {
  const matches = () => {
    const seen = text(root());
    return typeof pattern === 'string' ? seen.includes(pattern) : pattern.test(seen);
  };
  try {
    await waitUntil(matches, undefined, { timeout, interval: 25 });
  } catch {
    throw new Error(`timed out waiting for ${String(pattern)}; saw ${JSON.stringify(text(root()))}`);
  }
}

/**
 * Runs axe-core on `element` (shadow roots included) and throws on any violation. When a
 * test puts the frame and the console (each a whole page in real use) on one page,
 * `sharedPage` skips the rules about one banner/main per page, which only that breaks.
 */
export async function expectAccessible(element: Element, { sharedPage = false } = {}): Promise<void> {
  if (!window.axe) {
    await new Promise<void>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = '/node_modules/axe-core/axe.min.js';
      script.onload = () => resolve();
      script.onerror = () => reject(new Error('axe-core did not load'));
      document.head.append(script);
    });
  }
  // `region` is about whole pages having landmarks; a component under test is not a page.
  // `iframes: false`: the chat frame is cross-origin and has no axe in it to answer; it is
  // checked on its own in the frame's tests.
  const rules: Record<string, { enabled: boolean }> = { region: { enabled: false } };
  if (sharedPage) {
    for (const id of ['landmark-no-duplicate-banner', 'landmark-no-duplicate-main', 'landmark-unique']) rules[id] = { enabled: false };
  }
  const results = await window.axe!.run(element, { iframes: false, rules });
  if (results.violations.length > 0) {
    const summary = results.violations.map((each) => `${each.id}: ${each.help} (${JSON.stringify(each.nodes.map((node) => node.target))})`);
    throw new Error(`axe found ${results.violations.length} violation(s):\n${summary.join('\n')}`);
  }
}

/** The test relays this run started (see web-test-runner.config.mjs). */
export interface TestRelay {
  /** The relay most tests use (grace period: the default 2 minutes). */
  url: string;
  /** A relay that refuses this page's origin. */
  refusingUrl: string;
  /** A relay whose grace period is 1.5 s, for what happens after it. */
  shortGraceUrl: string;
  /** A peer token ("Robin", two chats) both relays accept. */
  token: string;
}

/** The test relays this run started (see web-test-runner.config.mjs). */
export async function testRelay(): Promise<TestRelay> {
  const response = await fetch('/__kindred-test-relay.json');
  const body = (await response.json()) as Partial<TestRelay> & { problem?: string };
  if (!body.url || !body.refusingUrl || !body.shortGraceUrl || !body.token) throw new Error(body.problem ?? 'test relay not available');
  return { url: body.url, refusingUrl: body.refusingUrl, shortGraceUrl: body.shortGraceUrl, token: body.token };
}
