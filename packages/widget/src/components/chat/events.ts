// SPDX-License-Identifier: Apache-2.0
/**
 * The DOM events `<kindred-chat>` fires on the hospital page. They bubble and cross shadow
 * roots so a page can listen on `document`, and for the same reason they carry a state at
 * most: the page's analytics hear them too, so never text, names or ids (STYLE.md).
 */
import type { ChatState } from '../../internal/bridge.js';

/** The panel opened. */
export class KindredOpenEvent extends Event {
  static readonly eventName = 'kindred-open';
  constructor() {
    super(KindredOpenEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The panel closed. */
export class KindredCloseEvent extends Event {
  static readonly eventName = 'kindred-close';
  constructor() {
    super(KindredCloseEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The chat moved to another state (`idle`, `connecting`, `waiting`, `chatting`, `ended`). */
export class KindredStateEvent extends Event {
  static readonly eventName = 'kindred-state';
  readonly state: ChatState;
  constructor(state: ChatState) {
    super(KindredStateEvent.eventName, { bubbles: true, composed: true });
    this.state = state;
  }
}

/**
 * Quick exit ran: the page is blanked, the chat ended and the shell emptied, and the window
 * is about to be replaced by the exit URL. Fired before navigating so a page can drop its own
 * traces (its own storage, say). Carries nothing, not even which way the survivor left.
 */
export class KindredExitEvent extends Event {
  static readonly eventName = 'kindred-exit';
  constructor() {
    super(KindredExitEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * Every event `<kindred-chat>` fires, by name: what `addEventListener` is typed with, and what a
 * framework's typings can map over (docs/embed.md shows React's).
 */
export interface KindredChatEventMap {
  'kindred-open': KindredOpenEvent;
  'kindred-close': KindredCloseEvent;
  'kindred-state': KindredStateEvent;
  'kindred-exit': KindredExitEvent;
}

// On every element, not only `kindred-chat`: the events bubble, so a page may listen on a
// container, and on `document` (they are composed), as docs/embed.md suggests.
declare global {
  interface HTMLElementEventMap extends KindredChatEventMap {}
  interface DocumentEventMap extends KindredChatEventMap {}
}
