// SPDX-License-Identifier: Apache-2.0
import { parsePayload, survivorAuthSchema, survivorSchemas } from '@kindred/protocol';
import type { RelayContext, SessionHandle } from '../context.js';
import { serve } from '../handlers/handler.js';
import { survivorChatEnd } from '../handlers/survivor-chat-end.js';
import { survivorChatStart } from '../handlers/survivor-chat-start.js';
import { survivorFeedbackSend, watchForFeedback } from '../handlers/survivor-feedback-send.js';
import { survivorKeyOffer } from '../handlers/survivor-key-offer.js';
import { survivorMessageRead } from '../handlers/survivor-message-read.js';
import { survivorMessageSend } from '../handlers/survivor-message-send.js';
import { survivorTypingSet } from '../handlers/survivor-typing-set.js';
import { originGuard } from '../http/origin.js';
import type { Metrics } from '../metrics.js';
import type { Sessions } from '../sessions.js';
import { deferRequest, deferSignal } from './deferred.js';

/**
 * The survivor namespace. No sign-in: a survivor is a session and nothing more. A connection
 * that names a live session in `auth.resume` takes it back (chat, place in the queue);
 * otherwise it starts a new one. Either way `session:ready` comes first.
 */
export function attachSurvivors(ctx: RelayContext, sessions: Sessions, metrics: Metrics): void {
  ctx.survivors.use(originGuard(ctx.config.origins));
  ctx.survivors.use((socket, next) => {
    const auth = parsePayload(survivorAuthSchema, socket.handshake.auth);
    if (!auth) return next(new Error('payload-invalid'));
    // Without its shared state a relay cannot tell whether a session still exists. Saying
    // "new session" would tell the client its chat is gone; `unavailable` makes it try again.
    if (auth.resume !== undefined && !ctx.state.ready()) return next(new Error('unavailable'));
    (socket.data as { resume?: string }).resume = auth.resume;
    next();
  });

  ctx.survivors.on('connection', (socket) => {
    const resume = (socket.data as { resume?: string }).resume;
    const taken = sessions.survivorConnected(socket, resume);
    const session: Promise<SessionHandle> = taken.then(({ ref }) => ({ ref, socket: socket.id }));
    session.catch(() => undefined); // handled where it is awaited; never an unhandled rejection
    const feedback = watchForFeedback(socket);
    const chatStart = deferRequest(session, (s) => survivorChatStart(ctx, s));
    const chatEnd = deferRequest(session, (s) => survivorChatEnd(ctx, s));
    serve(
      socket,
      survivorSchemas,
      {
        // A new chat withdraws an unanswered "Did this chat help?" about the last one.
        'chat:start': (payload) => (feedback.close(), chatStart(payload)),
        'chat:end': async (payload) => {
          const ack = await chatEnd(payload);
          if (ack.ok) feedback.ended();
          return ack;
        },
        'message:send': deferRequest(session, (s) => survivorMessageSend(ctx, s)),
        'message:read': deferSignal(session, (s) => survivorMessageRead(ctx, s), ctx.log),
        'typing:set': deferSignal(session, (s) => survivorTypingSet(ctx, s), ctx.log),
        'key:offer': deferRequest(session, (s) => survivorKeyOffer(ctx, s)),
        'feedback:send': survivorFeedbackSend(feedback, metrics),
      },
      ctx.log,
    );
    taken.then(
      ({ ready }) => socket.emit('session:ready', ready),
      // The store went away between the handshake and now: close the transport, and the
      // client reconnects (to this relay or another) and asks again.
      () => socket.conn.close(),
    );
    socket.on('disconnect', () => {
      session.then(({ ref }) => sessions.survivorDisconnected(ref, socket.id), () => undefined);
    });
  });
}
