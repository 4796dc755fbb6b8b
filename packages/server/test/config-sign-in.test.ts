// SPDX-License-Identifier: Apache-2.0
/**
 * Settings for single sign-on and `/metrics`, and the token command's new options. PROTECTS the
 * operator from a relay that starts half-configured: bad or missing settings stop it at start
 * with every problem listed at once, and a display name can never be configured to come from a
 * claim that identifies the volunteer.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { defaultClaimNames } from '../src/auth/identity-provider.js';
import { verifyPeerToken } from '../src/auth/tokens.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { secret } from './helpers.js';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const baseEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
const noFile = () => {
  throw new Error('no file');
};

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env, { demo: false }, noFile);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const sso = {
  KINDRED_JWKS_URL: 'https://login.hospital.example/realms/staff/protocol/openid-connect/certs',
  KINDRED_JWT_ISSUER: 'https://login.hospital.example/realms/staff',
  KINDRED_JWT_AUDIENCE: 'kindred',
};

test('single sign-on settings make an identity provider with the default claim names', () => {
  const { config } = loadConfig({ ...sso, KINDRED_METRICS_TOKEN: 'm'.repeat(32) }, { demo: false }, noFile);
  assert.deepEqual(config.identityProvider, { jwksUrl: sso.KINDRED_JWKS_URL, issuer: sso.KINDRED_JWT_ISSUER, audience: 'kindred', claims: defaultClaimNames });
  assert.equal(config.metricsToken, 'm'.repeat(32));
  assert.ok(Object.isFrozen(config.identityProvider));
});

test('none of it by default: no identity provider, /metrics off', () => {
  const { config } = loadConfig({}, { demo: false }, noFile);
  assert.equal(config.identityProvider, undefined);
  assert.equal(config.metricsToken, '');
});

test('KINDRED_JWT_CLAIMS renames only the claims it names', () => {
  const { config } = loadConfig({ ...sso, KINDRED_JWT_CLAIMS: 'name=kindred_pseudonym, role=roles' }, { demo: false }, noFile);
  assert.deepEqual(config.identityProvider?.claims, { ...defaultClaimNames, name: 'kindred_pseudonym', role: 'roles' });
});

test('http is allowed for a JWKS on a loopback address only', () => {
  for (const url of ['http://127.0.0.1:9000/jwks.json', 'http://localhost:9000/jwks.json', 'http://[::1]:9000/jwks.json']) {
    assert.deepEqual(problems({ ...sso, KINDRED_JWKS_URL: url }), [], url);
  }
  for (const url of ['http://login.hospital.example/jwks.json', 'http://10.0.0.5/jwks.json', 'https://user:pw@login.hospital.example/jwks', 'ftp://login.hospital.example/jwks', 'not a url']) {
    assert.match(problems({ ...sso, KINDRED_JWKS_URL: url }).join('\n'), /KINDRED_JWKS_URL must be an https:\/\/ URL/, url);
  }
});

test('every problem at once: bad JWKS address, missing issuer and audience, bad claim names, a short metrics token', () => {
  const found = problems({
    KINDRED_JWKS_URL: 'http://login.hospital.example/jwks.json',
    KINDRED_JWT_CLAIMS: 'name=email,colour=blue,oops',
    KINDRED_METRICS_TOKEN: 'short',
  });
  const text = found.join('\n');
  assert.equal(found.length, 7, text);
  assert.match(text, /KINDRED_JWKS_URL must be an https/);
  assert.match(text, /KINDRED_JWT_ISSUER is required/);
  assert.match(text, /KINDRED_JWT_AUDIENCE is required/);
  assert.match(text, /"oops" must look like name=kindred_pseudonym/);
  assert.match(text, /"colour" is not one of name, role, topics, languages, maxChats/);
  assert.match(text, /display name must not come from "email"/);
  assert.match(text, /KINDRED_METRICS_TOKEN must be 32/);
  assert.doesNotMatch(text, /short/, 'the metrics token is never quoted back');
});

test('the display name may not come from any claim that identifies the volunteer', () => {
  for (const claim of ['name', 'given_name', 'preferred_username', 'email', 'upn', 'sub', 'oid']) {
    assert.match(problems({ ...sso, KINDRED_JWT_CLAIMS: `name=${claim}` }).join('\n'), /display name must not come from/, claim);
  }
});

test('issuer, audience or claims without KINDRED_JWKS_URL are a mistake, reported', () => {
  assert.match(problems({ KINDRED_JWT_ISSUER: sso.KINDRED_JWT_ISSUER, KINDRED_JWT_AUDIENCE: 'kindred' }).join('\n'), /KINDRED_JWT_ISSUER, KINDRED_JWT_AUDIENCE only apply with KINDRED_JWKS_URL/);
});

test('the relay process refuses to start with bad sign-in settings, listing every problem, exit 2', () => {
  const run = spawnSync(process.execPath, [main], {
    env: { ...baseEnv, PORT: '0', KINDRED_JWKS_URL: 'http://login.hospital.example/jwks.json', KINDRED_JWT_CLAIMS: 'name=preferred_username', KINDRED_METRICS_TOKEN: 'short' },
    encoding: 'utf8',
    timeout: 10_000,
  });
  assert.equal(run.status, 2, run.stderr);
  assert.equal(run.stdout, '', 'it never said it was listening');
  for (const problem of [/KINDRED_JWKS_URL/, /KINDRED_JWT_ISSUER is required/, /KINDRED_JWT_AUDIENCE is required/, /"preferred_username"/, /KINDRED_METRICS_TOKEN/]) {
    assert.match(run.stderr, problem);
  }
});

test('`kindred-relay token` takes a role, topics and languages, and signs them in', async () => {
  const run = spawnSync(process.execPath, [main, 'token', '--name', 'Robin', '--role', 'supervisor', '--topics', 'assault, road-injury', '--languages', 'en,PT-br', '--ttl', '1h'], {
    env: { ...baseEnv, KINDRED_SECRET: secret },
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(await verifyPeerToken(secret, run.stdout.trim()), {
    name: 'Robin',
    maxChats: 1,
    role: 'supervisor',
    topics: ['assault', 'road-injury'],
    languages: ['en', 'pt-BR'],
  });
});

test('`kindred-relay token` refuses a bad role, topic or language, with every problem and no token', () => {
  const run = spawnSync(process.execPath, [main, 'token', '--name', 'Robin', '--role', 'admin', '--topics', 'Road Injury', '--languages', 'english!'], {
    env: { ...baseEnv, KINDRED_SECRET: secret },
    encoding: 'utf8',
  });
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /--role must be peer or supervisor/);
  assert.match(run.stderr, /--topics must be/);
  assert.match(run.stderr, /--languages must be/);
});
