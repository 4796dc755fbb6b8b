// SPDX-License-Identifier: Apache-2.0
/** Only the relay's own pages and the configured hospital sites may open a connection. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client, connect, hospital, startRelay } from './helpers.js';

for (const namespace of ['/survivor', '/peer'] as const) {
  test(`${namespace}: a foreign origin is refused`, async () => {
    const relay = await startRelay();
    for (const origin of ['https://evil.example', `${hospital}.evil.example`, 'null', `${hospital}/`, null]) {
      await assert.rejects(connect(client(relay, namespace, { origin })), { message: 'origin-refused' }, String(origin));
    }
  });
}

test('the configured hospital origin and the relay’s own origin may connect', async () => {
  const relay = await startRelay();
  await connect(client(relay, '/survivor', { origin: hospital }));
  await connect(client(relay, '/survivor', { origin: relay.url }));
});

test('the main namespace is closed to everyone', async () => {
  const relay = await startRelay();
  await assert.rejects(connect(client(relay, '' as '/survivor')), { message: 'not-found' });
});
