// SPDX-License-Identifier: Apache-2.0
/**
 * `npm test`: builds everything, checks the widget's size budgets (scripts/size.mjs) and that its
 * custom-elements.json is fresh (scripts/analyze.mjs), type-checks the tests (with the type-level
 * tests of the widget's published declarations), then runs every suite in turn — server
 * (node:test against real relays), browser components (web-test-runner in Chromium), end to end
 * (playwright-core driving Chromium against a real relay) — and closes with one line that adds
 * them up. Chromium is checked first, so a missing browser costs one line.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromePath } from './chrome.mjs';

try {
  process.env.CHROME_PATH = chromePath();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}

/** Runs a command, echoing its output, and resolves with its exit code and output. */
function run(label, command, args) {
  console.log(`\n▶ ${label}: ${command} ${args.join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let output = '';
    const echo = (stream) => (chunk) => {
      output += chunk;
      stream.write(chunk);
    };
    child.stdout.on('data', echo(process.stdout));
    child.stderr.on('data', echo(process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Counts from a node:test TAP summary or a web-test-runner summary. */
function counts(output) {
  const tapPass = [...output.matchAll(/^# pass (\d+)$/gm)].at(-1);
  const tapFail = [...output.matchAll(/^# fail (\d+)$/gm)].at(-1);
  if (tapPass && tapFail) return { passed: Number(tapPass[1]), failed: Number(tapFail[1]) };
  const wtr = [...output.matchAll(/(\d+) passed, (\d+) failed/g)].at(-1);
  if (wtr) return { passed: Number(wtr[1]), failed: Number(wtr[2]) };
  return undefined;
}

/** Test files in a folder (node 20's --test takes files, not globs of .ts). */
const testFiles = (dir) => readdirSync(dir).filter((name) => name.endsWith('.test.ts')).sort().map((name) => join(dir, name));
const nodeTest = ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=tap'];

const steps = [
  ['build', 'npm', ['run', 'build']],
  // The widget's size budgets (issue #7) and docs/size.md, on what the build just wrote.
  ['size', 'node', ['scripts/size.mjs']],
  // packages/widget/custom-elements.json still describes the elements (fix: `npm run analyze`).
  ['custom elements manifest', 'node', ['scripts/analyze.mjs', '--check']],
  ['type-check tests', 'npx', ['tsc', '-p', 'tsconfig.test.json']],
  ['server', 'node', [...nodeTest, ...testFiles('packages/server/test')]],
  ['browser', 'npx', ['web-test-runner']],
  ['end to end', 'node', [...nodeTest, ...testFiles('e2e')]],
];

let passed = 0;
let failed = 0;
const failures = [];
for (const [label, command, args] of steps) {
  const result = await run(label, command, args);
  const found = counts(result.output);
  if (found) {
    passed += found.passed;
    failed += found.failed;
  }
  if (result.code !== 0) {
    failures.push(label);
    // A suite that fails without counting (a crash, a build error) still counts as a failure.
    if (!found || found.failed === 0) failed += 1;
    if (label === 'build' || label === 'type-check tests') break;
  }
}

console.log(`\n${failures.length ? `failed suites: ${failures.join(', ')}` : 'all suites passed'}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failures.length ? 1 : 0);
