// SPDX-License-Identifier: Apache-2.0
/**
 * `npm run bench:widget`: what `<kindred-chat>` costs the hospital page it sits on (issue #7),
 * measured in Debian's Chromium (scripts/chrome.mjs; never a downloaded browser) driven by
 * playwright-core, against a real relay and the example hospital page served from another
 * origin under the strict policy docs/embed.md gives hospitals — the end-to-end tests' setup.
 *
 * Each run uses fresh browser contexts (an empty cache, as on a first visit) and measures:
 * - at load: Cumulative Layout Shift on the host page and every layout-shift entry, the
 *   longest task on its main thread, and the tasks Kindred's code ran in, each by wall-clock
 *   time (what a long task is) and by the main thread's CPU time (from a Chromium trace);
 * - opening the chat with a click (the pointer arriving on the launcher and clicking at once,
 *   so the frame starts loading on that hover): the same for the tasks from the click on,
 *   layout shifts, and the time from the click until focus lands on the chat's first control
 *   (the Start chat button) in the frame, that is until the chat is usable by keyboard and
 *   pointer alike;
 * - the same click when the pointer has rested on the launcher first and the frame has loaded
 *   hidden (the preload): click to usable, untraced.
 * Wall-clock and CPU time differ when other processes want the same cores: then a task waits
 * for the CPU, and its wall-clock time says more about the machine than about Kindred. The
 * load average is printed for that reason. The frame's own longest task is reported too: it
 * runs in the relay's process here (site isolation), but on a device without site isolation
 * the frame would share the host's main thread. Tracing slows the traced page a little; the
 * click to usable after a hover is measured untraced.
 *
 * Timing goals live here, not in tests (CI machines are noisy); the deterministic properties
 * (no layout shift, nothing loaded before interaction) are tested in e2e/host-page.test.ts.
 * BENCH_RUNS sets the number of runs (default 7); medians are reported. The last line is one
 * JSON object. Exits 1 when a goal is missed. Build first: `npm run build`.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { chromium } from 'playwright-core';
import { createRelay } from '@kindred/server';
import { chromeArgs, chromePath } from './chrome.mjs';
import { budgetReport } from './size.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 7);

/**
 * The goals. CLS and long tasks are issue #7's. Click to usable has no number in the issue:
 * after a hover the frame is already loaded and opening should answer like any button (RAIL's
 * 100 ms response); a click with no hover first loads the frame, its code and the hospital's
 * information from the relay, and should still land within a second on this machine.
 */
const goals = { cls: 0, longTaskMs: 50, coldClickToUsableMs: 1_000, warmClickToUsableMs: 100 };

const examples = new URL('../examples/', import.meta.url);
const exampleRelay = 'http://localhost:8080';

/** The example hospital site on its own origin, as the end-to-end harness serves it. */
async function hospitalSite() {
  const site = { origin: '', relayUrl: '' };
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/hospital.css') {
      res.writeHead(200, { 'Content-Type': 'text/css' }).end(readFileSync(new URL('plain-html/hospital.css', examples)));
      return;
    }
    if (path !== '/') {
      res.writeHead(404).end();
      return;
    }
    const html = readFileSync(new URL('plain-html/index.html', examples), 'utf8').replaceAll(exampleRelay, site.relayUrl);
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': [
        "default-src 'self'",
        `script-src 'self' ${site.relayUrl}`,
        "style-src 'self'",
        `frame-src ${site.relayUrl}`,
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "require-trusted-types-for 'script'",
      ].join('; '),
    });
    res.end(html);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  site.origin = `http://localhost:${server.address().port}`;
  return { site, close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))) };
}

/**
 * Runs in every document before its own scripts: records long tasks and, on the host page,
 * layout shifts and the time of the first click on the shell; in the chat frame, the moment
 * focus first lands on a control. Times are epoch milliseconds (timeOrigin + now), so the
 * host's and the frame's, two processes, compare.
 */
