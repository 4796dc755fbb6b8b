// SPDX-License-Identifier: Apache-2.0
/**
 * `npm run bench`: the relay under load, measured against bare Socket.IO on the same machine.
 *
 * For each relay (Kindred, then a bare Socket.IO relay, then the bare relay with delivery
 * receipts, then two Kindred relays sharing a redis-server) in processes of their own: load
 * generators in other processes connect survivor–peer pairs through the real protocol (after a
 * shorter rehearsal round), exchange messages at a human pace at one or more total rates, each
 * with a warm-up and a steady-state window, and disconnect. The relay processes report their own
 * CPU time and memory, Redis its own CPU time and commands; the generators report delivered
 * messages and one-hop latencies. Prints a summary per relay, the Kindred/bare and two-relay/one
 * ratios at the target rate, and, as its last line, one JSON object. See BENCHMARKS.md.
 *
 *   BENCH_QUICK=1           1,000 sockets, a short window: done within a minute
 *   BENCH_SOCKETS=n         sockets in all (peers + survivors); default 10,000
 *   BENCH_CHATS_PER_PEER=n  chats each peer holds (1..8); default 4
 *   BENCH_RATE=n            the target: messages per second in all; default 0.625 per chat
 *                           (one every 1.6 s), i.e. 5,000 for 10,000 sockets
 *   BENCH_RATES=a,b,c       the steps, ending at the target; default ¼, ½ and all of it
 *                           (quick: the target only)
 *   BENCH_SECONDS=n         steady-state window per step; BENCH_WARMUP=n seconds before it
 *   BENCH_GENERATORS=n      load generator processes; default 2
 *   BENCH_RELAYS=a,b        which relays, of kindred, bare, bare-receipts, redis (two Kindred
 *                           relays sharing a redis-server the run starts; each chat's peer on one,
 *                           its survivor on the other); default all four (quick: all but
 *                           bare-receipts)
 *   BENCH_PROFILE=dir       write a V8 CPU profile of each relay over the window into dir
 *   BENCH_PIN=1             each relay process on CPU 0, the generators on CPU 1 (taskset), so
 *                           that the relay has a core of its own and latency shows its capacity
 *   BENCH_RELAY_FLAGS=...   Node flags for the relay processes (e.g. --trace-gc,
 *                           --max-semi-space-size=64); BENCH_LOAD_FLAGS=... for the generators
 */
import { execSync, fork } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';
import { Histogram } from './histogram.mjs';
import { commandClient } from './ipc.mjs';
import { startRedis } from './redis.mjs';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const env = process.env;
const quick = env.BENCH_QUICK === '1';
const number = (name, fallback) => (env[name] === undefined ? fallback : Number(env[name]));

