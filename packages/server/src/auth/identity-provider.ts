// SPDX-License-Identifier: Apache-2.0
/**
 * Single sign-on settings: the hospital's identity provider, whose tokens the relay verifies
 * against its published keys (JWKS). Read from KINDRED_JWKS_URL, KINDRED_JWT_ISSUER,
 * KINDRED_JWT_AUDIENCE and KINDRED_JWT_CLAIMS; checked at start with every problem listed.
 * docs/operate.md, "Single sign-on", is the operator's side of this file.
 */

/** The relay's names for what a peer token says (protocol `peerClaimsSchema`). */
export const kindredClaims = ['name', 'role', 'topics', 'languages', 'maxChats'] as const;
/** One of the relay's claim names. */
export type KindredClaim = (typeof kindredClaims)[number];

/** Which claim of the identity provider's tokens carries each of the relay's claims. */
export type ClaimNames = Readonly<Record<KindredClaim, string>>;

/**
 * Where the relay looks in an identity provider's token unless KINDRED_JWT_CLAIMS says
 * otherwise. Prefixed, so they never collide with a provider's own claims: OpenID Connect's
 * `name` is the person's full name, and survivors must only ever see a pseudonym.
 */
export const defaultClaimNames: ClaimNames = Object.freeze({
  name: 'kindred_name',
  role: 'kindred_role',
  topics: 'kindred_topics',
  languages: 'kindred_languages',
  maxChats: 'kindred_max_chats',
});

/**
 * Claims that identify a person (OpenID Connect's standard claims, and Microsoft Entra's and
 * others' usual ones). The display name may not come from any of them: survivors see it, and a
 * volunteer must never be identified by it (DESIGN.md, who uses it).
 */
export const identifyingClaims: ReadonlySet<string> = new Set([
  'sub', 'name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username',
  'email', 'phone_number', 'upn', 'unique_name', 'oid', 'login', 'username',
]);

/** The asymmetric algorithms accepted from an identity provider; HS256 is for KINDRED_SECRET only. */
export const identityProviderAlgorithms = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;

/** The hospital's identity provider, as configured: whose tokens to trust, and where their claims are. */
export interface IdentityProvider {
  /** Where its JSON Web Key Set is published: https, or http on a loopback address. */
  readonly jwksUrl: string;
  /** Its tokens' `iss`, exactly. */
  readonly issuer: string;
  /** The `aud` its tokens carry for the Kindred relay. */
  readonly audience: string;
  readonly claims: ClaimNames;
}

/** True for https URLs, and for http ones on a loopback address (a provider on the same host, or a test's). */
export function isJwksUrl(value: string): boolean {
  try {
    const url = new URL(value);
    if (url.username !== '' || url.password !== '' || url.hash !== '') return false;
    if (url.protocol === 'https:') return url.hostname !== '';
    return url.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
  } catch {
    return false;
  }
}

/**
 * Parses KINDRED_JWT_CLAIMS, `kindred-claim=provider-claim` pairs separated by commas
 * (`name=kindred_pseudonym,role=roles`): the claims not named keep their default names.
 */
export function parseClaimNames(text: string): { claims: ClaimNames; problems: string[] } {
  const claims: Record<string, string> = { ...defaultClaimNames };
  const problems: string[] = [];
  for (const pair of text.split(',').map((each) => each.trim()).filter(Boolean)) {
    const match = /^([A-Za-z]+)\s*=\s*(\S+)$/.exec(pair);
    if (!match) {
      problems.push(`KINDRED_JWT_CLAIMS: "${pair}" must look like name=kindred_pseudonym.`);
      continue;
    }
    claims[match[1]!] = match[2]!;
  }
  return { claims: claims as unknown as ClaimNames, problems };
}

/** Everything wrong with an identity provider's settings (none when it is usable). */
export function identityProviderProblems(provider: IdentityProvider): string[] {
  const problems: string[] = [];
  if (!isJwksUrl(provider.jwksUrl)) {
    problems.push('KINDRED_JWKS_URL must be an https:// URL (http:// only on a loopback address, such as http://127.0.0.1:9000/jwks.json).');
  }
  if (provider.issuer.trim() === '') {
    problems.push('KINDRED_JWT_ISSUER is required with KINDRED_JWKS_URL: the identity provider\'s issuer, exactly as in its tokens\' "iss" claim.');
  }
  if (provider.audience.trim() === '') {
    problems.push('KINDRED_JWT_AUDIENCE is required with KINDRED_JWKS_URL: the "aud" its tokens carry for this relay.');
  }
  for (const [kindred, claim] of Object.entries(provider.claims)) {
    if (!(kindredClaims as readonly string[]).includes(kindred)) {
      problems.push(`KINDRED_JWT_CLAIMS: "${kindred}" is not one of ${kindredClaims.join(', ')}.`);
    } else if (typeof claim !== 'string' || !/^\S{1,200}$/.test(claim)) {
      problems.push(`KINDRED_JWT_CLAIMS: ${kindred} must name one claim, with no spaces.`);
    }
  }
  if (identifyingClaims.has(provider.claims.name)) {
    problems.push(
      `KINDRED_JWT_CLAIMS: the display name must not come from "${provider.claims.name}": it identifies the volunteer, and survivors see the display name. ` +
        `Give each volunteer a pseudonym in a claim of its own (by default ${defaultClaimNames.name}).`,
    );
  }
  return problems;
}

/** Settings that only mean something with KINDRED_JWKS_URL, set without it: a mistake to report. */
export function strayIdentityProviderSettings(env: Readonly<Record<string, string | undefined>>): string[] {
  const stray = ['KINDRED_JWT_ISSUER', 'KINDRED_JWT_AUDIENCE', 'KINDRED_JWT_CLAIMS'].filter((name) => env[name]);
  return stray.length === 0 ? [] : [`${stray.join(', ')} only apply with KINDRED_JWKS_URL: set it, or unset ${stray.length === 1 ? 'this' : 'these'}.`];
}

/**
 * The identity provider from the environment, or undefined without KINDRED_JWKS_URL. Missing
 * parts are left empty for `identityProviderProblems` to report, all at once.
 */
export function readIdentityProvider(env: Readonly<Record<string, string | undefined>>): { provider?: IdentityProvider; problems: string[] } {
  const jwksUrl = env.KINDRED_JWKS_URL?.trim();
  if (!jwksUrl) return { problems: strayIdentityProviderSettings(env) };
  const { claims, problems } = parseClaimNames(env.KINDRED_JWT_CLAIMS ?? '');
  return {
    provider: Object.freeze({ jwksUrl, issuer: env.KINDRED_JWT_ISSUER?.trim() ?? '', audience: env.KINDRED_JWT_AUDIENCE?.trim() ?? '', claims: Object.freeze(claims) }),
    problems,
  };
}
