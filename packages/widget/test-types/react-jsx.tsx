// SPDX-License-Identifier: Apache-2.0
/**
 * Type-level test of the React typings docs/embed.md gives hospitals
 * (examples/react/src/kindred-chat-jsx.d.ts): compiled, never run, by `npx tsc -p
 * tsconfig.test.json`. Handlers get the widget's own event types; wrong usages stay errors.
 * (TypeScript lets any JSX attribute with a hyphen through unchecked, as it does `data-*`, so a
 * misspelt `onkindred-opne` cannot be caught here; a declared one is checked.)
 */
import type { KindredStateEvent } from '@kindred/widget/kindred-chat.js';

export function Good() {
  return (
    <kindred-chat
      exit-url="https://www.example.org/"
      mode="inline"
      position="left"
      theme="dark"
      onkindred-state={(event) => {
        const state: KindredStateEvent['state'] = event.state;
        void state;
      }}
      onkindred-open={(event) => void event.type}
    />
  );
}

export function Wrong() {
  return (
    <>
      {/* @ts-expect-error `kindred-open` carries no state. */}
      <kindred-chat onkindred-open={(event) => void event.state} />
      {/* @ts-expect-error `open` is a boolean, not the text "yes". */}
      <kindred-chat open="yes" />
      {/* @ts-expect-error `mode` is `inline` or `launcher`, typed from the element itself. */}
      <kindred-chat mode="popup" />
    </>
  );
}
