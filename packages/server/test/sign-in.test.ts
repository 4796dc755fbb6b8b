// SPDX-License-Identifier: Apache-2.0
/**
 * Single sign-on: peers sign in with tokens from the hospital's identity provider, verified
 * against its JWKS. PROTECTS who may answer survivors. Every way a token can be wrong gets the
 * same `auth-failed` on the wire, and nothing is created; the reason is counted only in
 * `/metrics` for the operator, which this suite reads to be sure each refusal was refused for
 * the reason its title gives (a test that passed because the token was merely malformed would
 * prove nothing).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SignJWT, UnsecuredJWT } from 'jose';
import { defaultClaimNames } from '../src/auth/identity-provider.js';
import { signPeerToken, type Relay, type RelayConfig } from '../src/relay.js';
import { client, connect, expectOk, next, request, secret, startRelay } from './helpers.js';
import { algorithms, audience, issuer, startIdentityProvider, type IdentityProvider } from './identity-provider.js';
import { freePort } from './redis.js';
import { metricsToken, scrape } from './metrics-text.js';

const idp = await startIdentityProvider();
const now = () => Math.floor(Date.now() / 1000);
const robin = { kindred_name: 'Robin' };

function ssoRelay(provider: Pick<IdentityProvider, 'jwksUrl'> = idp, overrides: Partial<RelayConfig> = {}): Promise<Relay> {
  return startRelay({ identityProvider: { jwksUrl: provider.jwksUrl, issuer, audience, claims: defaultClaimNames }, metricsToken, ...overrides });
}

/** Signs in with `token`; resolves with the session, or rejects with the refusal. */
async function signIn(relay: Relay, token: unknown): Promise<Record<string, unknown>> {
  const socket = client(relay, '/peer', { auth: { token } });
  const ready = next(socket, 'session:ready');
  ready.catch(() => undefined);
  await connect(socket);
  return ready;
}

async function refusals(relay: Relay): Promise<Record<string, number>> {
  const metrics = await scrape(relay);
  const reasons = ['missing', 'malformed', 'algorithm', 'signature', 'unknown-key', 'expired', 'not-yet-valid', 'issuer', 'audience', 'lifetime', 'claims', 'jwks-unavailable'];
  return Object.fromEntries(reasons.map((reason) => [reason, metrics.value('kindred_peer_sign_in_refusals_total', { reason }) ?? 0]).filter(([, count]) => count !== 0));
}

const forged = async () => {
  // Signed by another provider's key under this one's key id: the signature cannot match.
  const other = await startIdentityProvider();
  return other.sign(robin);
};

