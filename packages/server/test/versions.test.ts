// SPDX-License-Identifier: Apache-2.0
/**
 * Minimum versions of the packages that parse what strangers send. PROTECTS against a lockfile
 * change (a downgrade, a nested copy, a new dependency bringing an old one along) quietly
 * bringing back a published vulnerability. Every copy of each package that the relay or the
 * widget can load at run time — found by walking their dependencies as Node resolves them,
 * not only the copy hoisted to the top — must be at least the version with the latest fix.
 * advisories.test.ts replays the payloads themselves; `npm audit --omit=dev` in CI catches
 * advisories published after this table was written.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const floors: { name: string; minimum: string; fixes: string; inTreeToday: boolean }[] = [
  {
    name: 'socket.io',
    minimum: '4.6.2',
    fixes: 'CVE-2024-38355 / GHSA-25hc-qcg6-38wj (an "error" event killed the process)',
    inTreeToday: true,
  },
  {
    name: 'socket.io-parser',
    minimum: '4.2.7',
    fixes:
      'CVE-2022-2421 / GHSA-qm95-pgcg-qqfq (4.2.1), CVE-2023-32695 / GHSA-cqmj-92xf-r6r9 (4.2.3), ' +
      'CVE-2026-33151 / GHSA-677m-j7p3-52f9 (4.2.6), GHSA-2m8v-j782-fhvr (4.2.7)',
    inTreeToday: true,
  },
  {
    name: 'engine.io',
    minimum: '6.6.10',
    fixes:
      'CVE-2022-21676 / GHSA-273r-mgr4-v34f (6.1.1), CVE-2022-41940 / GHSA-r7qp-cfhv-p84w (6.2.1), ' +
      'GHSA-r635-g3xr-vw7x (6.6.7), GHSA-2gc4-cqfq-p2gv (6.6.10)',
    inTreeToday: true,
  },
  {
    name: 'ws',
    minimum: '8.21.0',
    fixes: 'CVE-2024-37890 / GHSA-3h5v-q93c-6h6q (8.17.1), GHSA-96hv-2xvq-fx4p (8.21.0)',
    inTreeToday: true,
  },
  {
    // Not a dependency today: the widget renders every message as text. The row is here for
    // the day a sanitiser is added (STYLE.md plans internal/sanitize.ts).
    name: 'dompurify',
    minimum: '3.4.13',
    fixes: 'GHSA-55q2-fjhq-7xh7 (3.4.13), the latest DOMPurify advisory',
    inTreeToday: false,
  },
];

/**
 * Compares two versions `major.minor.patch[-pre][+build]` as a sort comparator does; a
 * pre-release comes before its release. Enough semver for minimum versions.
 */
function compareVersions(a: string, b: string): number {
  const parse = (version: string) => {
    const [core = '', pre] = version.split('+')[0]!.split(/-(.*)/s);
    return { parts: core.split('.').map((part) => Number.parseInt(part, 10) || 0), pre };
  };
  const left = parse(a);
  const right = parse(b);
  for (let i = 0; i < 3; i += 1) {
    const difference = (left.parts[i] ?? 0) - (right.parts[i] ?? 0);
    if (difference !== 0) return difference;
  }
  if (left.pre === right.pre) return 0;
  if (left.pre === undefined) return 1;
  if (right.pre === undefined) return -1;
  return left.pre < right.pre ? -1 : 1;
}

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The directory Node loads package `name` from when it is required from `fromDir`. */
function locate(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

interface Installed {
  name: string;
  version: string;
  dir: string;
}

/** Every package a workspace can load at run time: its dependencies, theirs, and so on. */
function runtimeTree(workspace: string): Installed[] {
  const found = new Map<string, Installed>();
  const queue = [join(root, workspace)];
  while (queue.length > 0) {
    const dir = queue.shift()!;
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    for (const name of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
      const where = locate(name, dir);
      if (where === undefined || found.has(where)) continue; // an optional one not installed, or seen
      const { version } = JSON.parse(readFileSync(join(where, 'package.json'), 'utf8')) as { version: string };
      found.set(where, { name, version, dir: where });
      queue.push(where);
    }
  }
  return [...found.values()];
}

test('compareVersions orders versions as semver does', () => {
  assert.ok(compareVersions('4.2.10', '4.2.7') > 0, 'numbers, not strings');
  assert.ok(compareVersions('8.21.0', '8.21.0') === 0);
  assert.ok(compareVersions('8.9.9', '8.21.0') < 0);
  assert.ok(compareVersions('10.0.0', '9.99.99') > 0);
  assert.ok(compareVersions('4.2.7-rc.1', '4.2.7') < 0, 'a pre-release comes before its release');
  assert.ok(compareVersions('4.2.7+build.5', '4.2.7') === 0);
});

test('every copy of socket.io, socket.io-parser, engine.io, ws and dompurify that can run is at least its fixed version', () => {
  const installed = [...runtimeTree('packages/server'), ...runtimeTree('packages/widget')];
  assert.ok(installed.some((pkg) => pkg.name === '@kindred/protocol'), 'the walk found the workspaces’ dependencies');
  for (const { name, minimum, fixes, inTreeToday } of floors) {
    const copies = installed.filter((pkg) => pkg.name === name);
    if (inTreeToday) assert.ok(copies.length > 0, `${name} is found where the relay loads it`);
    for (const copy of copies) {
      assert.ok(
        compareVersions(copy.version, minimum) >= 0,
        `${name}@${copy.version} (${copy.dir.slice(root.length)}) is below ${minimum}, which fixes ${fixes}`,
      );
    }
  }
});

test('the relay loads a ws that engine.io itself resolves: the copy checked is the copy used', () => {
  const socketIo = locate('socket.io', join(root, 'packages/server'))!;
  const engineIo = locate('engine.io', socketIo)!;
  const ws = locate('ws', engineIo)!;
  const { version } = JSON.parse(readFileSync(join(ws, 'package.json'), 'utf8')) as { version: string };
  assert.ok(compareVersions(version, '8.21.0') >= 0, `engine.io's ws is ${version}`);
});