const chatsPerPeer = number('BENCH_CHATS_PER_PEER', 4);
const wantedSockets = number('BENCH_SOCKETS', quick ? 1_000 : 10_000);
const generators = number('BENCH_GENERATORS', 2);
const peers = Math.round(wantedSockets / (1 + chatsPerPeer));
const chats = peers * chatsPerPeer;
// One message per chat every 1.6 s, either side: each person writes every 3.2 s on average.
const rate = number('BENCH_RATE', Math.round(chats / 1.6));
const rates = env.BENCH_RATES ? env.BENCH_RATES.split(',').map(Number) : quick ? [rate] : [rate / 4, rate / 2, rate];
// Quick: three configurations in about a minute, so each gets a short warm-up and window.
const windowSeconds = number('BENCH_SECONDS', quick ? 5 : 20);
const warmupSeconds = number('BENCH_WARMUP', quick ? 1 : 5);
/** The rehearsal round's traffic (see `measure`): long enough to warm the code paths. */
const rehearsalSeconds = quick ? 1 : 2;
const relays = (env.BENCH_RELAYS ?? (quick ? 'kindred,bare,redis' : 'kindred,bare,bare-receipts,redis')).split(',');
const profileDir = env.BENCH_PROFILE;
const pinned = env.BENCH_PIN === '1';
const flags = (value) => value?.split(' ').filter(Boolean) ?? [];
const relayFlags = ['--expose-gc', ...flags(env.BENCH_RELAY_FLAGS)];
const loadFlags = flags(env.BENCH_LOAD_FLAGS);
const cores = cpus().length;
if (profileDir) mkdirSync(profileDir, { recursive: true });

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (n, digits = 0) => (n === null || n === undefined ? '–' : n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

// ---------------------------------------------------------------- preflight

if (!existsSync(here('../../packages/server/dist/relay.js'))) {
  console.error('packages/server/dist is missing: run `npm run build` (or `npx tsc -b packages/server`) first.');
  process.exit(1);
}
if (pinned && (cores < 2 || !existsSync('/usr/bin/taskset'))) {
  console.error('BENCH_PIN=1 needs two CPUs and taskset (apt-get install -y util-linux).');
  process.exit(1);
}
const openFiles = Number(execSync('ulimit -n', { shell: '/bin/sh' }).toString());
const needed = peers + chats + 256;
if (openFiles < needed) {
  console.error(`ulimit -n is ${openFiles}; the relay needs ${needed} open files: raise it (ulimit -n ${needed}) or lower BENCH_SOCKETS.`);
  process.exit(1);
}

// ---------------------------------------------------------------- one relay under load

/** Forks a child and resolves once it says it is ready. */
function start(file, args, execArgv, label) {
  const child = fork(here(file), args, { execArgv, stdio: 'inherit' });
  // All its threads (GC helpers included) on one CPU: the relays on the first, the rest on the second.
  if (pinned) execSync(`taskset -a -p -c ${file === 'relay.mjs' ? 0 : 1} ${child.pid}`, { stdio: 'ignore' });
  const call = commandClient(child, label);
  const ready = new Promise((resolve, reject) => {
    child.on('message', (message) => message.ready && resolve());
    child.on('exit', (code) => reject(new Error(`${label} exited with ${code} before it was ready`)));
  });
  return ready.then(() => ({ child, call }));
}

const cpuUs = (a, b) => b.cpu.user + b.cpu.system - (a.cpu.user + a.cpu.system);
const wallUs = (a, b) => Number(BigInt(b.atNs) - BigInt(a.atNs)) / 1e3;
const settled = (stats) => Object.values(stats.counts).every((n) => n === 0);

/**
 * The relay processes of one configuration (one, or two sharing Redis) seen as one relay:
 * `stats` asks each and adds up CPU time, memory and sockets; the event-loop figures are the
 * busiest relay's; the state's sizes are the largest any relay reports (relays sharing Redis
 * each report the whole shared state, so "settled" means every one of them sees it empty).
 */
function group(relays) {
  const stats = async (args) => {
    const each = await Promise.all(relays.map((relay) => relay.call('stats', args)));
    const sum = (read) => each.reduce((total, s) => total + read(s), 0);
    const max = (read) => Math.max(...each.map(read));
    const counts = {};
    for (const key of Object.keys(each[0].counts)) counts[key] = max((s) => s.counts[key]);
    const logged = {};
    for (const s of each) for (const [event, n] of Object.entries(s.logged ?? {})) logged[event] = (logged[event] ?? 0) + n;
    return {
      each,
      loopUtilization: max((s) => s.loopUtilization),
      loopDelayP99Ms: max((s) => s.loopDelayP99Ms),
      loopDelayMaxMs: max((s) => s.loopDelayMaxMs),
      mem: { heapUsed: sum((s) => s.mem.heapUsed), rss: sum((s) => s.mem.rss) },
      codeBytes: sum((s) => s.codeBytes),
      counts,
      logged,
      ...(args?.fds ? { socketFds: sum((s) => s.socketFds) } : {}),
    };
  };
  return {
    stats,
    call: (cmd, args) => Promise.all(relays.map((relay) => relay.call(cmd, args))),
  };
}

/** Polls the relays until they hold no state and no more sockets than `fds` (up to 20 s). */
async function settle(relay, fds) {
  let stats = await relay.stats({ fds: true });
  for (let i = 0; i < 40 && !(settled(stats) && stats.socketFds <= fds); i += 1) {
    await sleep(500);
    stats = await relay.stats({ fds: true });
  }
  return stats;
}

/**
 * One configuration under load: `kindred` (one relay), `bare`, `bare-receipts`, or `redis`
 * (two Kindred relays sharing a redis-server of the run's own, every chat split across them).
 */
async function measure(mode, phase) {
  const began = Date.now();
  const cluster = mode === 'redis';
  const redis = cluster ? await startRedis() : undefined;
  const relayArgs = cluster ? ['kindred', String(peers + chats), redis.url, `bench${phase}`] : [mode, String(peers + chats)];
  const processes = await Promise.all(
    Array.from({ length: cluster ? 2 : 1 }, (_, i) => start('relay.mjs', relayArgs, relayFlags, cluster ? `relay ${mode} ${'AB'[i]}` : `relay ${mode}`)),
  );
  const relay = group(processes);
  const answers = await relay.call('url');
  const urls = answers.map((answer) => answer.url);
  const { natives, deliveryTimeoutMs } = answers[0];
  const { socketFds: listening } = await relay.stats({ fds: true });
  const loads = await Promise.all(Array.from({ length: generators }, (_, g) => start('load.mjs', [], loadFlags, `load ${g}`)));
  const each = (cmd, args) => Promise.all(loads.map(({ call }) => call(cmd, args)));
  const kindredProtocol = mode === 'kindred' || cluster;
  const setup = async (round, peersInAll) => {
    const connected = await Promise.all(
      loads.map(({ call }, g) =>
        call('connect', {
          mode,
          urls,
          generator: g,
          peers: Math.floor(peersInAll / generators) + (g < peersInAll % generators ? 1 : 0),
          chatsPerPeer,
          // Each generator has its own loopback source addresses (127.<round>.<g>.1-200): like
          // people on many networks, each address opens a few connections (the relay allows
          // 60 a minute), and no round meets ports an earlier one left in TIME_WAIT.
          addresses: Array.from({ length: 200 }, (_, i) => `127.${round}.${g}.${i + 1}`),
        }),
      ),
    );
    // Kindred's peers pair one at a time (each sees exactly the survivors who just asked);
    // the bare relay's rooms are joined all at once.
    const paired = [];
    if (kindredProtocol) for (const { call } of loads) paired.push(await call('pair'));
    else paired.push(...(await each('pair')));
    return loads.map((_, g) => ({ ...connected[g], ...paired[g] }));
  };

  // A rehearsal first: the same round, shorter. V8's optimised code lives on the heap too, and
  // a heap snapshot of what a cold relay keeps after a round is almost all code; measured from
  // after a rehearsal, "idle" and "after disconnect" compare like with like, and a leak (state
  // kept per connection or per message) is what would still show.
  const rehearsal = await setup(2 * phase + 1, peers);
  const rehearsalSides = rehearsal.reduce((sum, s) => sum + s.sides, 0);
  await Promise.all(loads.map(({ call }, g) => call('start', { rate: (rate * rehearsal[g].sides) / rehearsalSides })));
  await sleep(rehearsalSeconds * 1000);
  await each('stop');
  await each('disconnect');
  await settle(relay, listening);
  const idle = await relay.stats({ gc: true, fds: true });
  const redisIdle = await redis?.stats();

  const setupStarted = Date.now();
  const setups = await setup(2 * phase + 2, peers);
  const setupSeconds = (Date.now() - setupStarted) / 1000;
  const sockets = setups.reduce((sum, s) => sum + s.sockets, 0);
  const sides = setups.reduce((sum, s) => sum + s.sides, 0);
  const loaded = await relay.stats({ gc: true, fds: true });
  const redisLoaded = await redis?.stats();

  const steps = [];
  let traffic;
  let stoppedAt;
  for (const [i, stepRate] of rates.entries()) {
    await Promise.all(loads.map(({ call }, g) => call('start', { rate: (stepRate * setups[g].sides) / sides })));
    await sleep(warmupSeconds * 1000);
    const last = i === rates.length - 1;
    if (profileDir && last) await Promise.all(processes.map((p) => p.call('profile')));
    const [before, redisBefore] = await Promise.all([relay.stats(), redis?.stats(), each('reset')]);
    await sleep(windowSeconds * 1000);
    const [after, redisAfter] = await Promise.all([relay.stats(), redis?.stats(), each('mark')]);
    if (profileDir && last) {
      await Promise.all(processes.map((p, r) => p.call('profile', { file: join(profileDir, `${mode}${cluster ? `-${'ab'[r]}` : ''}.cpuprofile`) })));
    }
    const reports = await each('report');
    // The heap while messages flow (collected, so what is still referenced): in-flight
    // messages and whatever the relay keeps per recent message.
    if (last) traffic = await relay.stats({ gc: true });
    await each('stop');
    stoppedAt = Date.now();
    if (!last) await sleep(2_000); // the last messages and receipts arrive before the next step
    steps.push(step(stepRate, before, after, reports, redisBefore, redisAfter));
  }

  // Privacy: the relays' log lines, and, sharing Redis, every key and value in it and its log,
  // searched for pieces of the messages just sent. Only in flight may content cross Redis.
  const markers = (await each('markers')).flatMap((m) => m.markers);
  const logLines = (await relay.call('log')).flatMap((l) => l.lines);
  const privacy = { markers: markers.length, logLines: logLines.length, logFound: logLines.filter((line) => markers.some((m) => line.includes(m))).length };
  if (redis) Object.assign(privacy, { redisLoaded: await redis.find(markers) });

  await each('disconnect');
  const leftAt = Date.now();
  for (const { child } of loads) child.disconnect(); // the generators exit
  const left = await settle(relay, idle.socketFds);
  const settleSeconds = (Date.now() - leftAt) / 1000;
  const emptyAtOnce = await relay.stats({ gc: true, fds: true });
  let empty = emptyAtOnce;
  if (cluster) {
    // Socket.IO's cluster adapter keeps each acknowledged emit's bookkeeping, which holds on
    // to the packet, until that emit's timeout (the relay's deliveryTimeoutMs) has passed,
    // answered or not: the leak check waits that long after the last message.
    await sleep(Math.max(0, stoppedAt + deliveryTimeoutMs + 500 - Date.now()));
    empty = await relay.stats({ gc: true, fds: true });
  }
  if (redis) Object.assign(privacy, { redisAfter: await redis.find(markers) });
  const redisEmpty = await redis?.stats();
  await relay.call('close');
  await Promise.all(processes.map(({ child }) => new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve()))));
  await redis?.stop();

  const kb = (bytes) => bytes / 1024;
  return {
    relay: cluster ? 'redis' : mode,
    label: cluster ? 'kindred ×2 via Redis' : mode,
    relays: processes.length,
    sockets,
    relaySocketsHeld: loaded.socketFds - idle.socketFds,
    chats: sides / 2,
    setupSeconds,
    ...steps.at(-1),
    steps,
    maxRateP99Under50Ms: Math.max(0, ...steps.filter((t) => t.p99Ms !== null && t.p99Ms < 50).map((t) => t.targetMsgsPerSec)),
    heapKbPerSocket: kb(loaded.mem.heapUsed - idle.mem.heapUsed) / sockets,
    rssKbPerSocket: kb(loaded.mem.rss - idle.mem.rss) / sockets,
    heapIdleMb: idle.mem.heapUsed / 2 ** 20,
    heapLoadedMb: loaded.mem.heapUsed / 2 ** 20,
    heapAfterMb: empty.mem.heapUsed / 2 ** 20,
    heapLeftKb: kb(empty.mem.heapUsed - idle.mem.heapUsed),
    heapLeftAtOnceKb: kb(emptyAtOnce.mem.heapUsed - idle.mem.heapUsed),
    heapTrafficMb: (traffic.mem.heapUsed - loaded.mem.heapUsed) / 2 ** 20,
    deliveryTimeoutMs,
    codeLeftKb: kb(empty.codeBytes - idle.codeBytes),
    relayStateAfter: empty.counts,
    // Everyone left at once, as in a network failure: sessions wait out the grace period, then
    // the relay ends or requeues every chat. The longest the event loop was held meanwhile:
    leavingLoopDelayMaxMs: Math.max(left.loopDelayMaxMs, empty.loopDelayMaxMs),
    settleSeconds,
    seconds: (Date.now() - began) / 1000,
    logged: empty.logged,
    privacy,
    natives,
    ...(redis && {
      redisServer: {
        version: redis.version,
        memoryIdleMb: redisIdle.usedMemory / 2 ** 20,
        memoryLoadedMb: redisLoaded.usedMemory / 2 ** 20,
        memoryAfterMb: redisEmpty.usedMemory / 2 ** 20,
        memoryKbPerSocket: kb(redisLoaded.usedMemory - redisIdle.usedMemory) / sockets,
        keysIdle: redisIdle.keys,
        keysLoaded: redisLoaded.keys,
        keysAfter: redisEmpty.keys,
      },
    }),
  };
}