const probe = `(() => {
  const bench = { longtasks: [], shifts: [] };
  window.__kindredBench = bench;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) bench.longtasks.push({ at: performance.timeOrigin + entry.startTime, ms: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  if (window === window.top) {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) bench.shifts.push({ value: entry.value, hadRecentInput: entry.hadRecentInput });
    }).observe({ type: 'layout-shift', buffered: true });
    document.addEventListener('click', (event) => {
      if (bench.clickAt === undefined && event.composedPath().some((node) => node.localName === 'kindred-chat')) {
        bench.clickAt = performance.timeOrigin + event.timeStamp;
      }
    }, true);
  } else {
    addEventListener('focusin', (event) => {
      const target = event.composedPath()[0];
      if (bench.usableAt === undefined && (target.localName === 'button' || target.localName === 'textarea')) {
        bench.usableAt = performance.timeOrigin + performance.now();
        bench.usable = target.localName === 'button' ? target.textContent.trim() : 'composer';
      }
    }, true);
  }
})()`;

/** Long enough for trailing work (a hydration, a fetch's answer) to show up in the records. */
const settle = (page) => page.waitForTimeout(1_000);

/** Loads `url` in a fresh context; `traced` starts a Chromium trace before the navigation. */
async function open(browser, url, { traced = false } = {}) {
  const context = await browser.newContext();
  await context.addInitScript(probe);
  const page = await context.newPage();
  if (traced) await trace(browser, page);
  await page.goto(url, { waitUntil: 'load' });
  return { page, close: () => context.close() };
}

/** Starts a trace with what DevTools' Performance panel records: tasks, with their CPU time. */
const trace = (browser, page) => browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute'] });

/**
 * The host page's main-thread tasks from a trace: each task's wall-clock and CPU time, and
 * whether Kindred's code ran in it (an event on that thread naming a script from the relay).
 * The host's renderer is the one that parsed the hospital page; `pid` carries it from the load
 * trace to the next one, which has no parsing in it.
 */
function hostTasks(buffer, site, pid) {
  const events = JSON.parse(buffer.toString()).traceEvents;
  pid ??= events.find((event) => event.name === 'ParseHTML' && event.args?.beginData?.url?.startsWith(site.origin))?.pid;
  const tid = events.find((event) => event.ph === 'M' && event.name === 'thread_name' && event.pid === pid && event.args?.name === 'CrRendererMain')?.tid;
  const onMain = events.filter((event) => event.pid === pid && event.tid === tid && event.ph === 'X');
  const ours = onMain.filter((event) => event.name !== 'RunTask' && JSON.stringify(event.args ?? {}).includes(site.relayUrl));
  const tasks = onMain
    .filter((event) => event.name === 'RunTask')
    .map((task) => ({
      wallMs: task.dur / 1000,
      cpuMs: (task.tdur ?? task.dur) / 1000,
      kindred: ours.some((event) => event.ts >= task.ts && event.ts < task.ts + task.dur),
    }));
  return { pid, tasks };
}

/** The longest of `tasks` by wall-clock time, with its CPU time; zeros when there is none. */
const longestTask = (tasks) => tasks.reduce((best, task) => (task.wallMs > best.wallMs ? task : best), { wallMs: 0, cpuMs: 0 });
const cpuTotal = (tasks) => tasks.reduce((sum, task) => sum + task.cpuMs, 0);

const frameOf = async (page) => (await page.waitForSelector('iframe[title="Peer support chat"]', { state: 'attached' })).contentFrame();
const read = (target) => target.evaluate('window.__kindredBench');

/**
 * Waits until the frame has recorded focus on a control. Polled from here, not with
 * waitForFunction: that polls with an eval the frame's policy forbids, and the moment itself
 * is recorded in the frame, so the polling interval costs nothing.
 */
async function usable(frame) {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 20))) {
    if (await frame.evaluate('window.__kindredBench && window.__kindredBench.usableAt !== undefined')) return;
  }
  throw new Error('focus never landed on a control in the chat frame');
}

const longest = (tasks) => Math.max(0, ...tasks.map((task) => task.ms));
const since = (tasks, from) => tasks.filter((task) => task.at >= from);
const cls = (shifts) => shifts.filter((shift) => !shift.hadRecentInput).reduce((sum, shift) => sum + shift.value, 0);

