// SPDX-License-Identifier: Apache-2.0
/**
 * `npm run bench`: the relay under load, measured against bare Socket.IO on the same machine.
 *
 * For each relay (Kindred, then a bare Socket.IO relay, then the bare relay with delivery
 * receipts) in a process of its own: load generators in other processes connect survivor–peer
 * pairs through the real protocol (after a shorter rehearsal round), exchange messages at a
 * human pace at one or more total rates, each with a warm-up and a steady-state window, and
 * disconnect. The relay process reports its own CPU time and memory; the generators report
 * delivered messages and one-hop latencies. Prints a summary per relay, the Kindred/bare ratios
 * at the target rate, and, as its last line, one JSON object. See BENCHMARKS.md.
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
 *   BENCH_RELAYS=a,b        which relays, of kindred, bare, bare-receipts; default all three
 *                           (quick: kindred and bare)
 *   BENCH_PROFILE=dir       write a V8 CPU profile of each relay over the window into dir
 */
import { execSync, fork } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';
import { Histogram } from './histogram.mjs';
import { commandClient } from './ipc.mjs';

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
const windowSeconds = number('BENCH_SECONDS', quick ? 8 : 20);
const warmupSeconds = number('BENCH_WARMUP', quick ? 3 : 5);
const relays = (env.BENCH_RELAYS ?? (quick ? 'kindred,bare' : 'kindred,bare,bare-receipts')).split(',');
const profileDir = env.BENCH_PROFILE;
if (profileDir) mkdirSync(profileDir, { recursive: true });

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (n, digits = 0) => (n === null || n === undefined ? '–' : n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

// ---------------------------------------------------------------- preflight

if (!existsSync(here('../../packages/server/dist/relay.js'))) {
  console.error('packages/server/dist is missing: run `npm run build` (or `npx tsc -b packages/server`) first.');
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

/** Polls the relay until it holds no state and no more sockets than `fds` (up to 20 s). */
async function settle(relay, fds) {
  let stats = await relay.call('stats', { fds: true });
  for (let i = 0; i < 40 && !(settled(stats) && stats.socketFds <= fds); i += 1) {
    await sleep(500);
    stats = await relay.call('stats', { fds: true });
  }
  return stats;
}

async function measure(mode, phase) {
  const relay = await start('relay.mjs', [mode, String(peers + chats)], ['--expose-gc'], `relay ${mode}`);
  const { url, natives } = await relay.call('url');
  const { socketFds: listening } = await relay.call('stats', { fds: true });
  const loads = await Promise.all(Array.from({ length: generators }, (_, g) => start('load.mjs', [], [], `load ${g}`)));
  const each = (cmd, args) => Promise.all(loads.map(({ call }) => call(cmd, args)));
  const setup = async (round, peersInAll) => {
    const connected = await Promise.all(
      loads.map(({ call }, g) =>
        call('connect', {
          mode,
          url,
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
    if (mode === 'kindred') for (const { call } of loads) paired.push(await call('pair'));
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
  await sleep(2_000);
  await each('stop');
  await each('disconnect');
  await settle(relay, listening);
  const idle = await relay.call('stats', { gc: true, fds: true });

  const setupStarted = Date.now();
  const setups = await setup(2 * phase + 2, peers);
  const setupSeconds = (Date.now() - setupStarted) / 1000;
  const sockets = setups.reduce((sum, s) => sum + s.sockets, 0);
  const sides = setups.reduce((sum, s) => sum + s.sides, 0);
  const loaded = await relay.call('stats', { gc: true, fds: true });

  const steps = [];
  for (const [i, stepRate] of rates.entries()) {
    await Promise.all(loads.map(({ call }, g) => call('start', { rate: (stepRate * setups[g].sides) / sides })));
    await sleep(warmupSeconds * 1000);
    const last = i === rates.length - 1;
    if (profileDir && last) await relay.call('profile');
    const [before] = await Promise.all([relay.call('stats'), each('reset')]);
    await sleep(windowSeconds * 1000);
    const [after] = await Promise.all([relay.call('stats'), each('mark')]);
    if (profileDir && last) await relay.call('profile', { file: join(profileDir, `${mode}.cpuprofile`) });
    const reports = await each('report');
    await each('stop');
    await sleep(2_000); // the last messages and receipts arrive before the next step
    steps.push(step(stepRate, before, after, reports));
  }

  await each('disconnect');
  const leftAt = Date.now();
  for (const { child } of loads) child.disconnect(); // the generators exit
  const left = await settle(relay, idle.socketFds);
  const empty = await relay.call('stats', { gc: true, fds: true });
  await relay.call('close');
  await new Promise((resolve) => (relay.child.exitCode === null ? relay.child.once('exit', resolve) : resolve()));

  const kb = (bytes) => bytes / 1024;
  return {
    relay: mode,
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
    codeLeftKb: kb(empty.codeBytes - idle.codeBytes),
    relayStateAfter: empty.counts,
    // Everyone left at once, as in a network failure: sessions wait out the grace period, then
    // the relay ends or requeues every chat. The longest the event loop was held meanwhile:
    leavingLoopDelayMaxMs: Math.max(left.loopDelayMaxMs, empty.loopDelayMaxMs),
    settleSeconds: (Date.now() - leftAt) / 1000,
    natives,
  };
}

/** One rate's window: the generators' counts and latencies, the relay's CPU and event loop. */
function step(targetMsgsPerSec, before, after, reports) {
  const latency = new Histogram();
  const sum = (key) => reports.reduce((total, r) => total + r[key], 0);
  for (const r of reports) latency.add(r.latency);
  const received = sum('received');
  // Rates over each side's own clock readings: a busy relay answers `stats` late, so its
  // window and the generators' may differ a little; CPU per message divides the two rates.
  const msgsPerSec = received / (sum('wallUs') / reports.length / 1e6);
  const relayCpuPerSec = cpuUs(before, after) / (wallUs(before, after) / 1e6);
  return {
    targetMsgsPerSec,
    msgsPerSec,
    p50Ms: latency.quantileMs(0.5),
    p95Ms: latency.quantileMs(0.95),
    p99Ms: latency.quantileMs(0.99),
    maxMs: latency.quantileMs(1),
    cpuUsPerMsg: relayCpuPerSec / msgsPerSec,
    relayCpuPercent: relayCpuPerSec / 1e4,
    relayLoopBusyPercent: 100 * after.loopUtilization,
    relayLoopDelayP99Ms: after.loopDelayP99Ms,
    generatorCpuPercent: reports.reduce((total, r) => total + (100 * r.cpuUs) / r.wallUs, 0),
    sent: sum('sent'),
    received,
    delivered: sum('delivered'),
    sendErrors: sum('sendErrors'),
    unexpectedDisconnects: sum('unexpectedDisconnects'),
    disconnectReasons: [...new Set(reports.flatMap((r) => Object.keys(r.disconnectReasons)))].join(', '),
    errorCodes: [...new Set(reports.flatMap((r) => Object.keys(r.errorCodes)))].join(', '),
    chatsEnded: sum('chatsEnded'),
  };
}

function print(r) {
  const pad = ' '.repeat(15);
  const cols = [
    ['msg/s target', (t) => fmt(t.targetMsgsPerSec)],
    ['delivered', (t) => fmt(t.msgsPerSec)],
    ['p50 ms', (t) => fmt(t.p50Ms, 2)],
    ['p95 ms', (t) => fmt(t.p95Ms, 2)],
    ['p99 ms', (t) => fmt(t.p99Ms, 2)],
    ['max ms', (t) => fmt(t.maxMs, 1)],
    ['relay µs/msg', (t) => fmt(t.cpuUsPerMsg, 1)],
    ['relay CPU', (t) => `${fmt(t.relayCpuPercent)}%`],
    ['loop busy', (t) => `${fmt(t.relayLoopBusyPercent)}%`],
    ['loop delay p99', (t) => `${fmt(t.relayLoopDelayP99Ms, 1)} ms`],
    ['generators CPU', (t) => `${fmt(t.generatorCpuPercent)}%`],
  ];
  console.log(`${r.relay.padEnd(15)}${fmt(r.sockets)} sockets (relay holds ${fmt(r.relaySocketsHeld)}), ${fmt(r.chats)} chats · set up in ${fmt(r.setupSeconds, 1)} s`);
  console.log(pad + cols.map(([name]) => name.padStart(name.length)).join('  '));
  for (const t of r.steps) {
    console.log(pad + cols.map(([name, value]) => value(t).padStart(name.length)).join('  '));
    const problems = ['sendErrors', 'unexpectedDisconnects', 'chatsEnded'].filter((key) => t[key] > 0).map((key) => `${key} ${t[key]}`);
    if (t.errorCodes) problems.push(`(send errors: ${t.errorCodes})`);
    if (t.disconnectReasons) problems.push(`(disconnects: ${t.disconnectReasons})`);
    if (problems.length) console.log(`${pad}  ${problems.join(' · ')}`);
  }
  console.log(`${pad}heap ${fmt(r.heapKbPerSocket, 2)} KB/socket · RSS ${fmt(r.rssKbPerSocket, 2)} KB/socket · heap ${fmt(r.heapIdleMb, 1)} MB idle → ${fmt(r.heapLoadedMb, 1)} MB loaded → ${fmt(r.heapAfterMb, 1)} MB after disconnect (${r.heapLeftKb >= 0 ? '+' : ''}${fmt(r.heapLeftKb)} KB, of which compiled code ${r.codeLeftKb >= 0 ? '+' : ''}${fmt(r.codeLeftKb)} KB)`);
  console.log(`${pad}everyone left at once: relay empty after ${fmt(r.settleSeconds, 1)} s, its event loop held up to ${fmt(r.leavingLoopDelayMaxMs)} ms meanwhile`);
  const receipts = r.steps.reduce((n, t) => n + t.delivered, 0);
  const received = r.steps.reduce((n, t) => n + t.received, 0);
  console.log(`${pad}delivery receipts ${fmt(receipts)} for ${fmt(received)} messages received in the windows`);
}

// ---------------------------------------------------------------- the run

console.log(
  `Kindred relay benchmark${quick ? ' (quick)' : ''}: ${fmt(peers)} peers × ${chatsPerPeer} chats = ${fmt(peers + chats)} sockets, ` +
    `${rates.map((r) => fmt(r)).join(' → ')} msg/s (at ${fmt(rate)}, each person writes every ${fmt((2 * chats) / rate, 1)} s), ` +
    `each ${warmupSeconds} s warm-up + ${windowSeconds} s window, ` +
    `${generators} load generators · node ${process.version} · ${cpus().length} × ${cpus()[0]?.model.trim()} · ulimit -n ${openFiles} · load average ${loadavg()[0].toFixed(1)}`,
);
const results = {};
for (const [phase, mode] of relays.entries()) {
  results[mode] = await measure(mode, phase);
  print(results[mode]);
}

const pick = (r) =>
  r && {
    sockets: r.sockets,
    msgsPerSec: Math.round(r.msgsPerSec),
    p50Ms: r.p50Ms,
    p95Ms: r.p95Ms,
    p99Ms: r.p99Ms,
    cpuUsPerMsg: +r.cpuUsPerMsg.toFixed(2),
    heapKbPerSocket: +r.heapKbPerSocket.toFixed(3),
    rssKbPerSocket: +r.rssKbPerSocket.toFixed(3),
    heapLeftKb: Math.round(r.heapLeftKb),
    codeLeftKb: Math.round(r.codeLeftKb),
    leavingLoopDelayMaxMs: Math.round(r.leavingLoopDelayMaxMs),
    relayCpuPercent: Math.round(r.relayCpuPercent),
    relayLoopBusyPercent: Math.round(r.relayLoopBusyPercent),
    maxRateP99Under50Ms: Math.round(r.maxRateP99Under50Ms),
    generatorCpuPercent: Math.round(r.generatorCpuPercent),
    steps: r.steps.map((t) => ({ rate: Math.round(t.targetMsgsPerSec), msgsPerSec: Math.round(t.msgsPerSec), p50Ms: t.p50Ms, p99Ms: t.p99Ms, cpuUsPerMsg: +t.cpuUsPerMsg.toFixed(1) })),
  };
const ratio = (a, b) =>
  a && b && { cpu: +(a.cpuUsPerMsg / b.cpuUsPerMsg).toFixed(2), heap: +(a.heapKbPerSocket / b.heapKbPerSocket).toFixed(2), p99: +(a.p99Ms / b.p99Ms).toFixed(2) };

const kindred = results.kindred;
const bare = results.bare;
const summary = {
  ...pick(kindred),
  baseline: pick(bare),
  ratio: ratio(kindred, bare),
  baselineReceipts: pick(results['bare-receipts']),
  ratioReceipts: ratio(kindred, results['bare-receipts']),
  quick,
};
if (kindred) {
  // Heap "back to baseline": what is left besides compiled code is within 1 MB of the idle
  // relay, or 1% of what the load added (V8 keeps some slack: pooled parsers, map capacity).
  const leakAllowanceKb = Math.max(1024, 0.01 * (kindred.heapLoadedMb - kindred.heapIdleMb) * 1024);
  summary.goals = {
    cpuWithin1_5xBare: summary.ratio ? summary.ratio.cpu <= 1.5 : null,
    heapWithin1_5xBare: summary.ratio ? summary.ratio.heap <= 1.5 : null,
    p99Under50msAt5000: kindred.targetMsgsPerSec >= 5_000 ? kindred.p99Ms < 50 : null,
    heapBackToBaseline: kindred.heapLeftKb - kindred.codeLeftKb <= leakAllowanceKb && settled({ counts: kindred.relayStateAfter }),
  };
  console.log('');
  for (const [name, other] of [['bare Socket.IO', bare], ['bare with delivery receipts', results['bare-receipts']]]) {
    if (!other) continue;
    const perStep = kindred.steps.map((t, i) => {
      const o = other.steps[i];
      return `${fmt(t.targetMsgsPerSec)}/s: CPU ${(t.cpuUsPerMsg / o.cpuUsPerMsg).toFixed(2)}×, p99 ${(t.p99Ms / o.p99Ms).toFixed(2)}×`;
    });
    console.log(`Kindred / ${name}: heap per socket ${(kindred.heapKbPerSocket / other.heapKbPerSocket).toFixed(2)}× · ${perStep.join(' · ')}`);
  }
  const said = (v, unmeasured) => (v === null ? `not measured (${unmeasured})` : v ? 'met' : 'NOT met');
  const upTo = (r) => (r.maxRateP99Under50Ms ? `${fmt(r.maxRateP99Under50Ms)} msg/s` : 'no step');
  console.log(
    `Goals: CPU ≤ 1.5× bare ${said(summary.goals.cpuWithin1_5xBare, 'no bare run')} · heap ≤ 1.5× bare ${said(summary.goals.heapWithin1_5xBare, 'no bare run')} · ` +
      `p99 < 50 ms at 5,000 msg/s ${said(summary.goals.p99Under50msAt5000, 'the target rate is lower')} · heap back to baseline ${said(summary.goals.heapBackToBaseline)}`,
  );
  console.log(`p99 under 50 ms up to: Kindred ${upTo(kindred)}${bare ? ` · bare ${upTo(bare)}` : ''} (of the steps measured)`);
  console.log(`ws native add-ons in the relay: bufferutil ${kindred.natives.bufferutil ? 'loaded' : 'NOT loaded'}; utf-8-validate ${kindred.natives.utf8Validate ? 'loaded' : 'not loaded (ws uses Node’s buffer.isUtf8)'}`);
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