/**
 * Commands Redis ran between two `stats`, by name, largest first: those the relays send
 * (scripts, pub/sub, pings), and those run inside the scripts, which `INFO commandstats`
 * counts as well. The benchmark's own INFO and DBSIZE are left out.
 */
const sentByRelays = /^(evalsha|eval|spublish|publish|pubsub\|.*|ssubscribe|sunsubscribe|subscribe|unsubscribe|psubscribe|ping|client\|.*|hello)$/;
function commandDelta(before, after) {
  const delta = Object.entries(after.calls)
    .map(([name, n]) => [name, n - (before.calls[name] ?? 0)])
    .filter(([name, n]) => n > 0 && name !== 'info' && name !== 'dbsize')
    .sort((a, b) => b[1] - a[1]);
  return { sent: delta.filter(([name]) => sentByRelays.test(name)), inScripts: delta.filter(([name]) => !sentByRelays.test(name)) };
}

/** One rate's window: the generators' counts and latencies, the relays' (and Redis's) CPU and event loop. */
function step(targetMsgsPerSec, before, after, reports, redisBefore, redisAfter) {
  const latency = new Histogram();
  const sum = (key) => reports.reduce((total, r) => total + r[key], 0);
  for (const r of reports) latency.add(r.latency);
  const received = sum('received');
  // Rates over each side's own clock readings: a busy relay answers `stats` late, so its
  // window and the generators' may differ a little; CPU per message divides the two rates.
  const msgsPerSec = received / (sum('wallUs') / reports.length / 1e6);
  // Per delivered message; nothing when nothing was delivered (a relay that refused the traffic).
  const perMsg = (perSecond) => (received === 0 ? null : perSecond / msgsPerSec);
  // Each relay's CPU time over its own window, per second, added up.
  const relayCpuPerSec = before.each.reduce((total, b, r) => total + cpuUs(b, after.each[r]) / (wallUs(b, after.each[r]) / 1e6), 0);
  const generatorCpuPercent = reports.reduce((total, r) => total + (100 * r.cpuUs) / r.wallUs, 0);
  const result = {
    targetMsgsPerSec,
    msgsPerSec,
    p50Ms: latency.quantileMs(0.5),
    p95Ms: latency.quantileMs(0.95),
    p99Ms: latency.quantileMs(0.99),
    maxMs: latency.quantileMs(1),
    cpuUsPerMsg: perMsg(relayCpuPerSec),
    relayCpuPercent: relayCpuPerSec / 1e4,
    relayLoopBusyPercent: 100 * after.loopUtilization,
    relayLoopDelayP99Ms: after.loopDelayP99Ms,
    generatorCpuPercent,
    sent: sum('sent'),
    received,
    delivered: sum('delivered'),
    sendErrors: sum('sendErrors'),
    unexpectedDisconnects: sum('unexpectedDisconnects'),
    disconnectReasons: [...new Set(reports.flatMap((r) => Object.keys(r.disconnectReasons)))].join(', '),
    errorCodes: [...new Set(reports.flatMap((r) => Object.keys(r.errorCodes)))].join(', '),
    chatsEnded: sum('chatsEnded'),
    loadAverage: loadavg()[0],
  };
  let machineCpuPercent = result.relayCpuPercent + generatorCpuPercent;
  if (redisBefore) {
    // Redis's own CPU time (`INFO cpu`, all its threads) over the same window; and what it
    // ran, per message delivered (its heartbeats and sweeps, a few a second, are in there too).
    const redisCpuPerSec = (redisAfter.cpuUs - redisBefore.cpuUs) / (wallUs(redisBefore, redisAfter) / 1e6);
    const { sent, inScripts } = commandDelta(redisBefore, redisAfter);
    const perMessage = (n) => (received === 0 ? null : +(n / received).toFixed(2));
    const total = (commands) => commands.reduce((sum, [, n]) => sum + n, 0);
    Object.assign(result, {
      redisCpuPercent: redisCpuPerSec / 1e4,
      redisCpuUsPerMsg: perMsg(redisCpuPerSec),
      cpuUsPerMsgWithRedis: perMsg(relayCpuPerSec + redisCpuPerSec),
      redisCommandsPerMsg: perMessage(total(sent)),
      redisCommandsPerMsgByName: Object.fromEntries(sent.map(([name, n]) => [name, perMessage(n)])),
      redisScriptCallsPerMsg: perMessage(total(inScripts)),
      redisScriptCallsPerMsgByName: Object.fromEntries(inScripts.map(([name, n]) => [name, perMessage(n)])),
    });
    machineCpuPercent += result.redisCpuPercent;
  }
  result.machineCpuPercent = machineCpuPercent;
  return result;
}

