// SPDX-License-Identifier: Apache-2.0
import { peerSchemas, type PeerClaims } from '@kindred/protocol';
import { verifyPeerToken } from '../auth/tokens.js';
import type { RelayContext } from '../context.js';
import { serve } from '../handlers/handler.js';
import { peerChatAccept } from '../handlers/peer-chat-accept.js';
import { peerChatEnd } from '../handlers/peer-chat-end.js';
import { peerDutySet } from '../handlers/peer-duty-set.js';
import { peerMessageSend } from '../handlers/peer-message-send.js';
import { peerResourceShare } from '../handlers/peer-resource-share.js';
import { peerTypingSet } from '../handlers/peer-typing-set.js';
import { originGuard } from '../http/origin.js';

/**
 * The peer namespace. A peer signs in with a token in the handshake's `auth` field; a missing,
 * forged or expired token gets the same `auth-failed`. A peer who disconnects ends their chats.
 */
export function attachPeers(ctx: RelayContext): void {
  ctx.peers.use(originGuard(ctx.config.origins));
  ctx.peers.use(async (socket, next) => {
    const auth: unknown = socket.handshake.auth;
    const token = typeof auth === 'object' && auth !== null ? (auth as { token?: unknown }).token : undefined;
    const claims = await verifyPeerToken(ctx.config.secret, token);
    if (!claims) return next(new Error('auth-failed'));
    (socket.data as { claims?: PeerClaims }).claims = claims;
    next();
  });

  ctx.peers.on('connection', (socket) => {
    const claims = (socket.data as { claims: PeerClaims }).claims;
    const peer = ctx.state.addPeer(socket.id, claims);
    serve(
      socket,
      peerSchemas,
      {
        'duty:set': peerDutySet(ctx, socket, peer),
        'chat:accept': peerChatAccept(ctx, peer),
        'chat:end': peerChatEnd(ctx, peer),
        'message:send': peerMessageSend(ctx, peer),
        'typing:set': peerTypingSet(ctx, peer),
        'resource:share': peerResourceShare(ctx, peer),
      },
      ctx.log,
    );
    socket.emit('session:ready', {
      name: peer.name,
      maxChats: peer.maxChats,
      onDuty: peer.onDuty,
      resources: ctx.config.hospital.resources,
    });
    socket.on('disconnect', () => {
      for (const chat of ctx.state.chatsOfPeer(peer)) ctx.endChat(chat, 'peer-left');
      ctx.state.removePeer(socket.id);
      if (peer.onDuty) ctx.queueChanged(); // one fewer peer on duty
    });
  });
}
