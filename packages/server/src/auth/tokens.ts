// SPDX-License-Identifier: Apache-2.0
/**
 * Peer tokens: HS256 JWTs signed with KINDRED_SECRET. The relay trusts nothing else about a
 * peer: their display name and how many chats they hold come from the signed claims.
 */
import { limits, parsePayload, peerClaimsSchema, type PeerClaims } from '@kindred/protocol';
import { jwtVerify, SignJWT } from 'jose';

const issuer = 'kindred-relay';
const audience = 'kindred-peer';

/**
 * The longest a peer token may live: one week. A sign-in link can linger in a browser's
 * history or a chat log, so what it carries must go stale on its own.
 */
export const maxTokenSeconds = 7 * 86_400;

/** What a token says about a peer. */
export interface PeerTokenInput {
  name: string;
  maxChats?: number;
  /** Lifetime in seconds. */
  ttlSeconds: number;
}

/** Signs a peer token. */
export async function signPeerToken(secret: string, input: PeerTokenInput): Promise<string> {
  return new SignJWT({ name: input.name, maxChats: input.maxChats ?? 1 })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + input.ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}

/**
 * The claims of a valid token, or undefined for every kind of failure (bad signature, wrong
 * algorithm, expired, wrong issuer or audience, malformed claims): callers answer all of them
 * with one generic code, so a probe learns nothing about which check failed.
 */
export async function verifyPeerToken(secret: string, token: unknown): Promise<PeerClaims | undefined> {
  if (typeof token !== 'string' || token.length === 0 || token.length > limits.token) return undefined;
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      issuer,
      audience,
      requiredClaims: ['exp', 'iat'],
    });
    if (payload.exp! - payload.iat! > maxTokenSeconds) return undefined;
    return parsePayload(peerClaimsSchema, payload);
  } catch {
    return undefined;
  }
}

/** Parses a lifetime such as `90s`, `30m`, `12h` or `7d` into seconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,6})([smhd])$/.exec(text.trim());
  if (!match) return undefined;
  const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as 's' | 'm' | 'h' | 'd'];
  const seconds = Number(match[1]) * unit;
  return seconds > 0 ? seconds : undefined;
}
