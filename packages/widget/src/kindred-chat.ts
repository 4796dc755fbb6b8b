// SPDX-License-Identifier: Apache-2.0
/**
 * Entry point for hospital pages: defines `<kindred-chat>`, the small shell.
 *
 * It exports types only, for TypeScript users (`import type { … } from
 * '@kindred/widget/kindred-chat.js'`, which also brings in the `HTMLElementTagNameMap` and
 * event-map entries): a value export would be kept in the file every hospital page loads, and
 * pages use the element through its tag, not its class.
 */
import { KindredChat } from './components/chat/chat.js';
import { define } from './define.js';

export type { KindredChat };
export type { KindredChatEventMap, KindredCloseEvent, KindredExitEvent, KindredOpenEvent, KindredStateEvent } from './components/chat/events.js';
export type { ChatState } from './internal/bridge.js';

define('kindred-chat', KindredChat);
