// SPDX-License-Identifier: Apache-2.0
/**
 * The benchmark's own `redis-server` for the two-relay run (`BENCH_RELAYS=…,redis`): on a free
 * loopback port, in an empty temporary directory, with no persistence (`--save ''`,
 * `--appendonly no`), as packages/server/test/redis.ts starts one for the scale-out tests.
 * Stopped and its directory removed at the end of the run, or when the run dies.
 *
 * Besides starting and stopping it, this reads what the benchmark reports about Redis: its own
 * CPU time (`INFO cpu`), the commands it ran (`INFO commandstats`), its memory, and, for the
 * privacy check, every key and value it holds and its log file.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@redis/client';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** `INFO` text as `{ field: value }` (numbers where they are numbers). */
function parseInfo(text) {
  const fields = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (line.startsWith('#') || colon < 0) continue;
    const value = line.slice(colon + 1);
    fields[line.slice(0, colon)] = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  return fields;
}

/** `cmdstat_evalsha:calls=3,usec=…` → `{ evalsha: 3, … }`: calls per command. */
function commandCalls(info) {
  const calls = {};
  for (const [field, value] of Object.entries(info)) {
    if (!field.startsWith('cmdstat_')) continue;
    const match = /(?:^|,)calls=(\d+)/.exec(String(value));
    if (match) calls[field.slice('cmdstat_'.length)] = Number(match[1]);
  }
  return calls;
}

/**
 * Starts a redis-server. Fails with the fix when there is none (the two-relay run cannot be
 * measured without it; `BENCH_RELAYS` can leave it out).
 */
export async function startRedis() {
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (found.error || found.status !== 0) {
    throw new Error('redis-server is missing: install it (`apt-get install -y redis-server`), or leave `redis` out of BENCH_RELAYS.');
  }
  const version = /v=(\d+\.\d+\.\d+)/.exec(found.stdout)?.[1] ?? 'unknown';
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'kindred-bench-redis-'));
  const log = join(dir, 'redis.log');
  // Loopback only, no persistence: nothing the run sends Redis is ever written to a disk.
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', log], {
    stdio: 'ignore',
  });
  const kill = () => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL');
  process.once('exit', () => {
    kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const client = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false } });
  client.on('error', () => undefined);
  for (let tries = 0; ; tries += 1) {
    try {
      await client.connect();
      break;
    } catch {
      if (child.exitCode !== null || tries > 200) throw new Error(`redis-server did not start:\n${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
      await sleep(25);
    }
  }
  const info = async (section) => parseInfo(await client.sendCommand(['INFO', section]));

  return {
    url: `redis://127.0.0.1:${port}`,
    version,
    pid: child.pid,
    /** Its CPU time so far (µs, user + system, its own threads), commands run, and memory. */
    async stats() {
      const [cpu, commands, memory, keyspace] = await Promise.all([info('cpu'), info('commandstats'), info('memory'), client.sendCommand(['DBSIZE'])]);
      return {
        cpuUs: Math.round((cpu.used_cpu_user + cpu.used_cpu_sys) * 1e6),
        atNs: String(process.hrtime.bigint()),
        calls: commandCalls(commands),
        usedMemory: memory.used_memory,
        keys: Number(keyspace),
      };
    },
    /**
     * Whether any key, value or log line holds one of `markers`: every key (SCAN) with its whole
     * value, whatever its type, then the server's log. Returns the number of keys read and the
     * number of places a marker was found (none is the only right answer).
     */
    async find(markers) {
      let keys = 0;
      let found = 0;
      const holds = (text) => markers.some((marker) => text.includes(marker));
      for await (const key of client.scanIterator({ COUNT: 1_000 })) {
        keys += 1;
        const type = await client.type(key);
        const value =
          type === 'string' ? await client.get(key)
          : type === 'hash' ? await client.hGetAll(key)
          : type === 'set' ? await client.sMembers(key)
          : type === 'zset' ? await client.zRange(key, 0, -1)
          : type === 'list' ? await client.lRange(key, 0, -1)
          : `(${type})`;
        if (holds(key) || holds(JSON.stringify(value))) found += 1;
      }
      if (existsSync(log) && holds(readFileSync(log, 'utf8'))) found += 1;
      return { keys, found };
    },
    async stop() {
      await client.disconnect().catch(() => undefined);
      if (child.exitCode === null && child.signalCode === null) {
        const gone = once(child, 'exit');
        child.kill('SIGTERM');
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
