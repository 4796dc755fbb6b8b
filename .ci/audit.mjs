#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
/**
 * `npm audit --omit=dev` for CI. Fails when the audit reports any known vulnerability in a
 * production dependency (what the relay runs and what the widget ships). Only warns, in one
 * line, when no audit happened at all: the registry's audit endpoint cannot be reached, or
 * refuses the request (a mirror without the audit API answers 405).
 *
 * npm exits 1 in both cases, so the exit status cannot tell them apart; the JSON report can.
 * An audit that ran has `metadata.vulnerabilities` with its counts; one that could not run
 * has an `error` or a `message` and no counts. Anything else fails: in doubt, strict.
 */
import { spawnSync } from 'node:child_process';

const audit = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
let report;
try {
  report = JSON.parse(audit.stdout);
} catch {
  report = undefined;
}

const counts = report?.metadata?.vulnerabilities;
if (counts && typeof counts.total === 'number') {
  if (counts.total === 0) {
    console.log('npm audit --omit=dev: no known vulnerabilities in production dependencies.');
    process.exit(0);
  }
  spawnSync('npm', ['audit', '--omit=dev'], { stdio: 'inherit' }); // the readable report
  const levels = ['critical', 'high', 'moderate', 'low', 'info'].filter((level) => counts[level] > 0).map((level) => `${counts[level]} ${level}`);
  console.error(`npm audit --omit=dev: ${counts.total} known vulnerabilities in production dependencies (${levels.join(', ')}); see the advisories above.`);
  process.exit(1);
}

if (audit.status !== 0 && report && (report.error || report.message)) {
  const reason = String(report.message ?? report.error?.code ?? report.error?.summary ?? 'no reason given').split(' - ')[0].trim();
  console.log(`WARNING: npm audit --omit=dev could not reach the registry's audit endpoint (${reason}): production dependencies were NOT audited in this run.`);
  process.exit(0);
}

console.error(`npm audit --omit=dev gave an answer this script cannot read (exit status ${audit.status}):`);
console.error(audit.stdout || audit.stderr || audit.error?.message || '(no output)');
process.exit(1);
