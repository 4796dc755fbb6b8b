// SPDX-License-Identifier: Apache-2.0
import { survivorSchemas } from '@kindred/protocol';
import type { RelayContext } from '../context.js';
import { serve } from '../handlers/handler.js';
import { survivorChatEnd } from '../handlers/survivor-chat-end.js';
import { survivorChatStart } from '../handlers/survivor-chat-start.js';
import { survivorMessageSend } from '../handlers/survivor-message-send.js';
import { survivorTypingSet } from '../handlers/survivor-typing-set.js';
import { originGuard } from '../http/origin.js';

/**
 * The survivor namespace. No sign-in: a survivor is a connection and nothing more. When the
 * connection goes, so does their place in the queue or their chat.
 */
export function attachSurvivors(ctx: RelayContext): void {
  ctx.survivors.use(originGuard(ctx.config.origins));

  ctx.survivors.on('connection', (socket) => {
    serve(
      socket,
      survivorSchemas,
      {
        'chat:start': survivorChatStart(ctx, socket),
        'chat:end': survivorChatEnd(ctx, socket),
        'message:send': survivorMessageSend(ctx, socket),
        'typing:set': survivorTypingSet(ctx, socket),
      },
      ctx.log,
    );
    socket.on('disconnect', () => {
      const chat = ctx.state.chatOfSurvivor(socket.id);
      if (chat) ctx.endChat(chat, 'survivor-left');
    });
  });
}
