// SPDX-License-Identifier: Apache-2.0
/**
 * Teaches React's JSX about `<kindred-chat>`: its attributes, and its events as React 19 listens
 * to them on a custom element (`onkindred-open` adds a listener for `kindred-open`). The event
 * types come from the widget's declarations, so a handler gets `KindredStateEvent`, not `Event`.
 * A hospital's React app copies this file as it is, anywhere its tsconfig includes (docs/embed.md,
 * "React and other frameworks").
 */
import type { HTMLAttributes, Ref } from 'react';
import type { KindredChat, KindredChatEventMap } from '@kindred/widget/kindred-chat.js';

/** `onkindred-open`, `onkindred-close`, `onkindred-state`, `onkindred-exit`, each with its own event type. */
type KindredChatEventProps = {
  [Name in keyof KindredChatEventMap as `on${Name}`]?: (event: KindredChatEventMap[Name]) => void;
};

/** What `<kindred-chat>` accepts in JSX: its documented attributes (docs/embed.md) and events. */
export interface KindredChatProps extends HTMLAttributes<KindredChat>, KindredChatEventProps {
  ref?: Ref<KindredChat>;
  /** The relay's origin; defaults to the origin of the script that defined the element. */
  server?: string;
  /** Where quick exit goes: an absolute `https:` URL. */
  'exit-url'?: string;
  /** Whether the chat panel is shown. */
  open?: boolean;
  /** `inline`: the chat in the page's flow, with no launcher. */
  mode?: KindredChat['mode'];
  /** The side of the window the launcher and panel keep to: `left` or `right`. */
  position?: KindredChat['position'];
  /** `light` or `dark`; unset, the device's colour scheme. */
  theme?: KindredChat['theme'];
  /** The launcher's text, in the page's words. */
  'launcher-label'?: string;
  /** The Quick exit control's text. */
  'quick-exit-label'?: string;
}

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'kindred-chat': KindredChatProps;
    }
  }
}