/** One run: the page with Kindred loaded and opened by a click (traced), then opened after a hover. */
async function run(browser, site) {
  // Load, then a click with no hover first.
  const cold = await open(browser, `${site.origin}/`, { traced: true });
  const launcher = cold.page.getByRole('button', { name: /chat/i });
  await launcher.waitFor();
  await settle(cold.page);
  const atLoad = hostTasks(await browser.stopTracing(), site);
  const loaded = await read(cold.page);
  await trace(browser, cold.page);
  await launcher.click();
  const frame = await frameOf(cold.page);
  await usable(frame);
  await settle(cold.page);
  const atOpen = hostTasks(await browser.stopTracing(), site, atLoad.pid);
  const host = await read(cold.page);
  const inFrame = await read(frame);
  await cold.close();

  // Hover, let the frame load hidden, then click.
  const warm = await open(browser, `${site.origin}/`);
  const warmLauncher = warm.page.getByRole('button', { name: /chat/i });
  await warmLauncher.hover();
  const warmFrame = await frameOf(warm.page);
  await warm.page.frameLocator('iframe[title="Peer support chat"]').getByRole('button', { name: 'Start chat', includeHidden: true }).waitFor({ state: 'attached' });
  await settle(warm.page);
  await warmLauncher.click();
  await usable(warmFrame);
  const warmInFrame = await read(warmFrame);
  await settle(warm.page);
  const warmHost = await read(warm.page);
  await warm.close();

  const kindredAtLoad = atLoad.tasks.filter((task) => task.kindred);
  const kindredAtOpen = atOpen.tasks.filter((task) => task.kindred);
  return {
    clsLoad: cls(loaded.shifts),
    shiftEntriesLoad: loaded.shifts.length,
    longestTaskLoadMs: longest(loaded.longtasks),
    kindredTaskLoad: longestTask(kindredAtLoad),
    kindredCpuLoadMs: cpuTotal(kindredAtLoad),
    cls: Math.max(cls(host.shifts), cls(warmHost.shifts)),
    shiftEntries: Math.max(host.shifts.length, warmHost.shifts.length),
    longestTaskOpenMs: longest(since(host.longtasks, host.clickAt)),
    kindredTaskOpen: longestTask(kindredAtOpen),
    kindredCpuOpenMs: cpuTotal(kindredAtOpen),
    frameLongestTaskMs: longest(inFrame.longtasks),
    coldClickToUsableMs: inFrame.usableAt - host.clickAt,
    warmClickToUsableMs: warmInFrame.usableAt - warmHost.clickAt,
    usable: [inFrame.usable, warmInFrame.usable],
  };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const round = (value, places = 1) => Number(value.toFixed(places));

async function main() {
  const hospital = JSON.parse(readFileSync(new URL('kindred.config.json', examples), 'utf8')).hospital;
  const { site, close } = await hospitalSite();
  const relay = await createRelay({ port: 0, host: '127.0.0.1', secret: 'bench-widget-secret-that-is-long-enough-0123', origins: [site.origin], hospital });
  site.relayUrl = relay.url;
  const browser = await chromium.launch({ executablePath: chromePath(), args: chromeArgs, headless: true });
  // Long tasks are wall-clock: another busy process on this machine lengthens them. Say how busy it was.
  const loadBefore = loadavg()[0];
  const chromiumVersion = browser.version();
  const results = [];
  try {
    // One run to warm the relay, the disk cache of this machine and V8's code cache for our
    // own scripts is not a first visit: it is left out.
    await run(browser, site);
    for (let i = 0; i < runs; i++) {
      const result = await run(browser, site);
      results.push(result);
      process.stderr.write(`run ${i + 1}/${runs}: click to usable ${round(result.coldClickToUsableMs)} ms (after hover ${round(result.warmClickToUsableMs)} ms)\n`);
    }
  } finally {
    await browser.close();
    await relay.close();
    await close();
  }

  const all = (key) => results.map((result) => result[key]);
  const worst = (key) => Math.max(...all(key));
  const spread = (key) => `${round(median(all(key)))} ms (${round(Math.min(...all(key)))}–${round(worst(key))})`;
  // The run whose Kindred task took longest by the clock, with that task's CPU time.
  const worstTask = (key) => longestTask(all(key));
  const sizes = Object.fromEntries(budgetReport().map((budget) => [budget.name, budget.gzip]));
  const taskLoad = worstTask('kindredTaskLoad');
  const taskOpen = worstTask('kindredTaskOpen');
  const summary = {
    runs,
    chromium: chromiumVersion,
    cpus: cpus().length,
    loadAverage: [round(loadBefore, 2), round(loadavg()[0], 2)],
    shellGzipBytes: sizes.host,
    openChatGzipBytes: sizes.openChat,
    cls: Math.max(worst('clsLoad'), worst('cls')),
    layoutShiftEntries: Math.max(worst('shiftEntriesLoad'), worst('shiftEntries')),
    longestTaskLoadMs: round(worst('longestTaskLoadMs')),
    longestTaskOpenMs: round(worst('longestTaskOpenMs')),
    kindredTaskLoadMs: round(taskLoad.wallMs),
    kindredTaskLoadCpuMs: round(taskLoad.cpuMs),
    kindredTaskOpenMs: round(taskOpen.wallMs),
    kindredTaskOpenCpuMs: round(taskOpen.cpuMs),
    kindredCpuLoadMs: round(median(all('kindredCpuLoadMs'))),
    kindredCpuOpenMs: round(median(all('kindredCpuOpenMs'))),
    clickToUsableMs: round(median(all('coldClickToUsableMs'))),
    clickToUsableAfterHoverMs: round(median(all('warmClickToUsableMs'))),
    frameLongestTaskMs: round(worst('frameLongestTaskMs')),
    usableControl: [...new Set(results.flatMap((result) => result.usable))].join(', '),
  };
  // A task that missed by the clock but not by CPU time waited for a core: say so beside it.
  const task = (wall, cpu) => `${wall} ms (CPU ${cpu} ms${wall > goals.longTaskMs && cpu <= goals.longTaskMs ? ': it waited for a busy CPU' : ''})`;
  const checks = [
    ['CLS at load and at open, worst run', summary.cls <= goals.cls, `${round(summary.cls, 4)} (${summary.layoutShiftEntries} layout-shift entries)`, `= ${goals.cls}`],
    ['longest task at load in which Kindred ran, worst run', summary.kindredTaskLoadMs <= goals.longTaskMs, task(summary.kindredTaskLoadMs, summary.kindredTaskLoadCpuMs), `≤ ${goals.longTaskMs} ms`],
    ['longest task at open in which Kindred ran, worst run', summary.kindredTaskOpenMs <= goals.longTaskMs, task(summary.kindredTaskOpenMs, summary.kindredTaskOpenCpuMs), `≤ ${goals.longTaskMs} ms`],
    ['click to usable chat, no hover first', summary.clickToUsableMs <= goals.coldClickToUsableMs, spread('coldClickToUsableMs'), `≤ ${goals.coldClickToUsableMs} ms`],
    ['click to usable chat, after hover', summary.clickToUsableAfterHoverMs <= goals.warmClickToUsableMs, spread('warmClickToUsableMs'), `≤ ${goals.warmClickToUsableMs} ms`],
  ];
  console.log(`<kindred-chat> on a hospital page: ${runs} runs, Chromium ${summary.chromium}, fresh cache each; medians (min–max)`);
  console.log(`  machine: ${summary.cpus} CPUs, load average ${summary.loadAverage.join(' before, ')} after (1 min)`);
  console.log(`  shell ${round(sizes.host / 1000, 2)} KB gzip before interaction; open chat ${round(sizes.openChat / 1000, 2)} KB gzip`);
  console.log(`  main-thread CPU time of the tasks Kindred ran in: at load ${spread('kindredCpuLoadMs')}, at open ${spread('kindredCpuOpenMs')}`);
  console.log(`  longest task on the host page, any cause: at load ${spread('longestTaskLoadMs')}, from the click on ${spread('longestTaskOpenMs')}`);
  console.log(`  longest task in the chat frame (its own process here), worst run: ${summary.frameLongestTaskMs} ms`);
  console.log(`  first control focused in the frame: ${summary.usableControl}`);
  for (const [what, ok, value, goal] of checks) console.log(`  ${ok ? 'ok  ' : 'MISS'} ${what}: ${value} (goal ${goal})`);
  const ok = checks.every(([, passed]) => passed);
  console.log(JSON.stringify({ ...summary, goals, ok }));
  process.exit(ok ? 0 : 1);
}

await main();