/** Places message content was found where it may not be (log lines; Redis keys, values, log). */
const contentFound = (r) => r.privacy.logFound + (r.privacy.redisLoaded?.found ?? 0) + (r.privacy.redisAfter?.found ?? 0);

/**
 * Heap "back to baseline": what is left besides compiled code is within 1 MB of the idle
 * relay(s), or 1% of what the load added (V8 keeps some slack: pooled parsers, map capacity),
 * and no relay holds any state.
 */
function backToBaseline(r) {
  const leakAllowanceKb = Math.max(1024, 0.01 * (r.heapLoadedMb - r.heapIdleMb) * 1024);
  return r.heapLeftKb - r.codeLeftKb <= leakAllowanceKb && settled({ counts: r.relayStateAfter });
}

/**
 * Whether the machine was too full for the step's latency to mean much: the benchmark's own
 * processes used most of its cores, or more was waiting to run than it has cores.
 */
const crowded = (t) => t.machineCpuPercent > 75 * cores || t.loadAverage > cores;

function print(r) {
  const pad = ' '.repeat(15);
  const cols = [
    ['msg/s target', (t) => fmt(t.targetMsgsPerSec)],
    ['delivered', (t) => fmt(t.msgsPerSec)],
    ['p50 ms', (t) => fmt(t.p50Ms, 2)],
    ['p95 ms', (t) => fmt(t.p95Ms, 2)],
    ['p99 ms', (t) => fmt(t.p99Ms, 2)],
    ['max ms', (t) => fmt(t.maxMs, 1)],
    [r.relays > 1 ? 'relays µs/msg' : 'relay µs/msg', (t) => fmt(t.cpuUsPerMsg, 1)],
    [r.relays > 1 ? 'relays CPU' : 'relay CPU', (t) => `${fmt(t.relayCpuPercent)}%`],
    ['loop busy', (t) => `${fmt(t.relayLoopBusyPercent)}%`],
    ['loop delay p99', (t) => `${fmt(t.relayLoopDelayP99Ms, 1)} ms`],
    ...(r.redisServer
      ? [
          ['Redis µs/msg', (t) => fmt(t.redisCpuUsPerMsg, 1)],
          ['Redis CPU', (t) => `${fmt(t.redisCpuPercent)}%`],
          ['Redis cmds/msg', (t) => fmt(t.redisCommandsPerMsg, 2)],
        ]
      : []),
    ['generators CPU', (t) => `${fmt(t.generatorCpuPercent)}%`],
    ['all CPU', (t) => `${fmt(t.machineCpuPercent)}%`],
    ['load avg', (t) => fmt(t.loadAverage, 1)],
  ];
  const what = r.relays > 1 ? `${r.relays} Kindred relays sharing one redis-server ${r.redisServer.version}, every chat split across them · ` : '';
  console.log(`${r.relay.padEnd(15)}${what}${fmt(r.sockets)} sockets (relay${r.relays > 1 ? 's hold' : ' holds'} ${fmt(r.relaySocketsHeld)}), ${fmt(r.chats)} chats · set up in ${fmt(r.setupSeconds, 1)} s · measured in ${fmt(r.seconds)} s`);
  console.log(pad + cols.map(([name]) => name.padStart(name.length)).join('  '));
  for (const t of r.steps) {
    console.log(pad + cols.map(([name, value]) => value(t).padStart(name.length)).join('  '));
    const problems = ['sendErrors', 'unexpectedDisconnects', 'chatsEnded'].filter((key) => t[key] > 0).map((key) => `${key} ${t[key]}`);
    if (t.errorCodes) problems.push(`(send errors: ${t.errorCodes})`);
    if (t.disconnectReasons) problems.push(`(disconnects: ${t.disconnectReasons})`);
    if (problems.length) console.log(`${pad}  ${problems.join(' · ')}`);
    if (t.redisCommandsPerMsgByName) {
      const list = (byName) => Object.entries(byName).map(([name, n]) => `${name} ${fmt(n, 2)}`).join(' · ');
      console.log(`${pad}  Redis commands per message from the relays: ${list(t.redisCommandsPerMsgByName)}`);
      console.log(`${pad}  and inside their scripts: ${fmt(t.redisScriptCallsPerMsg, 2)} (${list(t.redisScriptCallsPerMsgByName)})`);
    }
    if (crowded(t)) {
      console.log(`${pad}  the machine was full (the benchmark used ${fmt(t.machineCpuPercent)}% of ${cores * 100}%, load average ${fmt(t.loadAverage, 1)}): latency here is mostly waiting for a CPU; CPU per message is the steadier figure`);
    }
  }
  const each = r.relays > 1 ? ', both relays added up' : '';
  const signed = (n) => `${n >= 0 ? '+' : ''}${fmt(n)}`;
  console.log(`${pad}heap ${fmt(r.heapKbPerSocket, 2)} KB/socket · RSS ${fmt(r.rssKbPerSocket, 2)} KB/socket${each} · heap ${fmt(r.heapIdleMb, 1)} MB idle → ${fmt(r.heapLoadedMb, 1)} MB loaded (${signed(r.heapTrafficMb)} MB while messages flow) → ${fmt(r.heapAfterMb, 1)} MB after disconnect (${signed(r.heapLeftKb)} KB, of which compiled code ${signed(r.codeLeftKb)} KB)`);
  if (r.relays > 1) {
    console.log(`${pad}right after everyone left the heap was ${signed(r.heapLeftAtOnceKb)} KB over idle; the figure above is ${fmt(r.deliveryTimeoutMs / 1000)} s after the last message, once the Redis adapter has let go of every acknowledged emit`);
  }
  console.log(`${pad}everyone left at once: relay${r.relays > 1 ? 's' : ''} empty after ${fmt(r.settleSeconds, 1)} s, event loop held up to ${fmt(r.leavingLoopDelayMaxMs)} ms meanwhile`);
  if (r.redisServer) {
    const m = r.redisServer;
    console.log(`${pad}Redis memory ${fmt(m.memoryKbPerSocket, 2)} KB/socket · ${fmt(m.memoryIdleMb, 1)} MB idle → ${fmt(m.memoryLoadedMb, 1)} MB loaded → ${fmt(m.memoryAfterMb, 1)} MB after disconnect · keys ${fmt(m.keysIdle)} → ${fmt(m.keysLoaded)} → ${fmt(m.keysAfter)}`);
  }
  const receipts = r.steps.reduce((n, t) => n + t.delivered, 0);
  const received = r.steps.reduce((n, t) => n + t.received, 0);
  console.log(`${pad}delivery receipts ${fmt(receipts)} for ${fmt(received)} messages received in the windows`);
  const p = r.privacy;
  const logged = Object.entries(r.logged ?? {}).map(([event, n]) => `${event} ${n}`).join(', ') || 'nothing';
  const searched = [`${fmt(p.logLines)} log lines (logged: ${logged})`];
  if (p.redisLoaded) searched.push(`Redis loaded (${fmt(p.redisLoaded.keys)} keys and values, its log)`, `Redis after (${fmt(p.redisAfter.keys)} keys, its log)`);
  console.log(`${pad}message content kept: ${contentFound(r) === 0 ? 'none' : 'FOUND'} (${p.markers} markers sought in ${searched.join('; ')})`);
}

