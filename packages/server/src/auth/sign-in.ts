// SPDX-License-Identifier: Apache-2.0
/**
 * Peer sign-in: which tokens the relay trusts, and what it reads from them.
 *
 * - **Tokens signed with KINDRED_SECRET** (HS256, issuer `kindred-relay`, audience
 *   `kindred-peer`): made by `kindred-relay token` or the demo's sign-in link.
 * - **Tokens from the hospital's identity provider** (single sign-on), when KINDRED_JWKS_URL is
 *   set: signed with an asymmetric key from its JWKS (RS256, PS256, ES256 or EdDSA), with the
 *   configured issuer and audience. Its claims are read under the configured names.
 *
 * The token's own header picks the path, and each path accepts only its algorithms: an HS256
 * token is only ever checked against the secret (so one "signed" with a public key from the
 * JWKS fails, the algorithm-confusion attack), an identity provider's only against its JWKS, and
 * `alg: none` against nothing. Both require `exp` and `iat`, and refuse a token issued to live
 * longer than 7 days: a sign-in link can linger in a browser's history.
 *
 * A refusal says why (for the metrics an operator reads, `kindred_peer_sign_in_refusals_total`),
 * but the client is only ever told `auth-failed`, so a probe learns nothing about which check failed.
 */
import { limits, parsePayload, peerClaimsSchema, type PeerClaims } from '@kindred/protocol';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { identityProviderAlgorithms, kindredClaims, type ClaimNames, type IdentityProvider } from './identity-provider.js';

/** Issuer and audience of the tokens the relay signs itself (KINDRED_SECRET). */
export const relayIssuer = 'kindred-relay';
export const relayAudience = 'kindred-peer';

/** The longest a peer token may live, from `iat` to `exp`: one week. */
export const maxTokenSeconds = 7 * 86_400;

/**
 * How far the relay's clock may trail the issuer's: a token whose `nbf` is this close in the
 * future is already good. Never applied to `exp`: a session ends exactly when its token says.
 */
export const clockSkewSeconds = 30;

/** How the relay fetches an identity provider's keys (jose's remote JWK set). */
export const jwksFetch = {
  /** A sign-in waits at most this long for the JWKS. */
  timeoutMs: 5_000,
  /** Keys are fetched again after this long, even when nothing asks for a new one. */
  cacheMaxAgeMs: 10 * 60_000,
  /**
   * A token with an unknown `kid` (the provider rotated its keys) fetches the set again, but
   * at most once per this long, so a stream of forged key ids cannot hammer the provider.
   */
  cooldownMs: 30_000,
} as const;

/** Which kind of token signed a peer in. */
export type SignInSource = 'secret' | 'identity-provider';

/** Why a token was refused: for counting, never for telling the client. */
export type SignInRefusal =
  | 'missing'
  | 'malformed'
  | 'algorithm'
  | 'signature'
  | 'unknown-key'
  | 'expired'
  | 'not-yet-valid'
  | 'issuer'
  | 'audience'
  | 'lifetime'
  | 'claims'
  | 'jwks-unavailable';

/** Every refusal reason, in the order `/metrics` lists them. */
export const signInRefusals: readonly SignInRefusal[] = [
  'missing', 'malformed', 'algorithm', 'signature', 'unknown-key', 'expired', 'not-yet-valid', 'issuer', 'audience', 'lifetime', 'claims', 'jwks-unavailable',
];

/** A token's verdict: the peer's claims and when they expire, or why not. */
export type SignInResult =
  | { ok: true; claims: PeerClaims; /** When the token expires, in ms since the epoch. */ expiresAt: number; source: SignInSource }
  | { ok: false; reason: SignInRefusal };

/** What the relay trusts tokens from. */
export interface SignInOptions {
  /** KINDRED_SECRET. */
  secret: string;
  /** The hospital's identity provider, if single sign-on is set up. */
  identityProvider?: IdentityProvider | undefined;
}