const cases: Array<{ title: string; token: () => Promise<unknown>; reason: string }> = [
  { title: 'a forged signature (another key, this key id)', token: forged, reason: 'signature' },
  { title: 'a token whose payload was changed after signing', token: async () => {
      const [header, , signature] = (await idp.sign(robin)).split('.');
      const payload = Buffer.from(JSON.stringify({ iss: issuer, aud: audience, iat: now(), exp: now() + 600, kindred_name: 'Robin', kindred_role: 'supervisor' })).toString('base64url');
      return `${header}.${payload}.${signature}`;
    }, reason: 'signature' },
  { title: 'an expired token', token: () => idp.sign({ ...robin, iat: now() - 120, exp: now() - 60 }), reason: 'expired' },
  { title: 'a token expired a moment ago (no clock leeway on exp)', token: () => idp.sign({ ...robin, iat: now() - 60, exp: now() - 1 }), reason: 'expired' },
  { title: 'a token not yet valid (nbf an hour ahead)', token: () => idp.sign({ ...robin, nbf: now() + 3600 }), reason: 'not-yet-valid' },
  { title: 'a token issued in the future (iat an hour ahead)', token: () => idp.sign({ ...robin, iat: now() + 3600, exp: now() + 4000 }), reason: 'not-yet-valid' },
  { title: 'a token for another audience', token: () => idp.sign({ ...robin, aud: 'some-other-app' }), reason: 'audience' },
  { title: 'a token from another issuer', token: () => idp.sign({ ...robin, iss: 'https://login.elsewhere.example' }), reason: 'issuer' },
  { title: 'a token without an expiry', token: () => idp.sign({ ...robin, exp: undefined }), reason: 'claims' },
  { title: 'a token issued to live longer than 7 days', token: () => idp.sign({ ...robin, exp: now() + 8 * 86_400 }), reason: 'lifetime' },
  {
    title: 'alg: none (CVE-2015-9235 class)',
    token: async () => new UnsecuredJWT({ ...robin }).setIssuer(issuer).setAudience(audience).setIssuedAt().setExpirationTime('1h').encode(),
    reason: 'algorithm',
  },
  {
    title: 'algorithm confusion: HS256 "signed" with the JWKS public key as the secret (CVE-2016-10555 class)',
    token: () =>
      new SignJWT({ ...robin })
        .setProtectedHeader({ alg: 'HS256', kid: 'key-RS256' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(JSON.stringify(idp.publicJwk('RS256')))),
    reason: 'signature',
  },
  {
    title: 'algorithm confusion with the PEM-like n value as the secret',
    token: () =>
      new SignJWT({ ...robin })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(idp.publicJwk('RS256').n!)),
    reason: 'signature',
  },
  { title: 'an algorithm the relay does not take from a provider (RS512 header)', token: async () => {
      const [, payload, signature] = (await idp.sign(robin)).split('.');
      return `${Buffer.from(JSON.stringify({ alg: 'RS512', kid: 'key-RS256' })).toString('base64url')}.${payload}.${signature}`;
    }, reason: 'algorithm' },
  { title: 'an unknown key id', token: () => idp.sign(robin, { kid: 'rotated-away' }), reason: 'unknown-key' },
  { title: 'a token without the display-name claim', token: () => idp.sign({ name: 'Robin Smith' }), reason: 'claims' },
  { title: 'a display name longer than 40 characters', token: () => idp.sign({ kindred_name: 'R'.repeat(41) }), reason: 'claims' },
  { title: 'a role that is neither peer nor supervisor', token: () => idp.sign({ ...robin, kindred_role: 'admin' }), reason: 'claims' },
  { title: 'a topic that is not a topic id', token: () => idp.sign({ ...robin, kindred_topics: ['Assault & abuse'] }), reason: 'claims' },
  { title: 'a language that is not a language tag', token: () => idp.sign({ ...robin, kindred_languages: ['english!'] }), reason: 'claims' },
  { title: 'more chats than a peer may hold', token: () => idp.sign({ ...robin, kindred_max_chats: 9 }), reason: 'claims' },
  { title: 'no token at all', token: async () => undefined, reason: 'missing' },
  { title: 'a token that is not a JWT', token: async () => 'not-a-token', reason: 'malformed' },
];

for (const { title, token, reason } of cases) {
  test(`refused with auth-failed: ${title}`, async () => {
    const relay = await ssoRelay();
    await assert.rejects(signIn(relay, await token()), { message: 'auth-failed' });
    assert.equal(relay.counts().peers, 0, 'no session was made');
    assert.deepEqual(await refusals(relay), { [reason]: 1 }, 'refused for this reason, and counted');
  });
}

test('refused with auth-failed while the JWKS cannot be reached; the secret still signs peers in', async () => {
  const unreachable = { jwksUrl: `http://127.0.0.1:${await freePort()}/jwks.json` };
  const relay = await ssoRelay(unreachable);
  await assert.rejects(signIn(relay, await idp.sign(robin)), { message: 'auth-failed' });
  assert.deepEqual(await refusals(relay), { 'jwks-unavailable': 1 });
  const session = await signIn(relay, await signPeerToken(secret, { name: 'Sam', ttlSeconds: 600 }));
  assert.equal(session.name, 'Sam');
});

test('without KINDRED_JWKS_URL, a perfectly good identity-provider token is refused', async () => {
  const relay = await startRelay({ metricsToken });
  await assert.rejects(signIn(relay, await idp.sign(robin)), { message: 'auth-failed' });
  assert.deepEqual(await refusals(relay), { algorithm: 1 });
});

