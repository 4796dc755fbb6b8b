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
import { Server } from 'socket.io';
import { resolveConfig, type RelayConfig } from './config.js';
import { createContext, type PeerNamespace, type SurvivorNamespace } from './context.js';
import { loadAssets } from './http/assets.js';
import { createRoutes } from './http/routes.js';
import { createLogger, type Logger } from './log.js';
import { attachPeers } from './namespaces/peer.js';
import { attachSurvivors } from './namespaces/survivor.js';
import { createSessions } from './sessions.js';
import { MemoryState } from './state/memory.js';

export { ConfigError, loadConfig, type RelayConfig } from './config.js';
export { signPeerToken, verifyPeerToken, parseDuration } from './auth/tokens.js';
export { createLogger, type Logger } from './log.js';

/** A running relay. */
export interface Relay {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly port: number;
  readonly config: RelayConfig;
  /** Sizes of the live state (never its contents), for health checks and tests. */
  counts(): { chats: number; waiting: number; peers: number; survivors: number };
  /** Ends every chat (each side is told), closes every connection, stops listening. */
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

  const server = createServer(createRoutes(config, assets));
  // Slow clients must not hold sockets open: a request has 10 s for its headers, 30 s in all.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

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
  });
  // Nobody has business on the main namespace.
  io.use((_socket, next) => next(new Error('not-found')));

  const state = new MemoryState();
  const survivors: SurvivorNamespace = io.of(namespaces.survivor);
  const peers: PeerNamespace = io.of(namespaces.peer);
  const ctx = createContext(config, state, survivors, peers, log);
  const sessions = createSessions(ctx);
  attachSurvivors(ctx, sessions);
  attachPeers(ctx, sessions);

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
    counts: () => state.counts,
    close() {
      closing ??= (async () => {
        log.info('relay-closing', { chats: state.counts.chats });
        sessions.close();
        for (const chat of state.allChats()) ctx.endChat(chat, 'relay-closing');
        const closed = io.close(); // disconnects every socket, then stops the HTTP server
        // Browsers keep idle and speculative connections open; waiting for them to time out
        // would hold a shutdown for minutes. Websockets are not among these: io.close ends them.
        server.closeAllConnections();
        await closed;
        log.info('relay-closed');
      })();
      return closing;
    },
  };
}
