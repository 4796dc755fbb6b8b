// SPDX-License-Identifier: Apache-2.0
import { parsePayload, peerAuthSchema, peerSchemas, type PeerClaims } from '@kindred/protocol';
import { verifyPeerToken } from '../auth/tokens.js';
import type { PeerHandle, RelayContext } from '../context.js';
import { serve } from '../handlers/handler.js';
import { peerChatAccept } from '../handlers/peer-chat-accept.js';
import { peerChatEnd } from '../handlers/peer-chat-end.js';
import { peerDutySet } from '../handlers/peer-duty-set.js';
import { peerKeyAnswer } from '../handlers/peer-key-answer.js';
import { peerMessageRead } from '../handlers/peer-message-read.js';
import { peerMessageSend } from '../handlers/peer-message-send.js';
import { peerResourceShare } from '../handlers/peer-resource-share.js';
import { peerTypingSet } from '../handlers/peer-typing-set.js';
import { originGuard } from '../http/origin.js';
import type { Sessions } from '../sessions.js';
import { deferRequest, deferSignal } from './deferred.js';

/** What the handshake established: a session to take back, and/or a token's verified claims. */
interface PeerHandshake {
  resume?: string;
  claims?: PeerClaims;
}

/**
 * The peer namespace. A peer signs in with a token in the handshake's `auth.token`, or takes
 * their session back (all their chats) with `auth.resume` within the grace period — which is
 * how a reloaded console, holding no token, comes back. Every failure is the same `auth-failed`.
 */
export function attachPeers(ctx: RelayContext, sessions: Sessions): void {
  ctx.peers.use(originGuard(ctx.config.origins));
  ctx.peers.use(async (socket, next) => {
    const auth = parsePayload(peerAuthSchema, socket.handshake.auth);
    // A peer's session lives in the shared state: without it there is nothing to sign in to.
    if (auth && !ctx.state.ready()) return next(new Error('unavailable'));
    try {
      if (auth?.resume !== undefined && (await ctx.state.hasPeer(auth.resume))) {
        (socket.data as { handshake?: PeerHandshake }).handshake = { resume: auth.resume };
        return next();
      }
    } catch {
      return next(new Error('unavailable'));
    }
    const claims = await verifyPeerToken(ctx.config.secret, auth?.token);
    if (!claims) return next(new Error('auth-failed'));
    (socket.data as { handshake?: PeerHandshake }).handshake = { claims };
    next();
  });

  ctx.peers.on('connection', (socket) => {
    const handshake = (socket.data as { handshake: PeerHandshake }).handshake;
    // The session may have expired between the handshake and now: then, with no token to
    // start a new one, the connection is closed.
    const taken = sessions.peerConnected(socket, handshake);
    const session: Promise<PeerHandle> = taken.then((found) => {
      if (!found) throw new Error('session gone');
      return { ref: found.ref, socket: socket.id, name: found.name };
    });
    session.catch(() => undefined); // handled where it is awaited; never an unhandled rejection
    serve(
      socket,
      peerSchemas,
      {
        'duty:set': deferRequest(session, (p) => peerDutySet(ctx, socket, p)),
        'chat:accept': deferRequest(session, (p) => peerChatAccept(ctx, p)),
        'chat:end': deferRequest(session, (p) => peerChatEnd(ctx, p)),
        'message:send': deferRequest(session, (p) => peerMessageSend(ctx, p)),
        'message:read': deferSignal(session, (p) => peerMessageRead(ctx, p), ctx.log),
        'typing:set': deferSignal(session, (p) => peerTypingSet(ctx, p), ctx.log),
        'resource:share': deferRequest(session, (p) => peerResourceShare(ctx, p)),
        'key:answer': deferRequest(session, (p) => peerKeyAnswer(ctx, p)),
      },
      ctx.log,
    );
    taken.then(
      (found) => {
        if (found) socket.emit('session:ready', found.ready);
        else socket.disconnect(true);
      },
      // The store went away meanwhile: the client reconnects and asks again.
      () => socket.conn.close(),
    );
    socket.on('disconnect', () => {
      session.then(({ ref }) => sessions.peerDisconnected(ref, socket.id), () => undefined);
    });
  });
}