/** Checks a peer token. One per relay: it holds the identity provider's cached keys. */
export type SignIn = (token: unknown) => Promise<SignInResult>;

/** The relay's claim names, for its own tokens. */
const relayClaimNames = Object.fromEntries(kindredClaims.map((claim) => [claim, claim])) as unknown as ClaimNames;

/** The relay's claims, read from a verified payload under the names the issuer uses. */
function readClaims(payload: JWTPayload, names: ClaimNames): PeerClaims | undefined {
  const found: Record<string, unknown> = {};
  for (const claim of kindredClaims) {
    if (Object.hasOwn(payload, names[claim])) found[claim] = payload[names[claim]];
  }
  return parsePayload(peerClaimsSchema, found);
}

/** Maps what jose threw to a refusal reason; anything that is not jose's own is the JWKS fetch failing. */
function refusalOf(error: unknown, fromProvider: boolean): SignInRefusal {
  const { code, claim } = (error ?? {}) as { code?: unknown; claim?: unknown };
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'nbf') return 'not-yet-valid';
      if (claim === 'iss') return 'issuer';
      if (claim === 'aud') return 'audience';
      return 'claims';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'signature';
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return 'unknown-key';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return 'algorithm';
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWKS_INVALID':
      return 'jwks-unavailable';
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return 'malformed';
    default:
      // jose's generic error is a JWKS answer that was not 200 JSON; a plain error is the
      // fetch itself failing (refused, unreachable, TLS).
      return fromProvider ? 'jwks-unavailable' : 'malformed';
  }
}

/** Creates the relay's token check. The identity provider's keys are fetched on first use, then cached. */
export function createSignIn({ secret, identityProvider }: SignInOptions): SignIn {
  const secretKey = new TextEncoder().encode(secret);
  const jwks: JWTVerifyGetKey | undefined = identityProvider
    ? createRemoteJWKSet(new URL(identityProvider.jwksUrl), {
        timeoutDuration: jwksFetch.timeoutMs,
        cacheMaxAge: jwksFetch.cacheMaxAgeMs,
        cooldownDuration: jwksFetch.cooldownMs,
      })
    : undefined;

  return async (token) => {
    if (token === undefined) return { ok: false, reason: 'missing' };
    if (typeof token !== 'string' || token.length === 0 || token.length > limits.token) return { ok: false, reason: 'malformed' };
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    const fromProvider = (identityProviderAlgorithms as readonly unknown[]).includes(alg);
    if (alg !== 'HS256' && !(fromProvider && jwks && identityProvider)) return { ok: false, reason: 'algorithm' };

    let payload: JWTPayload;
    try {
      const common = { requiredClaims: ['exp', 'iat'], clockTolerance: clockSkewSeconds };
      ({ payload } = fromProvider
        ? await jwtVerify(token, jwks!, {
            ...common,
            algorithms: [...identityProviderAlgorithms],
            issuer: identityProvider!.issuer,
            audience: identityProvider!.audience,
          })
        : await jwtVerify(token, secretKey, { ...common, algorithms: ['HS256'], issuer: relayIssuer, audience: relayAudience }));
    } catch (error) {
      return { ok: false, reason: refusalOf(error, fromProvider) };
    }
    const exp = payload.exp!;
    const iat = payload.iat!;
    const now = Date.now() / 1000;
    // jose allowed the clock skew on `exp` too; a session never outlives its token's word.
    if (exp <= now) return { ok: false, reason: 'expired' };
    // An `iat` in the future would shorten the lifetime the next check sees.
    if (iat > now + clockSkewSeconds) return { ok: false, reason: 'not-yet-valid' };
    if (exp - iat > maxTokenSeconds) return { ok: false, reason: 'lifetime' };
    const claims = readClaims(payload, fromProvider ? identityProvider!.claims : relayClaimNames);
    if (!claims) return { ok: false, reason: 'claims' };
    return { ok: true, claims, expiresAt: exp * 1000, source: fromProvider ? 'identity-provider' : 'secret' };
  };
}
