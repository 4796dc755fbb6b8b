// SPDX-License-Identifier: Apache-2.0
/**
 * A TCP proxy for fault tests: it passes bytes both ways between clients and a target port,
 * and on demand cuts every connection at once and refuses new ones for a while — what a
 * dropped Wi-Fi, a mobile handover or a load balancer restart looks like from a browser.
 * With `record`, it is also a tap: it keeps every byte that passed each way, which is all a
 * reverse proxy, a load balancer or the relay's own host could ever see.
 */
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';

export interface TcpProxy {
  /** `http://127.0.0.1:PORT`: use it wherever the relay's URL would go. */
  readonly url: string;
  /** Connections passed through so far (each accepted client socket counts once). */
  readonly accepted: number;
  /** Resets every open connection, and resets new ones until `refuseMs` has passed. */
  cut(refuseMs: number): void;
  /** With `record`: every byte sent towards the target (`up`) and back (`down`), in order per connection. */
  recorded(): { up: Buffer[]; down: Buffer[] };
}

export async function tcpProxy(targetPort: number, { record = false } = {}): Promise<TcpProxy> {
  const open = new Set<Socket>();
  // One entry per connection and direction, so a connection's bytes stay contiguous.
  const up: Buffer[][] = [];
  const down: Buffer[][] = [];
  let refusingUntil = 0;
  let accepted = 0;

  const server = createServer((client) => {
    if (Date.now() < refusingUntil) {
      client.resetAndDestroy();
      return;
    }
    accepted += 1;
    const upstream = connect(targetPort, '127.0.0.1');
    if (record) {
      const sent: Buffer[] = [];
      const received: Buffer[] = [];
      up.push(sent);
      down.push(received);
      client.on('data', (chunk: Buffer) => sent.push(chunk));
      upstream.on('data', (chunk: Buffer) => received.push(chunk));
    }
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      open.add(from);
      from.pipe(to);
      from.on('error', () => to.destroy());
      from.on('close', () => {
        open.delete(from);
        to.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => {
    for (const socket of open) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get accepted() {
      return accepted;
    },
    recorded() {
      return { up: up.map((chunks) => Buffer.concat(chunks)), down: down.map((chunks) => Buffer.concat(chunks)) };
    },
    cut(refuseMs) {
      refusingUntil = Date.now() + refuseMs;
      for (const socket of open) socket.resetAndDestroy();
    },
  };
}
