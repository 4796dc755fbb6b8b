// SPDX-License-Identifier: Apache-2.0
/** Entry point for the relay's /frame page: defines `<kindred-chat-frame>`, the survivor's chat. */
import { KindredChatFrame } from './components/chat-frame/chat-frame.js';
import { define } from './define.js';

define('kindred-chat-frame', KindredChatFrame);