test('a token signed with KINDRED_SECRET must be the relay\'s own (issuer and audience)', async () => {
  const relay = await ssoRelay();
  // HS256 with the right secret but the provider's issuer and audience: the secret path only takes the relay's.
  const token = await new SignJWT({ name: 'Robin' }).setProtectedHeader({ alg: 'HS256' }).setIssuer(issuer).setAudience(audience)
    .setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(secret));
  await assert.rejects(signIn(relay, token), { message: 'auth-failed' });
  assert.deepEqual(await refusals(relay), { issuer: 1 });
});

for (const alg of algorithms) {
  test(`accepted: a token from the identity provider signed with ${alg}`, async () => {
    const relay = await ssoRelay();
    const session = await signIn(relay, await idp.sign(robin, { alg }));
    assert.equal(session.name, 'Robin');
    assert.equal((await scrape(relay)).value('kindred_peer_sign_ins_total', { source: 'identity-provider' }), 1);
  });
}

test('the claims of an identity-provider token reach the session: role, topics, languages, maximum chats', async () => {
  const relay = await ssoRelay();
  const token = await idp.sign({
    sub: 'staff-4471', // who the person is stays with the provider: nothing but the pseudonym is read
    name: 'Robin Smith',
    email: 'robin.smith@hospital.example',
    kindred_name: 'Robin',
    kindred_role: 'supervisor',
    kindred_topics: ['assault', 'road-injury', 'assault'],
    kindred_languages: ['en', 'pt-br'],
    kindred_max_chats: '3', // identity providers often carry numbers as text
  });
  const session = await signIn(relay, token);
  assert.deepEqual(
    { name: session.name, role: session.role, topics: session.topics, languages: session.languages, maxChats: session.maxChats },
    { name: 'Robin', role: 'supervisor', topics: ['assault', 'road-injury'], languages: ['en', 'pt-BR'], maxChats: 3 },
  );
  assert.doesNotMatch(JSON.stringify(session), /Smith|staff-4471/, 'nothing identifying is passed on');
});

test('defaults: role peer, no topics, no languages, one chat', async () => {
  const relay = await ssoRelay();
  const session = await signIn(relay, await idp.sign(robin));
  assert.deepEqual({ role: session.role, topics: session.topics, languages: session.languages, maxChats: session.maxChats }, { role: 'peer', topics: [], languages: [], maxChats: 1 });
});

test('KINDRED_JWT_CLAIMS maps the provider\'s own claim names, such as a roles list', async () => {
  const relay = await ssoRelay(idp, {
    identityProvider: { jwksUrl: idp.jwksUrl, issuer, audience, claims: { ...defaultClaimNames, name: 'pseudonym', role: 'roles', topics: 'https://kindred.example/topics' } },
  });
  const session = await signIn(relay, await idp.sign({ pseudonym: 'Robin', roles: ['staff', 'supervisor'], 'https://kindred.example/topics': 'loss' }));
  assert.deepEqual({ name: session.name, role: session.role, topics: session.topics }, { name: 'Robin', role: 'supervisor', topics: ['loss'] });
  // The default name is no longer read once mapped elsewhere.
  await assert.rejects(signIn(relay, await idp.sign(robin)), { message: 'auth-failed' });
});

test('a resumed session keeps what the token said: role, topics and languages travel in the signed resume token', async () => {
  const relay = await ssoRelay();
  const first = client(relay, '/peer', { auth: { token: await idp.sign({ ...robin, kindred_role: 'supervisor', kindred_topics: ['loss'], kindred_languages: ['es'] }) } });
  const ready = next(first, 'session:ready');
  await connect(first);
  const { resume } = await ready;
  expectOk(await request(first, 'duty:set', { onDuty: true }));
  first.disconnect();
  const again = client(relay, '/peer', { auth: { resume } });
  const back = next(again, 'session:ready');
  await connect(again);
  const session = await back;
  assert.deepEqual(
    { resumed: session.resumed, name: session.name, role: session.role, topics: session.topics, languages: session.languages, onDuty: session.onDuty },
    { resumed: true, name: 'Robin', role: 'supervisor', topics: ['loss'], languages: ['es'], onDuty: true },
  );
});

test('the JWKS is fetched once and cached, not once per sign-in', async () => {
  const own = await startIdentityProvider();
  const relay = await ssoRelay(own);
  for (let i = 0; i < 5; i += 1) await signIn(relay, await own.sign(robin));
  assert.equal(own.fetches(), 1);
});
