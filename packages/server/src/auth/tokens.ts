// SPDX-License-Identifier: Apache-2.0
/**
 * Peer tokens the relay signs itself: HS256 JWTs signed with KINDRED_SECRET, made by
 * `kindred-relay token` (a coordinator, per volunteer and shift) and by the demo's sign-in link.
 * The relay trusts nothing else about a peer: their display name, role, topics, languages and
 * how many chats they hold come from the signed claims. Verification, of these and of an
 * identity provider's tokens, is in sign-in.ts.
 */
import type { PeerClaims, PeerRole } from '@kindred/protocol';
import { SignJWT } from 'jose';
import { createSignIn, relayAudience, relayIssuer } from './sign-in.js';

export { maxTokenSeconds } from './sign-in.js';

/** What a token says about a peer. */
export interface PeerTokenInput {
  name: string;
  maxChats?: number;
  /** `peer` unless said otherwise. */
  role?: PeerRole;
  /** Topic ids (`assault`, `road-injury`); none by default. */
  topics?: readonly string[];
  /** BCP 47 language tags (`en`, `pt-BR`); none by default. */
  languages?: readonly string[];
  /** Lifetime in seconds. */
  ttlSeconds: number;
}

/** Signs a peer token. Empty lists and the default role are left out, to keep sign-in links short. */
export async function signPeerToken(secret: string, input: PeerTokenInput): Promise<string> {
  return new SignJWT({
    name: input.name,
    maxChats: input.maxChats ?? 1,
    ...(input.role && input.role !== 'peer' ? { role: input.role } : {}),
    ...(input.topics?.length ? { topics: [...input.topics] } : {}),
    ...(input.languages?.length ? { languages: [...input.languages] } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(relayIssuer)
    .setAudience(relayAudience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + input.ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}

/**
 * The claims of a valid token signed with `secret`, or undefined for every kind of failure
 * (bad signature, wrong algorithm, expired, wrong issuer or audience, malformed claims).
 */
export async function verifyPeerToken(secret: string, token: unknown): Promise<PeerClaims | undefined> {
  const result = await createSignIn({ secret })(token);
  return result.ok ? result.claims : undefined;
}

/** Parses a lifetime such as `90s`, `30m`, `12h` or `7d` into seconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,6})([smhd])$/.exec(text.trim());
  if (!match) return undefined;
  const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as 's' | 'm' | 'h' | 'd'];
  const seconds = Number(match[1]) * unit;
  return seconds > 0 ? seconds : undefined;
}
