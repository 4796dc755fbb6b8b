// SPDX-License-Identifier: Apache-2.0
/**
 * Type-level test of what a TypeScript user gets from `@kindred/widget` (compiled, never run, by
 * `npx tsc -p tsconfig.test.json`, a step of `npm test`). It imports the package by name, so it
 * checks the published declarations (`exports` → `types` → dist/*.d.ts) the build emits, not
 * the source. Each `@ts-expect-error` is a wrong usage that must stay an error: if a map entry or
 * an event type is lost, the line compiles, the directive is unused, and tsc fails.
 */
import type { ChatState, KindredChat, KindredChatEventMap, KindredStateEvent } from '@kindred/widget/kindred-chat.js';
import type { KindredConsole } from '@kindred/widget/kindred-console.js';

/** Fails to compile unless `A` and `B` are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | undefined {
  return undefined;
}

export function tagNames(): void {
  // The tag name gives the element's own type, with its documented properties and methods.
  const chat = document.createElement('kindred-chat');
  assertType<Equal<typeof chat, KindredChat>>();
  const open: boolean = chat.open;
  const server: string = chat.server;
  const exitUrl: string = chat.exitUrl;
  const shown: Promise<void> = chat.show();
  void [open, server, exitUrl, shown, chat.hide(), chat.exit()];
  // @ts-expect-error `open` is a boolean property, not a string attribute value.
  chat.open = 'true';
  // @ts-expect-error the element has no such method.
  chat.start();

  const found = document.querySelector('kindred-chat');
  assertType<Equal<typeof found, KindredChat | null>>();

  const peerConsole = document.createElement('kindred-console');
  assertType<Equal<typeof peerConsole, KindredConsole>>();
  const relay: string = peerConsole.server;
  void relay;
}

export function events(chat: KindredChat): void {
  // Each event arrives as its own class, so `event.state` needs no cast.
  chat.addEventListener('kindred-state', (event) => {
    assertType<Equal<typeof event, KindredStateEvent>>();
    const state: ChatState = event.state;
    // @ts-expect-error `state` is one of five names, not any string.
    const wrong: 'typing' = event.state;
    void [state, wrong];
  });
  chat.addEventListener('kindred-open', (event) => {
    assertType<Equal<typeof event, KindredChatEventMap['kindred-open']>>();
    // @ts-expect-error `kindred-open` carries nothing: no state on it.
    void event.state;
  });
  // They bubble and cross shadow roots: a page may listen on `document`, typed the same.
  document.addEventListener('kindred-exit', (event) => {
    assertType<Equal<typeof event, KindredChatEventMap['kindred-exit']>>();
  });
  // @ts-expect-error a listener for `kindred-state` takes a KindredStateEvent, not a number.
  chat.addEventListener('kindred-state', (event: number) => void event);

  // The five states, exactly: a sixth would be a change a page's `switch` has to hear about.
  assertType<Equal<ChatState, 'idle' | 'connecting' | 'waiting' | 'chatting' | 'ended'>>();
  assertType<Equal<keyof KindredChatEventMap, 'kindred-open' | 'kindred-close' | 'kindred-state' | 'kindred-exit'>>();
}
