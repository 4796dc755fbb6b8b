// SPDX-License-Identifier: Apache-2.0
/**
 * `createRelay(config)`: the whole relay (HTTP files, both Socket.IO namespaces, the queue)
 * on one port, returned as a handle with `close()`. It reads no environment and prints
 * nothing: main.ts does that, and tests start as many relays as they like on port 0.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { limits, namespaces, socketPath } from '@kindred/protocol';
import { Server, type ServerOptions } from 'socket.io';
import { resolveConfig, type RelayConfig } from './config.js';
import { createContext, type PeerNamespace, type SurvivorNamespace } from './context.js';
import { createConnectionGuard } from './guard/connection-guard.js';
import { loadAssets } from './http/assets.js';
import { createRoutes } from './http/routes.js';
import { createLogger, type Logger } from './log.js';
import { createMetrics, readGauges } from './metrics.js';
import { observeState } from './metrics-state.js';
import { attachPeers } from './namespaces/peer.js';
import { attachSurvivors } from './namespaces/survivor.js';
import { createSessions } from './sessions.js';
import { createState } from './state/create.js';
import type { Counts } from './state/state.js';

export { ConfigError, loadConfig, type RelayConfig } from './config.js';
export { signPeerToken, verifyPeerToken, parseDuration } from './auth/tokens.js';
export { createLogger, type Logger } from './log.js';

/** The four sizes `Relay.counts` has always reported (the board's `peersOnBreak` is not one of them). */
const sizes = ({ chats, waiting, peers, survivors }: Counts) => ({ chats, waiting, peers, survivors });

/** A running relay. */
export interface Relay {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly port: number;
  readonly config: RelayConfig;
  /**
   * Sizes of the live state (never its contents), for health checks and tests. With REDIS_URL,
   * the sizes of the shared state as this relay last saw them (every operation and every
   * second's tick refresh them); `countsNow()` asks.
   */
  counts(): { chats: number; waiting: number; peers: number; survivors: number };
  countsNow(): Promise<{ chats: number; waiting: number; peers: number; survivors: number }>;
  /**
   * Closes every connection and stops listening. A relay alone (in memory) ends every chat and
   * each side is told; relays sharing Redis hand their connections over instead: each client
   * reconnects through the load balancer and takes its chat back on another relay.
   */
  close(): Promise<void>;
}

export interface RelayOptions {
  /** Where log lines go; by default nowhere. */
  log?: Logger;
}

export async function createRelay(input: Partial<RelayConfig>, options: RelayOptions = {}): Promise<Relay> {
  const config = resolveConfig(input);
  const log = options.log ?? createLogger();
  const assets = loadAssets(config);
  // In memory, or shared in Redis (REDIS_URL) with the Redis adapter for cross-relay delivery.
  const created = await createState(config, log);
  const { adapter } = created;
  // Chat starts and ends are counted where they happen: in the state (metrics-state.ts).
  const metrics = createMetrics();
  const state = observeState(created.state, metrics);
  let accepting = true;
  const ready = () => accepting && state.ready();

  // Slow clients must not hold sockets open: a request has headersTimeoutMs (10 s) for its
  // headers and requestTimeoutMs (30 s) in all. Node looks for late requests only every
  // connectionsCheckingInterval, 30 s by default, which would let a slow client stay three or
  // four times as long as allowed; looking every second costs one walk over open requests.
  const server = createServer(
    {
      headersTimeout: config.headersTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1_000, Math.ceil(config.headersTimeoutMs / 2)),
    },
    createRoutes(config, assets, ready, async () => metrics.render(await readGauges(state), ready())),
  );

  const io = new Server(server, {
    path: socketPath,
    serveClient: false,
    // Websocket only: no long-polling sessions to hold, no sticky sessions needed to scale out.
    transports: ['websocket'],
    // Compression costs CPU per message and has a history of memory bugs; messages are small.
    perMessageDeflate: false,
    httpCompression: false,
    maxHttpBufferSize: limits.packetBytes,
    // Connection state recovery is deliberately absent: it buffers packets, i.e. message text.
    ...(adapter ? { adapter: adapter as NonNullable<ServerOptions['adapter']> } : {}),
  });
  // Nobody has business on the main namespace.
  io.use((_socket, next) => next(new Error('not-found')));

  const survivors: SurvivorNamespace = io.of(namespaces.survivor);
  const peers: PeerNamespace = io.of(namespaces.peer);
  // Connection limits come before every other check; one guard, so an address counts across both.
  const connectionGuard = createConnectionGuard(config, io);
  for (const namespace of [survivors, peers]) namespace.use(connectionGuard.admit);
  const ctx = createContext(config, state, survivors, peers, log);
  const sessions = createSessions(ctx);
  attachSurvivors(ctx, sessions, metrics);
  attachPeers(ctx, sessions, metrics);
  await sessions.start(); // sharing Redis: a first heartbeat and sweep before taking anyone

  server.listen(config.port, config.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  log.info('relay-listening', { port });

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    config,
    // The four sizes only: the board's figures (peers on a break) are the supervisors' business.
    counts: () => sizes(state.counts()),
    countsNow: async () => sizes(await state.countsNow()),
    close() {
      closing ??= (async () => {
        accepting = false;
        log.info('relay-closing', { chats: state.counts().chats });
        ctx.rounds.close(); // no more lists or offers from this relay
        await sessions.close(); // alone: every chat ends, both sides told; sharing Redis: handed over
        connectionGuard.close();
        const closed = io.close(); // disconnects every socket, then stops the HTTP server
        // Browsers keep idle and speculative connections open; waiting for them to time out
        // would hold a shutdown for minutes. Websockets are not among these: io.close ends them.
        server.closeAllConnections();
        await closed;
        await sessions.drain(); // the last disconnects, written to the shared state
        await state.close();
        log.info('relay-closed');
      })();
      return closing;
    },
  };
}
