// SPDX-License-Identifier: Apache-2.0
/** Bad configuration stops the relay at start, with every problem listed at once. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.js';

const noFile = () => {
  throw new Error('no file');
};

function problems(env: Record<string, string>, readFile: (path: string) => string = noFile): readonly string[] {
  try {
    loadConfig(env, { demo: false }, readFile);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

test('defaults: port 8080 on loopback, a generated secret outside production', () => {
  const { config, secretGenerated } = loadConfig({}, { demo: false }, noFile);
  assert.equal(config.port, 8080);
  assert.equal(config.host, '127.0.0.1');
  assert.equal(secretGenerated, true);
  assert.ok(config.secret.length >= 32);
  assert.equal(config.demo, false);
  assert.equal(config.hospital.exitUrl, 'https://www.bbc.co.uk/weather');
  assert.ok(Object.isFrozen(config));
});

test('every problem is listed, not just the first', () => {
  const found = problems({
    NODE_ENV: 'production',
    PORT: 'eighty',
    KINDRED_ORIGINS: 'https://ok.example,hospital.example,https://slash.example/',
    DEBUG: 'socket.io:*',
  });
  assert.equal(found.length, 5, found.join('\n'));
  assert.match(found.join('\n'), /KINDRED_SECRET is required/);
  assert.match(found.join('\n'), /PORT/);
  assert.match(found.join('\n'), /"hospital\.example" is not an origin/);
  assert.match(found.join('\n'), /"https:\/\/slash\.example\/" is not an origin/);
  assert.match(found.join('\n'), /DEBUG/);
});

test('a short secret is refused', () => {
  assert.match(problems({ KINDRED_SECRET: 'short' }).join('\n'), /at least 32 characters/);
});

test('KINDRED_CONFIG: origins from the file, the environment wins, unknown keys and bad JSON are problems', () => {
  const file = (text: string) => () => text;
  const fromFile = loadConfig({ KINDRED_CONFIG: 'x.json' }, { demo: false }, file('{"origins":["https://a.example"]}'));
  assert.deepEqual(fromFile.config.origins, ['https://a.example']);
  const overridden = loadConfig({ KINDRED_CONFIG: 'x.json', KINDRED_ORIGINS: 'https://b.example' }, { demo: false }, file('{"origins":["https://a.example"]}'));
  assert.deepEqual(overridden.config.origins, ['https://b.example']);
  assert.match(problems({ KINDRED_CONFIG: 'x.json' }, file('{"orgins":[]}')).join('\n'), /KINDRED_CONFIG/);
  assert.match(problems({ KINDRED_CONFIG: 'x.json' }, file('{nope')).join('\n'), /not valid JSON/);
  assert.match(problems({ KINDRED_CONFIG: 'missing.json' }).join('\n'), /cannot be read/);
});

test('the hospital section is checked in full, with a path for each problem', () => {
  const file = JSON.stringify({
    hospital: {
      exitUrl: 'http://not-https.example',
      emergency: { label: 'emergency services', phone: 'call us' },
      resources: [
        { id: 'ok', name: 'Fine', url: 'javascript:alert(1)' },
        { id: 'creds', name: 'Credentials', url: 'https://bank.example@evil.example/' },
        { id: 'ok', name: 'Duplicate id' },
      ],
      surprise: true,
    },
  });
  const found = problems({ KINDRED_CONFIG: 'x.json' }, () => file).join('\n');
  assert.match(found, /hospital\.exitUrl: must be an https:\/\/ URL/);
  assert.match(found, /hospital\.emergency\.phone: must be a phone number/);
  assert.match(found, /hospital\.resources\.0\.url: must be an https:\/\/ URL/);
  assert.match(found, /hospital\.resources\.1\.url: must be an https:\/\/ URL/, 'a URL with credentials reads as one site and opens another');
  assert.match(found, /resource ids must be unique/);
  assert.match(found, /surprise/);
});

test('canned responses: every problem listed with its path; the text must fit in one message', () => {
  const file = JSON.stringify({
    hospital: {
      cannedResponses: [
        { id: 'welcome', title: 'Welcome', text: 'Hello, I am here.' },
        { id: 'Bad Id', title: '', text: 'x'.repeat(2_001) },
        { id: 'welcome', title: 'Again', text: 'Hi', texts: { 'not a tag': 'Hola', es: '' }, extra: 1 },
      ],
    },
  });
  const found = problems({ KINDRED_CONFIG: 'x.json' }, () => file).join('\n');
  assert.match(found, /hospital\.cannedResponses\.1\.id: must be 1 to 40 of a-z/);
  assert.match(found, /hospital\.cannedResponses\.1\.title: must not be empty/);
  assert.match(found, /hospital\.cannedResponses\.1\.text: must be at most 2000 characters/);
  assert.match(found, /hospital\.cannedResponses\.2\.texts.*language tags/);
  assert.match(found, /hospital\.cannedResponses\.2\.texts\.es: must not be empty/);
  assert.match(found, /extra/);
  // The list-wide checks run once every item is well formed (valibot stops a pipe at its first issue).
  const twice = JSON.stringify({ hospital: { cannedResponses: [{ id: 'a', title: 'A', text: 'x' }, { id: 'a', title: 'B', text: 'y' }] } });
  assert.match(problems({ KINDRED_CONFIG: 'x.json' }, () => twice).join('\n'), /canned response ids must be unique/);
  const tooMany = JSON.stringify({ hospital: { cannedResponses: Array.from({ length: 31 }, (_, i) => ({ id: `r${i}`, title: 'T', text: 'x' })) } });
  assert.match(problems({ KINDRED_CONFIG: 'x.json' }, () => tooMany).join('\n'), /at most 30 canned responses/);
});

test('--demo uses the example hospital unless KINDRED_CONFIG says otherwise', async () => {
  const { readFileSync } = await import('node:fs');
  const { config } = loadConfig({}, { demo: true }, (path) => readFileSync(path, 'utf8'));
  assert.equal(config.hospital.name, 'St Example Hospital');
  assert.ok(config.hospital.resources.length >= 3);
  assert.equal(config.hospital.emergency.phone, '999');
  assert.equal(config.hospital.cannedResponses?.length, 3, 'the demo has three canned responses');
});

test('connection limits and slow-client timeouts: defaults, the environment, and bounds', () => {
  const { config } = loadConfig({}, { demo: false }, noFile);
  assert.equal(config.connectionsPerMinute, 60);
  assert.equal(config.maxConnections, 5_000);
  assert.equal(config.headersTimeoutMs, 10_000);
  assert.equal(config.requestTimeoutMs, 30_000);
  const set = loadConfig({ KINDRED_CONNECTIONS_PER_MINUTE: '0', KINDRED_MAX_CONNECTIONS: '200' }, { demo: false }, noFile).config;
  assert.equal(set.connectionsPerMinute, 0, '0 turns the per-address limit off (a relay behind a remote load balancer)');
  assert.equal(set.maxConnections, 200);
  const found = problems({ KINDRED_CONNECTIONS_PER_MINUTE: '60/min', KINDRED_MAX_CONNECTIONS: '0' }).join('\n');
  assert.match(found, /KINDRED_CONNECTIONS_PER_MINUTE must be a whole number/);
  assert.match(found, /KINDRED_MAX_CONNECTIONS must be a whole number/);
  assert.match(problems({ KINDRED_MAX_CONNECTIONS: '1e3' }).join('\n'), /KINDRED_MAX_CONNECTIONS/, 'whole numbers only');
});

test('REDIS_URL: a redis:// or rediss:// URL, never quoted back, and only with a KINDRED_SECRET shared by every relay', () => {
  const secret = 'x'.repeat(40);
  const { config } = loadConfig({ KINDRED_SECRET: secret, REDIS_URL: 'rediss://kindred:pa55word@redis.internal:6380/2' }, { demo: false }, noFile);
  assert.equal(config.redisUrl, 'rediss://kindred:pa55word@redis.internal:6380/2');
  assert.equal(config.redisPrefix, 'kindred');
  assert.equal(loadConfig({ KINDRED_SECRET: secret }, { demo: false }, noFile).config.redisUrl, '', 'unset: the in-memory state');
  for (const bad of ['http://redis.internal:6379', 'redis://', 'redis://host:6379/x?password=hunter2', 'not a url hunter2']) {
    const found = problems({ KINDRED_SECRET: secret, REDIS_URL: bad }).join('\n');
    assert.match(found, /REDIS_URL must look like/, bad);
    assert.doesNotMatch(found, /hunter2/, 'a password in a bad URL is never printed');
  }
  assert.match(problems({ REDIS_URL: 'redis://127.0.0.1:6379' }).join('\n'), /KINDRED_SECRET must be set when REDIS_URL is/);
  assert.match(problems({ KINDRED_SECRET: secret, REDIS_URL: 'redis://h:1', KINDRED_REDIS_PREFIX: 'Kindred{x}' }).join('\n'), /KINDRED_REDIS_PREFIX/);
});
