// SPDX-License-Identifier: Apache-2.0
/**
 * The relay as operators run it: the `kindred-relay` process, on a fixed port so it can be
 * killed and started again where clients expect it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';
import { secret } from './harness.js';

const main = fileURLToPath(new URL('../packages/server/dist/main.js', import.meta.url));
const hospitalConfig = fileURLToPath(new URL('../examples/kindred.config.json', import.meta.url));

export interface RelayProcess {
  readonly url: string;
  readonly port: number;
  /** Sends `signal` and resolves with the exit code once the process is gone. */
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<number | null>;
}

/** A free loopback port, for a relay that must come back on the same one. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Starts `kindred-relay` with the example hospital, letting `origins` embed it. */
export async function relayProcess(origins: string[], port: number): Promise<RelayProcess> {
  const child: ChildProcess = spawn(process.execPath, [main], {
    env: {
      PATH: process.env.PATH ?? '',
      KINDRED_SECRET: secret,
      KINDRED_ORIGINS: origins.join(','),
      KINDRED_CONFIG: hospitalConfig,
      PORT: String(port),
      KINDRED_CONNECTIONS_PER_MINUTE: '0', // every browser here shares one address
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const started = (async () => {
    while (!/listening on/.test(output)) await once(child.stdout!, 'data');
  })();
  await Promise.race([started, exited.then(() => Promise.reject(new Error(`the relay did not start:\n${output}`)))]);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop(signal) {
      child.kill(signal);
      return exited;
    },
  };
}
