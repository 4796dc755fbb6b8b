// SPDX-License-Identifier: Apache-2.0
/**
 * Helpers for the scale-out tests (redis-*.test.ts): a real `redis-server` of the tests' own on
 * a free loopback port, relays sharing it (in this process, or as real `kindred-relay`
 * processes), a small round-robin TCP balancer in front of them, and ways to read everything
 * Redis holds or is sent.
 *
 * redis-server missing is a failure with its fix, never a skip: CI installs it (.ci/run).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect as netConnect, createServer, type AddressInfo, type Socket as NetSocket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';
import { createClient, type RedisClientType } from '@redis/client';
import { defaultHospital } from '../src/config.js';
import type { Relay, RelayConfig } from '../src/relay.js';
import { hospital, secret, startRelay } from './helpers.js';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const hospitalConfig = fileURLToPath(new URL('../../../examples/kindred.config.json', import.meta.url));

/** The one-line fix printed when the machine has no redis-server. */
export const missingRedis = 'redis-server is missing: install it (`apt-get install -y redis-server`); the scale-out tests start their own.';

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it is true, or fails with `what` after `ms`. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await delay(50);
  }
}

/** A free loopback port (for servers that must come back on the same one). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** A connected client for looking inside (closed with the file's tests). */
  inspect(): Promise<RedisClientType>;
  /** Stops the server: SIGKILL loses everything, as a crash of a Redis without persistence would. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty). */
  restart(): Promise<void>;
  /** Freezes it (SIGSTOP): connections stay open and nothing answers. */
  freeze(): void;
  thaw(): void;
}

/** Whether a Redis answers PING on `port`. */
async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect(port, '127.0.0.1');
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (chunk) => done(chunk.toString().startsWith('+PONG')));
  });
}

function redisBinary(): string {
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (found.error || found.status !== 0) throw new Error(missingRedis);
  return 'redis-server';
}

