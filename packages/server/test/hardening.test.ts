// SPDX-License-Identifier: Apache-2.0
/**
 * The relay's transport baseline. PROTECTS the relay from clients it should not have to serve:
 * no long-polling sessions (websocket only), no per-message compression (CPU per message and a
 * history of memory bugs), a small packet limit.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { test } from 'node:test';
import { hospital, startRelay } from './helpers.js';

test('long-polling is refused: websocket is the only transport', async () => {
  const relay = await startRelay();
  const response = await fetch(`${relay.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: hospital } });
  assert.equal(response.status, 400);
  assert.equal(relay.counts().peers + relay.counts().chats, 0);
});

test('a websocket upgrade offering permessage-deflate gets no compression', async () => {
  const relay = await startRelay();
  const { port } = new URL(relay.url);
  const headers = await new Promise<Record<string, string | string[] | undefined>>((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      path: '/socket.io/?EIO=4&transport=websocket',
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        Origin: hospital,
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': Buffer.from('kindred-test-key').toString('base64'),
        'Sec-WebSocket-Extensions': 'permessage-deflate; client_max_window_bits',
      },
    });
    req.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve(response.headers);
    });
    req.on('response', (response) => reject(new Error(`no upgrade: ${response.statusCode}`)));
    req.on('error', reject);
    req.end();
  });
  assert.equal(headers['sec-websocket-extensions'], undefined);
});