// ---------------------------------------------------------------- the run

console.log(
  `Kindred relay benchmark${quick ? ' (quick)' : ''}: ${fmt(peers)} peers × ${chatsPerPeer} chats = ${fmt(peers + chats)} sockets, ` +
    `${rates.map((r) => fmt(r)).join(' → ')} msg/s (at ${fmt(rate)}, each person writes every ${fmt((2 * chats) / rate, 1)} s), ` +
    `each ${warmupSeconds} s warm-up + ${windowSeconds} s window, ` +
    `${generators} load generators · node ${process.version} · ${cpus().length} × ${cpus()[0]?.model.trim()} · ulimit -n ${openFiles} · load average ${loadavg()[0].toFixed(1)}${pinned ? ' · pinned: relays on CPU 0, generators on CPU 1' : ''}`,
);
const results = {};
for (const [phase, mode] of relays.entries()) {
  results[mode] = await measure(mode, phase);
  print(results[mode]);
}

/** `n` rounded to `digits`, or null when there is no figure. */
const round = (n, digits) => (n === null || n === undefined || !Number.isFinite(n) ? null : +n.toFixed(digits));

const pick = (r) =>
  r && {
    sockets: r.sockets,
    msgsPerSec: Math.round(r.msgsPerSec),
    p50Ms: r.p50Ms,
    p95Ms: r.p95Ms,
    p99Ms: r.p99Ms,
    cpuUsPerMsg: round(r.cpuUsPerMsg, 2),
    heapKbPerSocket: round(r.heapKbPerSocket, 3),
    rssKbPerSocket: round(r.rssKbPerSocket, 3),
    heapLeftKb: Math.round(r.heapLeftKb),
    heapTrafficMb: round(r.heapTrafficMb, 2),
    codeLeftKb: Math.round(r.codeLeftKb),
    leavingLoopDelayMaxMs: Math.round(r.leavingLoopDelayMaxMs),
    relayCpuPercent: Math.round(r.relayCpuPercent),
    relayLoopBusyPercent: Math.round(r.relayLoopBusyPercent),
    maxRateP99Under50Ms: Math.round(r.maxRateP99Under50Ms),
    generatorCpuPercent: Math.round(r.generatorCpuPercent),
    machineCpuPercent: Math.round(r.machineCpuPercent),
    loadAverage: round(r.loadAverage, 2),
    // Most of the machine was in use: the latency figures above say more about it than the relay.
    crowded: crowded(r),
    steps: r.steps.map((t) => ({
      rate: Math.round(t.targetMsgsPerSec),
      msgsPerSec: Math.round(t.msgsPerSec),
      p50Ms: t.p50Ms,
      p99Ms: t.p99Ms,
      cpuUsPerMsg: round(t.cpuUsPerMsg, 1),
      ...(t.redisCpuUsPerMsg !== undefined && { redisCpuUsPerMsg: round(t.redisCpuUsPerMsg, 1) }),
      loadAverage: round(t.loadAverage, 2),
      crowded: crowded(t),
    })),
    contentKept: contentFound(r) > 0,
    ...(r.redisServer && {
      relays: r.relays,
      redisCpuUsPerMsg: round(r.redisCpuUsPerMsg, 2),
      redisCpuPercent: Math.round(r.redisCpuPercent),
      cpuUsPerMsgWithRedis: round(r.cpuUsPerMsgWithRedis, 2),
      redisCommandsPerMsg: r.redisCommandsPerMsg,
      redisCommandsPerMsgByName: r.redisCommandsPerMsgByName,
      redisScriptCallsPerMsg: r.redisScriptCallsPerMsg,
      heapLeftAtOnceKb: Math.round(r.heapLeftAtOnceKb),
      redisMemoryKbPerSocket: round(r.redisServer.memoryKbPerSocket, 3),
      redisKeysAfter: r.redisServer.keysAfter,
      redisVersion: r.redisServer.version,
    }),
  };
