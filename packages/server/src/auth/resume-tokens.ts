// SPDX-License-Identifier: Apache-2.0
/**
 * A peer's resume token: what a reloaded console (which holds no sign-in token) comes back with.
 * It must not outlive the sign-in token's expiry, on any relay of a deployment, so the relay signs
 * it: an HS256 JWT with
 *
 * - `sid`, the session's id in the state (what a survivor's resume token is on its own);
 * - `exp`, the sign-in token's expiry, unchanged;
 * - `role`, `topics`, `languages` from the sign-in token, which the state does not keep.
 *
 * The key is derived from KINDRED_SECRET (HKDF, its own label), so every relay sharing Redis
 * checks every other's tokens, a resume token can never pass for a sign-in token (another key,
 * another audience), and rotating the secret ends every session.
 */
import { hkdfSync } from 'node:crypto';
import { parsePayload, peerClaimsSchema, type PeerClaims } from '@kindred/protocol';
import { jwtVerify, SignJWT } from 'jose';
import * as v from 'valibot';
import { relayIssuer } from './sign-in.js';

const audience = 'kindred-peer-resume';

/** What a console's resume token carries, as the relay reads it back. */
export interface PeerResume {
  /** The session's resume id in the state. */
  sid: string;
  /** When the sign-in token expires, in ms since the epoch. */
  expiresAt: number;
  profile: PeerProfile;
}

/** What the sign-in token said that the state does not keep. */
export type PeerProfile = Pick<PeerClaims, 'role' | 'topics' | 'languages'>;

const resumeClaimsSchema = v.object({
  sid: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{22}$/)),
  ...v.pick(peerClaimsSchema, ['role', 'topics', 'languages']).entries,
});

/** The key resume tokens are signed with. */
export function resumeKey(secret: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, 'kindred', 'peer resume tokens', 32));
}

/** Signs a resume token for session `sid`, good until `expiresAt` (ms, whole seconds). */
export function sealPeerResume(key: Uint8Array, resume: PeerResume): Promise<string> {
  const { role, topics, languages } = resume.profile;
  return new SignJWT({ sid: resume.sid, role, topics, languages })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(relayIssuer)
    .setAudience(audience)
    .setExpirationTime(Math.floor(resume.expiresAt / 1000))
    .sign(key);
}

/** The resume token's content, or undefined when it is forged, malformed or expired. */
export async function openPeerResume(key: Uint8Array, token: string): Promise<PeerResume | undefined> {
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: relayIssuer, audience, requiredClaims: ['exp'] });
    const claims = parsePayload(resumeClaimsSchema, payload);
    if (!claims || payload.exp! * 1000 <= Date.now()) return undefined;
    const { sid, role, topics, languages } = claims;
    return { sid, expiresAt: payload.exp! * 1000, profile: { role, topics, languages } };
  } catch {
    return undefined;
  }
}