/** Starts a redis-server for this test file: loopback only, no persistence, its own empty directory. */
export async function startRedis(): Promise<RedisServer> {
  const binary = redisBinary();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'kindred-redis-'));
  let child: ChildProcess | undefined;
  const clients: RedisClientType[] = [];

  const launch = async () => {
    // No pipes to the child: a pipe, like the child itself, would keep this file's process
    // alive after its tests. Redis logs to a file, read only to say why it did not start.
    const log = join(dir, 'redis.log');
    const started = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', log], {
      stdio: 'ignore',
    });
    started.unref();
    child = started;
    let exited = false;
    started.once('exit', () => (exited = true));
    for (let tries = 0; !(await answersPing(port)); tries += 1) {
      if (exited || tries > 200) throw new Error(`redis-server did not start:\n${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
      await delay(25);
    }
  };

  const stop = async (signal: NodeJS.Signals) => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const gone = once(running, 'exit');
    running.ref(); // wait for it, even when nothing else keeps this process alive
    running.kill(signal);
    await gone;
  };

  after(async () => {
    for (const client of clients) await client.disconnect().catch(() => undefined);
  });
  // Last of all, once the relays of the file have closed (their `after` hooks come later):
  // when nothing else is left to run, stop it and wait for it (no zombie left behind).
  process.once('beforeExit', () => {
    child?.kill('SIGCONT');
    void stop('SIGKILL').then(() => rmSync(dir, { recursive: true, force: true }));
  });
  process.once('exit', () => child?.kill('SIGKILL'));

  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async inspect() {
      const client: RedisClientType = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: 100 } });
      client.on('error', () => undefined);
      await client.connect();
      clients.push(client);
      return client;
    },
    kill: () => stop('SIGKILL'),
    restart: launch,
    freeze: () => child?.kill('SIGSTOP'),
    thaw: () => child?.kill('SIGCONT'),
  };
}

/** The example hospital's resources, so that peers have cards to share. */
const withResources = { ...defaultHospital, resources: [{ id: 'samaritans', name: 'Samaritans', phone: '116 123' }] };

let deployments = 0;

/**
 * One deployment on `redis`: relays in this process sharing one key prefix. Each call gives a
 * new prefix, so that tests in one file do not see each other's queues.
 */
export function deployment(redis: RedisServer): { prefix: string; relay(overrides?: Partial<RelayConfig>): Promise<Relay> } {
  deployments += 1;
  const prefix = `d${deployments}-${process.pid}`;
  return {
    prefix,
    relay: (overrides = {}) => startRelay({ redisUrl: redis.url, redisPrefix: prefix, hospital: withResources, ...overrides }),
  };
}

/**
 * Everything Redis holds, as text: every key's name, type and whole value (strings, hashes,
 * sets, sorted sets with scores, lists), found with SCAN so that nothing is missed.
 */
export async function dumpRedis(client: RedisClientType): Promise<{ keys: string[]; text: string }> {
  const keys: string[] = [];
  for await (const key of client.scanIterator({ COUNT: 1_000 })) keys.push(key);
  keys.sort();
  const parts: string[] = [];
  for (const key of keys) {
    const type = await client.type(key);
    let value: unknown;
    switch (type) {
      case 'string':
        value = await client.get(key);
        break;
      case 'hash':
        value = await client.hGetAll(key);
        break;
      case 'set':
        value = await client.sMembers(key);
        break;
      case 'zset':
        value = await client.zRangeWithScores(key, 0, -1);
        break;
      case 'list':
        value = await client.lRange(key, 0, -1);
        break;
      default:
        value = `(a ${type}: the relay never writes one)`;
    }
    parts.push(`${key} ${type} ${JSON.stringify(value)}`);
  }
  return { keys, text: parts.join('\n') };
}

/**
 * Every command Redis receives from now on (MONITOR, over a raw connection), one line each,
 * commands run by scripts included.
 */
export async function monitorRedis(port: number): Promise<{ lines(): string[]; stop(): void }> {
  const socket = netConnect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.setEncoding('utf8');
  let buffer = '';
  const lines: string[] = [];
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split('\r\n');
    buffer = parts.pop() ?? '';
    lines.push(...parts);
  });
  socket.write('MONITOR\r\n');
  await new Promise<void>((resolve) => {
    const check = () => (lines.includes('+OK') ? resolve() : setTimeout(check, 10));
    check();
  });
  after(() => socket.destroy());
  return { lines: () => [...lines], stop: () => socket.destroy() };
}

export interface RelayProcess {
  readonly url: string;
  readonly port: number;
  /** Everything it printed. */
  output(): string;
  /** Sends `signal` and resolves with the exit code once the process is gone. */
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<number | null>;
}

/** The real `kindred-relay` (packages/server/dist/main.js) sharing `redis`. */
export async function relayProcess(redis: RedisServer, env: Record<string, string> = {}): Promise<RelayProcess> {
  const child = spawn(process.execPath, [main], {
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      KINDRED_SECRET: secret,
      KINDRED_ORIGINS: hospital,
      KINDRED_CONFIG: hospitalConfig,
      REDIS_URL: redis.url,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const started = (async () => {
    while (!/listening on/.test(output)) await once(child.stdout, 'data');
  })();
  await Promise.race([started, exited.then(() => Promise.reject(new Error(`the relay did not start:\n${output}`)))]);
  const port = Number(/listening on http:\/\/localhost:(\d+)/.exec(output)?.[1]);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    output: () => output,
    stop(signal) {
      child.kill(signal);
      return exited;
    },
  };
}

export interface Balancer {
  /** `http://127.0.0.1:PORT`: where clients connect, as they would to the load balancer. */
  readonly url: string;
  /** The relay port each accepted connection went to, in order. */
  readonly routed: number[];
}

/**
 * A small TCP load balancer, as nginx or HAProxy would be (no sticky sessions): each new
 * connection goes to the next relay in turn, skipping any that refuses it (a dead relay).
 */
export async function startBalancer(ports: readonly number[]): Promise<Balancer> {
  const open = new Set<NetSocket>();
  const routed: number[] = [];
  let next = 0;

  const route = (client: NetSocket, tries: number) => {
    if (tries >= ports.length) {
      client.destroy();
      return;
    }
    const port = ports[next % ports.length]!;
    next += 1;
    const upstream = netConnect(port, '127.0.0.1');
    let connected = false;
    upstream.once('error', () => {
      if (!connected) route(client, tries + 1); // refused: that relay is gone, try the next
    });
    upstream.once('connect', () => {
      connected = true;
      routed.push(port);
      open.add(upstream);
      client.pipe(upstream);
      upstream.pipe(client);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      upstream.on('close', () => {
        open.delete(upstream);
        client.destroy();
      });
      client.on('close', () => upstream.destroy());
      client.resume();
    });
  };

  const server = createServer({ pauseOnConnect: true }, (client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => undefined);
    route(client, 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(async () => {
    for (const socket of open) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, routed };
}
