// SPDX-License-Identifier: Apache-2.0
/**
 * The relay under test, in its own process (forked by run.mjs with --expose-gc):
 *   kindred        the real relay, createRelay() from packages/server/dist; with a Redis URL
 *                  and key prefix as its third and fourth arguments, one of the relays of a
 *                  deployment sharing that Redis (the two-relay run starts two of these)
 *   bare           a bare Socket.IO relay: two sockets join a room, `message:send` is
 *                  re-emitted to the room and acknowledged; nothing else
 *   bare-receipts  the same, plus Kindred's delivery receipt: the room emit waits for the
 *                  recipient's ack and then tells the sender `message:delivered`
 * Both bare relays use the server options Kindred uses. The process answers `stats` with its
 * own CPU time, memory, event-loop figures and the sockets it holds, and `close`.
 */
import { mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { Server } from 'socket.io';
import { limits } from '../../packages/protocol/dist/index.js';
import { serveCommands } from './ipc.mjs';
import { origin, secret } from './shared.mjs';

const [mode, maxSockets, redisUrl, redisPrefix] = process.argv.slice(2);
let relay;
/**
 * What the relay logged, kept here to be read by run.mjs: the count of each event, and the
 * lines themselves (the first few hundred), which run.mjs searches for message content.
 */
const logged = { events: {}, lines: [] };

if (mode === 'kindred') {
  const { createLogger, createRelay } = await import('../../packages/server/dist/relay.js');
  // The relay serves the widget's files from memory; nobody fetches them here, so stand-ins
  // keep the benchmark independent of the widget build (and out of its memory figures).
  const widgetDir = mkdtempSync(join(tmpdir(), 'kindred-bench-'));
  for (const name of ['kindred-chat.js', 'kindred-frame.js', 'kindred-console.js', 'frame.html', 'console.html', 'kindred-page.css']) {
    writeFileSync(join(widgetDir, name), '\n');
  }
  process.on('exit', () => rmSync(widgetDir, { recursive: true, force: true }));
  // Every line the relay logs, counted by event (and the first few kept): the logger is
  // allow-listed by construction; run.mjs still looks in what it wrote for message content.
  const log = createLogger((line) => {
    const { event } = JSON.parse(line);
    logged.events[event] = (logged.events[event] ?? 0) + 1;
    if (logged.lines.length < 500) logged.lines.push(line);
  });
  const config = {
    widgetDir,
    port: 0,
    host: '127.0.0.1',
    secret,
    origins: [origin],
    // Sessions outlive a dropped connection by the grace period; the shortest one allowed
    // lets the leak check see every session gone within seconds of the last disconnect.
    resumeGraceMs: 1_000,
    // The default cap (5,000) is below what the benchmark holds. The per-address limit and
    // the per-connection request limits stay at their defaults: the load generators spread
    // their connections over many loopback addresses and send at a human pace.
    maxConnections: Number(maxSockets) + 100,
    // Quick runs only: the two-relay leak check waits one delivery timeout after the last
    // message (run.mjs says why); 3 s instead of 10 is still far above any one-hop time at the
    // quick rate, and keeps BENCH_QUICK=1 within its minute.
    ...(process.env.BENCH_QUICK === '1' ? { deliveryTimeoutMs: 3_000 } : {}),
    // The two-relay run: state and delivery shared through Redis, as REDIS_URL does.
    ...(redisUrl ? { redisUrl, redisPrefix } : {}),
  };
  relay = await createRelay(config, { log });
} else if (mode === 'bare' || mode === 'bare-receipts') {
  const server = createServer();
  const io = new Server(server, {
    path: '/socket.io',
    serveClient: false,
    transports: ['websocket'],
    perMessageDeflate: false,
    httpCompression: false,
    maxHttpBufferSize: limits.packetBytes,
  });
  const receipts = mode === 'bare-receipts';
  io.on('connection', (socket) => {
    socket.on('join', (room, ack) => {
      socket.join(room);
      ack({ ok: true });
    });
    socket.on('message:send', (message, ack) => {
      const sentAt = Date.now();
      if (receipts) {
        socket
          .to(message.room)
          .timeout(10_000)
          .emit('message:received', { ...message, sentAt }, (error) => {
            if (!error) socket.emit('message:delivered', { id: message.id });
          });
      } else {
        socket.to(message.room).emit('message:received', { ...message, sentAt });
      }
      ack({ ok: true, data: { sentAt } });
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  relay = {
    url: `http://127.0.0.1:${server.address().port}`,
    counts: () => ({ sockets: io.engine.clientsCount }),
    close: () => new Promise((resolve) => io.close(() => resolve())),
  };
} else {
  throw new Error(`unknown relay mode ${mode}`);
}

/** Open sockets of this process (connections, the listener, the IPC channel). */
function socketFds() {
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:')) count += 1;
    } catch {
      // closed while we looked
    }
  }
  return count;
}

// ws loads bufferutil (masking) itself when it can; Node ≥ 18.14 has buffer.isUtf8, which
// ws prefers to utf-8-validate. Report what was actually loaded rather than assume it.
const loaded = Object.keys(createRequire(import.meta.url).cache);
const natives = {
  bufferutil: loaded.some((path) => path.includes('/bufferutil/')),
  utf8Validate: loaded.some((path) => path.includes('/utf-8-validate/')),
};

const lag = monitorEventLoopDelay({ resolution: 5 });
lag.enable();
let elu = performance.eventLoopUtilization();
let profiler;

async function collectGarbage() {
  for (let i = 0; i < 4; i += 1) {
    global.gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

serveCommands({
  // How long the relay waits for a recipient's acknowledgement (Kindred's config; bare: none).
  url: () => ({ url: relay.url, natives, deliveryTimeoutMs: relay.config?.deliveryTimeoutMs ?? 0 }),
  async stats({ gc = false, fds = false }) {
    // Since the previous stats call: share of time the event loop was busy, its delays.
    const loop = performance.eventLoopUtilization(elu);
    const result = {
      loopUtilization: loop.utilization,
      loopDelayP99Ms: lag.percentile(99) / 1e6,
      loopDelayMaxMs: lag.max / 1e6,
    };
    if (gc) await collectGarbage(); // after the loop figures: forced collections hold the loop
    Object.assign(result, {
      cpu: process.cpuUsage(),
      mem: process.memoryUsage(),
      // Compiled code is on the heap too, and grows as more of the relay's code runs hot.
      codeBytes: getHeapSpaceStatistics().find((space) => space.space_name === 'code_space').space_used_size,
      atNs: String(process.hrtime.bigint()),
      counts: relay.counts(),
      logged: logged.events,
      ...(fds ? { socketFds: socketFds() } : {}),
    });
    elu = performance.eventLoopUtilization();
    lag.reset();
    return result;
  },
  /** The relay's log lines so far (run.mjs looks for message content in them). */
  log: () => ({ lines: logged.lines }),
  /** A V8 CPU profile of the steady-state window only (BENCH_PROFILE). */
  async profile({ file }) {
    if (!file) {
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
      return {};
    }
    const { profile } = await profiler.post('Profiler.stop');
    profiler.disconnect();
    writeFileSync(file, JSON.stringify(profile));
    return { file };
  },
  async close() {
    await relay.close();
    setImmediate(() => process.exit(0));
    return {};
  },
});
process.send({ ready: true });
