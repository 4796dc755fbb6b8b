// SPDX-License-Identifier: Apache-2.0
import { parsePayload, peerAuthSchema, peerSchemas } from '@kindred/protocol';
import { openPeerResume, resumeKey } from '../auth/resume-tokens.js';
import { createSignIn } from '../auth/sign-in.js';
import type { PeerHandle, RelayContext } from '../context.js';
import { serve } from '../handlers/handler.js';
import { createColleagueHandles } from '../colleagues.js';
import { peerChatAccept } from '../handlers/peer-chat-accept.js';
import { peerChatBlock } from '../handlers/peer-chat-block.js';
import { peerChatTransfer } from '../handlers/peer-chat-transfer.js';
import { peerColleaguesList } from '../handlers/peer-colleagues-list.js';
import { peerChatEnd } from '../handlers/peer-chat-end.js';
import { peerChatEscalate } from '../handlers/peer-chat-escalate.js';
import { peerSupervisionJoin } from '../handlers/peer-supervision-join.js';
import { peerSupervisionKey } from '../handlers/peer-supervision-key.js';
import { peerSupervisionLeave, tellSupervisorLeft } from '../handlers/peer-supervision-leave.js';
import { peerSupervisionSend } from '../handlers/peer-supervision-send.js';
import { peerDutySet } from '../handlers/peer-duty-set.js';
import { peerKeyAnswer } from '../handlers/peer-key-answer.js';
import { peerMessageRead } from '../handlers/peer-message-read.js';
import { peerMessageSend } from '../handlers/peer-message-send.js';
import { peerResourceShare } from '../handlers/peer-resource-share.js';
import { peerTypingSet } from '../handlers/peer-typing-set.js';
import { peerOfferDecline } from '../handlers/peer-offer-decline.js';
import { originGuard } from '../http/origin.js';
import type { Metrics } from '../metrics.js';
import type { PeerHandshake, Sessions } from '../sessions.js';
import { StateUnavailableError } from '../state/state.js';
import { deferRequest, deferSignal } from './deferred.js';

/**
 * setTimeout's longest delay (about 24.8 days); tokens live at most 7 days, and a longer wait
 * would fire at once.
 */
const longestTimerMs = 2 ** 31 - 1;

/**
 * The peer namespace. A peer signs in with a token in the handshake's `auth.token` (signed with
 * KINDRED_SECRET, or by the hospital's identity provider: auth/sign-in.ts), or takes their
 * session back (all their chats) with `auth.resume` within the grace period — which is how a
 * reloaded console, holding no token, comes back. Every failure is the same `auth-failed`.
 *
 * A session lasts as long as its sign-in token: at the token's `exp` the relay sends
 * `session:expired` and closes the connection, and the resume token (which carries the same
 * expiry, on every relay) stops working. The chats then go the way of any peer who left: held
 * for the grace period, then each survivor is first in line again.
 */
export function attachPeers(ctx: RelayContext, sessions: Sessions, metrics: Metrics): void {
  const signIn = createSignIn({ secret: ctx.config.secret, identityProvider: ctx.config.identityProvider });
  const resumeTokenKey = resumeKey(ctx.config.secret);
  const handles = createColleagueHandles(ctx.config.secret);

  ctx.peers.use(originGuard(ctx.config.origins));
  ctx.peers.use(async (socket, next) => {
    const auth = parsePayload(peerAuthSchema, socket.handshake.auth);
    // A peer's session lives in the shared state: without it there is nothing to sign in to.
    if (auth && !ctx.state.ready()) return next(new Error('unavailable'));
    // Forged, malformed or past the sign-in's expiry: as good as no resume token at all.
    const resume = auth?.resume === undefined ? undefined : await openPeerResume(resumeTokenKey, auth.resume);
    try {
      if (resume && (await ctx.state.hasPeer(resume.sid))) {
        (socket.data as { handshake?: PeerHandshake }).handshake = { resume: resume.sid, profile: resume.profile, expiresAt: resume.expiresAt };
        return next();
      }
    } catch {
      return next(new Error('unavailable'));
    }
    const result = await signIn(auth?.token);
    metrics.signIn(result);
    if (!result.ok) return next(new Error('auth-failed'));
    const { claims, expiresAt } = result;
    const { role, topics, languages } = claims;
    (socket.data as { handshake?: PeerHandshake }).handshake = { claims, profile: { role, topics, languages }, expiresAt };
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
    // The role comes from the sign-in token (or the resume token, which carries it): the state
    // keeps only that the session is a supervisor's, to count them.
    const supervisor = handshake.profile.role === 'supervisor';
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
        // Matching and offers (offers.ts).
        'offer:decline': deferRequest(session, (p) => peerOfferDecline(ctx, p)),
        // Transfers and blocking (docs/protocol.md, "Transfer" and "Block").
        'colleagues:list': deferRequest(session, (p) => peerColleaguesList(ctx, p, handles)),
        'chat:transfer': deferRequest(session, (p) => peerChatTransfer(ctx, p, handles)),
        'chat:block': deferRequest(session, (p) => peerChatBlock(ctx, p)),
        // Escalation and supervision (board.ts; docs/protocol.md, "Supervision").
        'chat:escalate': deferRequest(session, (p) => peerChatEscalate(ctx, p, metrics)),
        'supervision:join': deferRequest(session, (p) => peerSupervisionJoin(ctx, p, supervisor)),
        'supervision:leave': deferRequest(session, (p) => peerSupervisionLeave(ctx, p)),
        'supervision:key': deferRequest(session, (p) => peerSupervisionKey(ctx, p)),
        'supervision:send': deferRequest(session, (p) => peerSupervisionSend(ctx, p)),
      },
      ctx.log,
    );

    // At the sign-in token's expiry: say so, then close. A namespace disconnect (not the
    // transport) so the event is sure to arrive first, and the client does not retry.
    const expiry = setTimeout(() => {
      if (!socket.connected) return;
      metrics.sessionExpired();
      socket.emit('session:expired', {});
      socket.disconnect();
    }, Math.min(Math.max(0, handshake.expiresAt - Date.now()), longestTimerMs));
    expiry.unref();

    taken.then(
      (found) => {
        if (found) {
          socket.emit('session:ready', found.ready);
          // Right after `session:ready`: a supervisor joins the room the board goes to, and gets the board now.
          if (supervisor) {
            ctx.state
              .markSupervisor(found.ref)
              .then(() => ctx.board.supervisorConnected(socket))
              .catch((error: unknown) => {
                if (!(error instanceof StateUnavailableError)) ctx.log.error('handler-failed');
              });
          }
        } else socket.disconnect(true);
      },
      // The store went away meanwhile: the client reconnects and asks again.
      () => socket.conn.close(),
    );
    socket.on('disconnect', () => {
      clearTimeout(expiry);
      session.then(({ ref }) => sessions.peerDisconnected(ref, socket.id), () => undefined);
      // A supervisor who is gone leaves every chat they joined, at once (no grace): the peer and
      // the survivor must not believe someone reads along who cannot.
      if (supervisor) {
        session
          .then(async ({ ref, name }) => {
            for (const left of await ctx.state.supervisorGone(ref, socket.id)) tellSupervisorLeft(ctx, left, name);
          })
          .catch((error: unknown) => {
            if (error instanceof Error && error.message === 'session gone') return;
            if (!(error instanceof StateUnavailableError)) ctx.log.error('handler-failed');
          });
      }
    });
  });
}
