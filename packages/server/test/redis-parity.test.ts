// SPDX-License-Identifier: Apache-2.0
/**
 * One relay on Redis behaves as one relay in memory. PROTECTS the promise that the two state
 * implementations (state/memory.ts, state/redis.ts) are interchangeable: the relay's own suites
 * for sessions and resume, ending chats, isolation, the queue, accepting, delivery, the key
 * exchange and cards, matching and offers run again, unchanged, with every relay they start on
 * a real redis-server (helpers.ts reads KINDRED_TEST_REDIS_URL). The one deliberate difference, closing a relay,
 * is spelled out in chat-end.test.ts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { startRedis } from './redis.js';

const redis = await startRedis();

const suites = [
  'resume',
  'chat-end',
  'isolation',
  'survivor-safety',
  'survivor-chat-start',
  'peer-chat-accept',
  'message-send',
  'key-exchange',
  'peer-resource-share',
  'auth',
  'matching',
  'offers',
  // Issue 4: breaks, blocking, colleagues and transfers.
  'duty-break',
  'block',
  'transfer',
  // Issue 4: escalations, the supervisors' board and supervision.
  'supervision',
  'board',
];

test('the relay’s suites pass unchanged with the state in Redis', { timeout: 240_000 }, async () => {
  const files = suites.map((suite) => fileURLToPath(new URL(`./${suite}.test.ts`, import.meta.url)));
  // Several files at once: most of each file's time is waiting (grace periods, delivery
  // timeouts running out after its tests), not work. Each relay has a key prefix of its own.
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=4', '--test-reporter=tap', ...files], {
    // A runner of its own (not a child of this one, which NODE_TEST_CONTEXT would make it).
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_TEST_CONTEXT')), KINDRED_TEST_REDIS_URL: redis.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const [code] = await once(child, 'exit');
  const failed = output.split('\n').filter((line) => /^\s*not ok /.test(line));
  assert.deepEqual(failed, [], output.slice(-4_000));
  assert.equal(code, 0, output.slice(-4_000));
  const count = (what: string) => Number(new RegExp(`^# ${what} (\\d+)$`, 'm').exec(output)?.[1] ?? Number.NaN);
  assert.ok(count('pass') >= 40, `the suites ran their tests (${count('pass')} passed)`);
  assert.equal(count('skipped'), 0, 'and skipped none');
});
