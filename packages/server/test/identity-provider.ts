// SPDX-License-Identifier: Apache-2.0
/**
 * A hospital identity provider for the tests: real key pairs made with jose, their public
 * halves published as a JSON Web Key Set on a loopback HTTP server (as Entra, Okta or Keycloak
 * publish theirs over https), and tokens signed with the private halves.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export const issuer = 'https://login.hospital.example/realms/staff';
export const audience = 'kindred-relay-test';

/** The algorithms the relay accepts from an identity provider, each with a key of its own. */
export const algorithms = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;
export type Algorithm = (typeof algorithms)[number];

export interface IdentityProvider {
  /** Where its JWKS is served. */
  readonly jwksUrl: string;
  /** How many times the relay fetched the JWKS. */
  fetches(): number;
  /** The public key of `alg`, as published (for the algorithm-confusion attack). */
  publicJwk(alg: Algorithm): JWK;
  /**
   * A token signed by this provider: `iss`, `aud`, `iat` and `exp` (ten minutes) set unless
   * `claims` or `options` say otherwise.
   */
  sign(claims: JWTPayload, options?: { alg?: Algorithm; kid?: string; header?: Record<string, unknown> }): Promise<string>;
}

/** Starts an identity provider on a free loopback port; it stops with the file's tests. */
export async function startIdentityProvider(): Promise<IdentityProvider> {
  const keys = new Map<Algorithm, { privateKey: CryptoKey; jwk: JWK }>();
  for (const alg of algorithms) {
    const { privateKey, publicKey } = await generateKeyPair(alg, alg === 'EdDSA' ? { crv: 'Ed25519' } : {});
    keys.set(alg, { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: `key-${alg}`, alg, use: 'sig' } });
  }
  let fetches = 0;
  const server = createServer((req, res) => {
    if (req.url !== '/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    fetches += 1;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ keys: [...keys.values()].map((key) => key.jwk) }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;

  return {
    jwksUrl: `http://127.0.0.1:${port}/jwks.json`,
    fetches: () => fetches,
    publicJwk: (alg) => keys.get(alg)!.jwk,
    async sign(claims, options = {}) {
      const alg = options.alg ?? 'RS256';
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: issuer, aud: audience, iat: now, exp: now + 600, ...claims })
        .setProtectedHeader({ alg, typ: 'JWT', kid: options.kid ?? `key-${alg}`, ...options.header })
        .sign(keys.get(alg)!.privateKey);
    },
  };
}
