// SPDX-License-Identifier: Apache-2.0
/**
 * Limits on connections, checked before anything else looks at one: how many new connections
 * one client address may open per minute, and how many the relay holds in all.
 *
 * Counting per address means holding something per address, and privacy rule 1 forbids
 * keeping addresses. So a count is keyed by HMAC-SHA256(secret, address), with a random
 * secret that lives for one window (a minute): when the window ends the secret is replaced
 * and every count is forgotten with it. No address is stored, and no key outlives its window:
 * without the old secret, nobody can tell which address a key stood for, or match it to the
 * next window's key for the same address.
 *
 * The default is generous on purpose: hospital Wi-Fi puts many survivors behind one address.
 * A connection from the machine itself is taken to come through the reverse proxy docs/deploy.md
 * describes (HOST=127.0.0.1 behind nginx), and counted by the address that proxy saw
 * (client-address.ts).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Server, Socket } from 'socket.io';
import { addressIdentity, clientAddress } from './client-address.js';

/** The settings the guard reads (a RelayConfig has them). */
export interface ConnectionLimits {
  /** New connections one address may open per window; 0 turns the per-address limit off. */
  readonly connectionsPerMinute: number;
  /** Connections the relay holds at once, both namespaces together. */
  readonly maxConnections: number;
}

export interface ConnectionGuard {
  /**
   * Namespace middleware. Refuses with `rate-limited` (too many new connections from one
   * address) or `relay-full` (the cap), which the client sees as its `connect_error`.
   */
  readonly admit: (socket: { handshake: Pick<Socket['handshake'], 'address' | 'headers'> }, next: (error?: Error) => void) => void;
  /** Starts a new window now: a new secret, every count forgotten. The timer calls it each window. */
  newWindow(): void;
  /** Stops the window's timer and forgets every count. */
  close(): void;
}

/**
 * A raw connection may open without joining a namespace, where `admit` would see it. Such
 * connections are counted too, and closed beyond this many times the per-address limit:
 * a browser makes one per namespace connection, so the namespace refusal, which says why,
 * always comes first for a real client.
 */
const rawConnectionFactor = 2;

interface Counts {
  /** Namespace connections asked for in this window. */
  sockets: number;
  /** Raw (engine.io) connections opened in this window. */
  transports: number;
}

/**
 * Guards `io`: `admit` goes on each namespace (the same guard on both, so one address counts
 * across them), and raw connections are counted as they open. `windowMs` is for tests.
 */
export function createConnectionGuard(limits: ConnectionLimits, io: Server, { windowMs = 60_000 } = {}): ConnectionGuard {
  let secret = randomBytes(32);
  let counts = new Map<string, Counts>();

  const newWindow = () => {
    secret.fill(0);
    secret = randomBytes(32);
    counts = new Map();
  };
  const timer = setInterval(newWindow, windowMs);
  timer.unref();

  const countsOf = (address: string, forwardedFor: string | string[] | undefined): Counts => {
    const identity = addressIdentity(clientAddress(address, forwardedFor));
    const key = createHmac('sha256', secret).update(identity).digest('base64url');
    let entry = counts.get(key);
    if (!entry) {
      entry = { sockets: 0, transports: 0 };
      counts.set(key, entry);
    }
    return entry;
  };

  const perAddress = limits.connectionsPerMinute;
  const onTransport = (transport: { remoteAddress: string; request: { headers: IncomingHttpHeaders }; close(): void }) => {
    if (perAddress === 0) return;
    const entry = countsOf(transport.remoteAddress, transport.request.headers['x-forwarded-for']);
    entry.transports += 1;
    if (entry.transports > perAddress * rawConnectionFactor) transport.close();
  };
  io.engine.on('connection', onTransport);

  return {
    admit(socket, next) {
      if (perAddress > 0) {
        const entry = countsOf(socket.handshake.address, socket.handshake.headers['x-forwarded-for']);
        entry.sockets += 1;
        if (entry.sockets > perAddress) return next(new Error('rate-limited'));
      }
      // The engine's count already includes the connection asking.
      if (io.engine.clientsCount > limits.maxConnections) return next(new Error('relay-full'));
      next();
    },
    newWindow,
    close() {
      clearInterval(timer);
      io.engine.off('connection', onTransport);
      secret.fill(0);
      counts = new Map();
    },
  };
}
