// SPDX-License-Identifier: Apache-2.0
/**
 * A look inside the real, cross-origin chat frame, for the shell's tests. The test page cannot
 * read that frame (the wall the design rests on), so this asks the test runner, which drives
 * the browser, to evaluate in it (the `kindred-frame-eval` command in web-test-runner.config.mjs).
 * Not shipped.
 */
import { waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';

/**
 * Evaluates `expression` (a string of JavaScript) in the chat frame `relayUrl` serves, and
 * returns its value as JSON carries it; `null` while the frame has not loaded. In it,
 * `chat()` is the `<kindred-chat-frame>` element's shadow root, and `control(name)` the one
 * button, link or field whose text or label is `name`.
 */
export function inFrame<T>(relayUrl: string, expression: string): Promise<T | null> {
  const prelude = `const chat = () => document.querySelector('kindred-chat-frame')?.shadowRoot;
const control = (name) => [...(chat()?.querySelectorAll('button, a, input, textarea') ?? [])]
  .find((each) => (each.labels?.[0] ?? each).textContent.replace(/\\s+/g, ' ').trim() === name) ?? null;`;
  return executeServerCommand<T | null, { url: string; expression: string }>('kindred-frame-eval', {
    url: `${relayUrl}/frame`,
    expression: `(() => { ${prelude}\nreturn (${expression}); })()`,
  });
}

/** Waits until `expression` is truthy in the frame, and returns its value; fails with `what`. */
export async function untilInFrame<T>(relayUrl: string, expression: string, what: string, timeout = 10_000): Promise<T> {
  let value: T | null = null;
  await waitUntil(
    async () => {
      value = await inFrame<T>(relayUrl, expression).catch(() => null);
      return Boolean(value);
    },
    what,
    { timeout, interval: 50 },
  );
  return value as T;
}

/** The computed style property `property` of the frame's control named `name`. */
export function frameStyle(relayUrl: string, name: string, property: string): Promise<string | null> {
  return inFrame<string>(relayUrl, `control(${JSON.stringify(name)}) && getComputedStyle(control(${JSON.stringify(name)}))[${JSON.stringify(property)}]`);
}
