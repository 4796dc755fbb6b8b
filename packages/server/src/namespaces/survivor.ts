// SPDX-License-Identifier: Apache-2.0
import { parsePayload, survivorAuthSchema, survivorSchemas } from '@kindred/protocol';
import type { RelayContext } from '../context.js';
import { serve } from '../handlers/handler.js';
import { survivorChatEnd } from '../handlers/survivor-chat-end.js';
import { survivorChatStart } from '../handlers/survivor-chat-start.js';
import { survivorMessageRead } from '../handlers/survivor-message-read.js';
import { survivorMessageSend } from '../handlers/survivor-message-send.js';
import { survivorTypingSet } from '../handlers/survivor-typing-set.js';
import { originGuard } from '../http/origin.js';
import type { Sessions } from '../sessions.js';
import type { SurvivorSession } from '../state/memory.js';

/**
 * The survivor namespace. No sign-in: a survivor is a session and nothing more. A connection
 * that names a live session in `auth.resume` takes it back (chat, place in the queue);
 * otherwise it starts a new one. Either way `session:ready` comes first.
 */
export function attachSurvivors(ctx: RelayContext, sessions: Sessions): void {
  ctx.survivors.use(originGuard(ctx.config.origins));
  ctx.survivors.use((socket, next) => {
    const auth = parsePayload(survivorAuthSchema, socket.handshake.auth);
    if (!auth) return next(new Error('payload-invalid'));
    (socket.data as { resume?: string }).resume = auth.resume;
    next();
  });

  ctx.survivors.on('connection', (socket) => {
    const resume = (socket.data as { resume?: string }).resume;
    const found = resume === undefined ? undefined : ctx.state.survivorByResume(resume);
    const session: SurvivorSession = found ?? ctx.state.addSurvivor(socket.id);
    serve(
      socket,
      survivorSchemas,
      {
        'chat:start': survivorChatStart(ctx, session),
        'chat:end': survivorChatEnd(ctx, session),
        'message:send': survivorMessageSend(ctx, session),
        'message:read': survivorMessageRead(ctx, session),
        'typing:set': survivorTypingSet(ctx, session),
      },
      ctx.log,
    );
    socket.emit('session:ready', sessions.survivorConnected(session, socket, found !== undefined));
    socket.on('disconnect', () => sessions.survivorDisconnected(session, socket.id));
  });
}