/** a ÷ b as "1.23×", or "–" when either is missing. */
const times = (a, b) => (a === null || b === null || a === undefined || b === undefined || b === 0 ? '–' : `${(a / b).toFixed(2)}×`);
/** a ÷ b to two places, or null. */
const div = (a, b) => (a === null || b === null || a === undefined || b === undefined || b === 0 ? null : round(a / b, 2));
const ratio = (a, b) => a && b && { cpu: div(a.cpuUsPerMsg, b.cpuUsPerMsg), heap: div(a.heapKbPerSocket, b.heapKbPerSocket), p99: div(a.p99Ms, b.p99Ms) };

const kindred = results.kindred;
const bare = results.bare;
const viaRedis = results.redis;
const summary = {
  ...pick(kindred),
  baseline: pick(bare),
  ratio: ratio(kindred, bare),
  baselineReceipts: pick(results['bare-receipts']),
  ratioReceipts: ratio(kindred, results['bare-receipts']),
  // Two relays through Redis, and how they compare with the single relay: `cpu` counts both
  // relays, `cpuWithRedis` adds the Redis server's own CPU time.
  redis: viaRedis && {
    ...pick(viaRedis),
    ratio: kindred && { ...ratio(viaRedis, kindred), cpuWithRedis: div(viaRedis.cpuUsPerMsgWithRedis, kindred.cpuUsPerMsg) },
    heapBackToBaseline: backToBaseline(viaRedis),
  },
  quick,
  pinned,
};
if (kindred) {
  summary.goals = {
    cpuWithin1_5xBare: summary.ratio?.cpu == null ? null : summary.ratio.cpu <= 1.5,
    heapWithin1_5xBare: summary.ratio?.heap == null ? null : summary.ratio.heap <= 1.5,
    p99Under50msAt5000: kindred.targetMsgsPerSec >= 5_000 ? kindred.p99Ms < 50 : null,
    heapBackToBaseline: backToBaseline(kindred),
  };
  console.log('');
  for (const [name, other] of [['bare Socket.IO', bare], ['bare with delivery receipts', results['bare-receipts']]]) {
    if (!other) continue;
    const perStep = kindred.steps.map((t, i) => {
      const o = other.steps[i];
      return `${fmt(t.targetMsgsPerSec)}/s: CPU ${times(t.cpuUsPerMsg, o.cpuUsPerMsg)}, p99 ${times(t.p99Ms, o.p99Ms)}`;
    });
    console.log(`Kindred / ${name}: heap per socket ${(kindred.heapKbPerSocket / other.heapKbPerSocket).toFixed(2)}× · ${perStep.join(' · ')}`);
  }
  const said = (v, unmeasured) => (v === null ? `not measured (${unmeasured})` : v ? 'met' : 'NOT met');
  const upTo = (r) => (r.maxRateP99Under50Ms ? `${fmt(r.maxRateP99Under50Ms)} msg/s` : 'no step');
  console.log(
    `Goals: CPU ≤ 1.5× bare ${said(summary.goals.cpuWithin1_5xBare, 'no bare run')} · heap ≤ 1.5× bare ${said(summary.goals.heapWithin1_5xBare, 'no bare run')} · ` +
      `p99 < 50 ms at 5,000 msg/s ${said(summary.goals.p99Under50msAt5000, 'the target rate is lower')} · heap back to baseline ${said(summary.goals.heapBackToBaseline)}`,
  );
  console.log(`p99 under 50 ms up to: Kindred ${upTo(kindred)}${bare ? ` · bare ${upTo(bare)}` : ''}${viaRedis ? ` · two relays via Redis ${upTo(viaRedis)}` : ''} (of the steps measured)`);
  console.log(`ws native add-ons in the relay: bufferutil ${kindred.natives.bufferutil ? 'loaded' : 'NOT loaded'}; utf-8-validate ${kindred.natives.utf8Validate ? 'loaded' : 'not loaded (ws uses Node’s buffer.isUtf8)'}`);
}
if (viaRedis && kindred) {
  const perStep = viaRedis.steps.map((t, i) => {
    const o = kindred.steps[i];
    return (
      `${fmt(t.targetMsgsPerSec)}/s: CPU ${times(t.cpuUsPerMsg, o.cpuUsPerMsg)} (with Redis's own ${times(t.cpuUsPerMsgWithRedis, o.cpuUsPerMsg)}), ` +
      `p99 ${times(t.p99Ms, o.p99Ms)}`
    );
  });
  console.log(`Two relays via Redis / one relay: heap per socket ${(viaRedis.heapKbPerSocket / kindred.heapKbPerSocket).toFixed(2)}× · ${perStep.join(' · ')} · heap back to baseline ${summary.redis.heapBackToBaseline ? 'met' : 'NOT met'}`);
}
const crowdedSteps = Object.values(results).flatMap((r) => r.steps.filter(crowded).map((t) => `${r.relay} at ${fmt(t.targetMsgsPerSec)}/s`));
if (crowdedSteps.length) {
  console.log(`Machine full during: ${crowdedSteps.join(', ')}. On ${cores} cores shared by the relays, the load generators${viaRedis ? ', Redis' : ''} and anything else running, those latencies are mostly noise; compare CPU per message, and only between runs at similar load averages.`);
}
// Message content kept where it may not be: a failure, whatever the numbers say.
for (const r of Object.values(results)) {
  if (contentFound(r) > 0) {
    console.error(`${r.relay}: message content found in ${contentFound(r)} place(s) where nothing of a message may be kept (log lines, Redis keys or values, Redis's log).`);
    process.exitCode = 1;
  }
}
// A relay that refused the traffic measured nothing: say so, and fail.
for (const r of Object.values(results)) {
  const t = r.steps.at(-1);
  if (t.received === 0 || t.sendErrors > 0.01 * t.sent) {
    console.error(`${r.relay}: ${fmt(t.sendErrors)} of ${fmt(t.sent)} messages refused (${t.errorCodes || 'no answer'}): the numbers above do not measure relaying.`);
    process.exitCode = 1;
  }
}
// Other work on the machine shows in latency first: say how busy it was.
console.log(`Load average at the end: ${loadavg().map((n) => n.toFixed(1)).join(' ')} (this machine has ${cpus().length} cores)`);
console.log(JSON.stringify(summary));
