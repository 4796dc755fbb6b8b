// SPDX-License-Identifier: Apache-2.0
import { parsePayload, peerAuthSchema, peerSchemas, type PeerClaims } from '@kindred/protocol';
import { verifyPeerToken } from '../auth/tokens.js';
import type { RelayContext } from '../context.js';
import { serve } from '../handlers/handler.js';
import { peerChatAccept } from '../handlers/peer-chat-accept.js';
import { peerChatEnd } from '../handlers/peer-chat-end.js';
import { peerDutySet } from '../handlers/peer-duty-set.js';
import { peerMessageRead } from '../handlers/peer-message-read.js';
import { peerMessageSend } from '../handlers/peer-message-send.js';
import { peerResourceShare } from '../handlers/peer-resource-share.js';
import { peerTypingSet } from '../handlers/peer-typing-set.js';
import { originGuard } from '../http/origin.js';
import type { Sessions } from '../sessions.js';
import type { Peer } from '../state/memory.js';

/** What the handshake established: a session to take back, or a new one's verified claims. */
type PeerHandshake = { peer: Peer } | { peer?: undefined; claims: PeerClaims };

/**
 * The peer namespace. A peer signs in with a token in the handshake's `auth.token`, or takes
 * their session back (all their chats) with `auth.resume` within the grace period — which is
 * how a reloaded console, holding no token, comes back. Every failure is the same `auth-failed`.
 */
export function attachPeers(ctx: RelayContext, sessions: Sessions): void {
  ctx.peers.use(originGuard(ctx.config.origins));
  ctx.peers.use(async (socket, next) => {
    const auth = parsePayload(peerAuthSchema, socket.handshake.auth);
    const peer = auth?.resume === undefined ? undefined : ctx.state.peerByResume(auth.resume);
    if (peer) {
      (socket.data as { handshake?: PeerHandshake }).handshake = { peer };
      return next();
    }
    const claims = await verifyPeerToken(ctx.config.secret, auth?.token);
    if (!claims) return next(new Error('auth-failed'));
    (socket.data as { handshake?: PeerHandshake }).handshake = { claims };
    next();
  });

  ctx.peers.on('connection', (socket) => {
    const handshake = (socket.data as { handshake: PeerHandshake }).handshake;
    // The session may have expired between the handshake and now: then it is a new one.
    const resumed = handshake.peer !== undefined && ctx.state.peerByResume(handshake.peer.resume) === handshake.peer;
    const peer = resumed ? handshake.peer! : 'claims' in handshake ? ctx.state.addPeer(socket.id, handshake.claims) : undefined;
    if (!peer) {
      socket.disconnect(true);
      return;
    }
    serve(
      socket,
      peerSchemas,
      {
        'duty:set': peerDutySet(ctx, socket, peer),
        'chat:accept': peerChatAccept(ctx, peer),
        'chat:end': peerChatEnd(ctx, peer),
        'message:send': peerMessageSend(ctx, peer),
        'message:read': peerMessageRead(ctx, peer),
        'typing:set': peerTypingSet(ctx, peer),
        'resource:share': peerResourceShare(ctx, peer),
      },
      ctx.log,
    );
    socket.emit('session:ready', sessions.peerConnected(peer, socket, resumed));
    socket.on('disconnect', () => sessions.peerDisconnected(peer, socket.id));
  });
}
