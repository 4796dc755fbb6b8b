// SPDX-License-Identifier: Apache-2.0
/** Entry point for hospital pages: defines `<kindred-chat>`, the small shell. */
import { KindredChat } from './components/chat/chat.js';
import { define } from './define.js';

define('kindred-chat', KindredChat);
