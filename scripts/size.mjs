// SPDX-License-Identifier: Apache-2.0
/**
 * `npm run size`: the size of every file in the widget bundle (raw, gzip, brotli — compressed
 * as the relay compresses them: gzip level 9, brotli's default quality 11) and the two budgets
 * of issue #7, in gzipped bytes (1 KB = 1,000 bytes, the stricter reading):
 *
 * - host: what a hospital page loads before anyone touches the launcher — kindred-chat.js and
 *   every file it imports statically, transitively — at most 8 KB.
 * - open chat: everything for an open chat — the host's files, plus the frame page, its
 *   stylesheet and script and everything that script imports statically — at most 40 KB. A
 *   file both documents load counts twice: the frame is a cross-site subframe, and the
 *   browser's cache is partitioned, so it fetches its own copy.
 * - chat under way: the open chat plus what the frame imports lazily once a chat starts (the
 *   encryption code, the survivor's language: the heaviest one counts) — the same 40 KB. Kindred
 *   has no HTML sanitiser (messages render as text), so the issue's "sanitiser" costs nothing.
 *
 * The graphs come from the built files' own `import`/`export … from` statements (parsed with
 * rollup's parser; `import()` is lazy and counts only in the chat-under-way total), never from a list of chunk names, so a
 * chunk that slips into the shell's graph is counted.
 *
 * docs/size.md carries a table generated from the same numbers (`npm run size -- --write`);
 * the check fails when its totals are more than 1 KB from the build's, so the doc cannot drift.
 * Exits 1 when a budget is exceeded or the doc is stale, and ends with "size checks: N passed,
 * N failed", which `npm test` (scripts/test.mjs) adds up.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, posix, relative, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { parseAst } from 'rollup/parseAst';

/** Where rollup writes the bundle the relay serves. */
export const defaultBundleDir = fileURLToPath(new URL('../packages/widget/bundle/', import.meta.url));

/** The budgets, in gzipped bytes. */
export const budgets = { host: 8_000, openChat: 40_000 };

/** Every file under `dir`, as bundle-relative POSIX paths, sorted. */
function files(dir, under = '') {
  return readdirSync(join(dir, under), { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? files(dir, posix.join(under, entry.name)) : [posix.join(under, entry.name)]))
    .sort();
}

/** Raw, gzip and brotli sizes of one bundle file. */
export function sizes(file, dir = defaultBundleDir) {
  const body = readFileSync(join(dir, file));
  return { raw: body.length, gzip: gzipSync(body, { level: 9 }).length, brotli: brotliCompressSync(body).length };
}

/** The specifiers a module imports statically, and the ones it imports lazily (`import()`). */
export function imports(code) {
  const ast = parseAst(code);
  const found = { static: [], lazy: [] };
  for (const node of ast.body) {
    if ((node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration' || node.type === 'ExportNamedDeclaration') && node.source) {
      found.static.push(String(node.source.value));
    }
  }
  const walk = (node) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    if (node.type === 'ImportExpression' && node.source?.type === 'Literal') found.lazy.push(String(node.source.value));
    for (const key of Object.keys(node)) if (key !== 'type') walk(node[key]);
  };
  walk(ast);
  return found;
}

/** Resolves `specifier` from bundle file `from` (relative, or absolute from the relay's root). */
function resolve(from, specifier) {
  if (specifier.startsWith('/')) return specifier.slice(1);
  if (specifier.startsWith('./') || specifier.startsWith('../')) return posix.normalize(posix.join(posix.dirname(from), specifier));
  throw new Error(`${from} imports ${JSON.stringify(specifier)}, which the relay does not serve: bundles import only relative paths`);
}

/** `entry` and every bundle file it imports statically, transitively, in the order first met. */
export function staticGraph(entry, dir = defaultBundleDir) {
  const seen = [];
  const visit = (file) => {
    if (seen.includes(file)) return;
    if (!existsSync(join(dir, file))) throw new Error(`${file} is imported but not in ${dir}`);
    seen.push(file);
    for (const specifier of imports(readFileSync(join(dir, file), 'utf8')).static) visit(resolve(file, specifier));
  };
  visit(entry);
  return seen;
}

/** A page of the bundle, its stylesheets and scripts, and everything those scripts import statically. */
export function pageGraph(page, dir = defaultBundleDir) {
  const html = readFileSync(join(dir, page), 'utf8');
  const found = [page];
  for (const [, href] of html.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"/g)) found.push(resolve(page, href));
  for (const [, src] of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) {
    for (const file of staticGraph(resolve(page, src), dir)) if (!found.includes(file)) found.push(file);
  }
  return found;
}

/** Both budgets: the files each counts, their gzipped total, and whether it fits. */
export function budgetReport(dir = defaultBundleDir) {
  const host = staticGraph('kindred-chat.js', dir);
  const frame = pageGraph('frame.html', dir);
  const total = (list) => list.reduce((sum, file) => sum + sizes(file, dir).gzip, 0);
  const report = (name, label, list, limit) => ({ name, label, files: list, gzip: total(list), limit, ok: total(list) <= limit });
  const underWay = [...host, ...frame, ...lazyForOneLanguage(frame, dir)];
  return [
    report('host', 'host page before interaction', host, budgets.host),
    // The host's files and the frame's are fetched by two documents: each counts in full.
    report('openChat', 'open chat (shell + frame + socket client)', [...host, ...frame], budgets.openChat),
    // The same 40 KB holds once a chat is under way: what the frame imports lazily counts too
    // (the encryption code on "Start chat", a theme's checks, the survivor's language), with the
    // heaviest language standing for all. Lazy loading moves bytes later; it does not make
    // them free, so the budget is not met by deferring.
    report('chatUnderWay', 'chat under way, heaviest language', underWay, budgets.openChat),
  ];
}

/** Language chunks are alternatives: a frame loads one of `chunks/es-frame-….js`, `chunks/ar-frame-….js`. */
const languageChunk = /^chunks\/[a-z]{2,3}-frame-/;

/**
 * Every file the `graph`'s modules import lazily, with what those import statically, not
 * already in `graph`; of the language chunks only the largest, since a frame loads one.
 */
export function lazyForOneLanguage(graph, dir = defaultBundleDir) {
  const found = [];
  const visit = (file) => {
    for (const specifier of imports(readFileSync(join(dir, file), 'utf8')).lazy) {
      for (const each of staticGraph(resolve(file, specifier), dir)) {
        if (graph.includes(each) || found.includes(each)) continue;
        found.push(each);
        visit(each);
      }
    }
  };
  for (const file of graph.filter((each) => each.endsWith('.js'))) visit(file);
  const languages = found.filter((file) => languageChunk.test(file));
  const heaviest = languages.reduce((best, file) => (best && sizes(best, dir).gzip >= sizes(file, dir).gzip ? best : file), undefined);
  return found.filter((file) => !languageChunk.test(file) || file === heaviest);
}

const kb = (bytes) => `${(bytes / 1000).toFixed(2)} KB`;

/** The generated part of docs/size.md lies between these two lines. */
const docFile = fileURLToPath(new URL('../docs/size.md', import.meta.url));
const docStart = '<!-- size:start — generated by `npm run size -- --write`; edit around it, not in it -->';
const docEnd = '<!-- size:end -->';
/** How far the recorded totals may be from the build before `npm run size` calls docs/size.md stale. */
export const docTolerance = 1_000;

/** The generated block of docs/size.md: every file, both budgets, and the totals in a comment the check reads back. */
function docBlock(rows, results) {
  const brotli = (list) => list.reduce((sum, file) => sum + rows.find((row) => row.file === file).brotli, 0);
  const totals = Object.fromEntries(results.map((result) => [result.name, result.gzip]));
  return [
    docStart,
    `<!-- size: ${JSON.stringify(totals)} -->`,
    '',
    '| file | raw | gzip | brotli |',
    '|---|---:|---:|---:|',
    ...rows.map((row) => `| \`${row.file}\` | ${row.raw} | ${row.gzip} | ${row.brotli} |`),
    '',
    '| budget | files | gzip | brotli | limit (gzip) |',
    '|---|---|---:|---:|---:|',
    ...results.map((result) => `| ${result.label} | ${result.files.map((file) => `\`${file}\``).join(' + ')} | ${kb(result.gzip)} | ${kb(brotli(result.files))} | ${kb(result.limit)} |`),
    docEnd,
  ].join('\n');
}

/** Writes the block into docs/size.md, or says whether the one there is still true (within `docTolerance`). */
function syncDoc(rows, results, write) {
  if (!existsSync(docFile)) return { ok: false, say: 'docs/size.md is missing' };
  const doc = readFileSync(docFile, 'utf8');
  const start = doc.indexOf(docStart);
  const end = doc.indexOf(docEnd);
  if (start < 0 || end < start) return { ok: false, say: `docs/size.md has no generated block (${docStart} … ${docEnd})` };
  if (write) {
    writeFileSync(docFile, doc.slice(0, start) + docBlock(rows, results) + doc.slice(end + docEnd.length));
    return { ok: true, say: 'docs/size.md rewritten' };
  }
  const recorded = JSON.parse(/<!-- size: (\{.*\}) -->/.exec(doc.slice(start, end))?.[1] ?? '{}');
  const off = results.filter((result) => !(Math.abs((recorded[result.name] ?? -Infinity) - result.gzip) <= docTolerance));
  if (off.length === 0) return { ok: true, say: 'docs/size.md records these sizes' };
  const detail = off.map((result) => `${result.name} ${kb(recorded[result.name] ?? 0)} there, ${kb(result.gzip)} now`).join('; ');
  return { ok: false, say: `docs/size.md is stale (${detail}): run \`npm run size -- --write\`` };
}

/**
 * `node scripts/size.mjs [--write] [bundle-dir]`: prints the sizes and checks the budgets and
 * docs/size.md; `--write` rewrites the doc's table first. Another build (an older commit's, say)
 * can be measured the same way; the doc is then left alone.
 */
function main(args = process.argv.slice(2)) {
  const write = args.includes('--write');
  const other = args.find((arg) => arg !== '--write');
  const bundleDir = other ? resolvePath(other) : defaultBundleDir;
  if (!existsSync(join(bundleDir, 'kindred-chat.js'))) {
    console.error(`No widget bundle in ${relative(process.cwd(), bundleDir)}: run \`npm run build\` first.`);
    console.log('size checks: 0 passed, 1 failed');
    process.exit(1);
  }
  const rows = files(bundleDir).map((file) => ({ file, ...sizes(file, bundleDir) }));
  const width = Math.max(...rows.map((row) => row.file.length), 4);
  const line = (file, raw, gzip, brotli) => `${file.padEnd(width)}  ${String(raw).padStart(7)}  ${String(gzip).padStart(7)}  ${String(brotli).padStart(7)}`;
  console.log(`Widget bundle (${relative(process.cwd(), bundleDir) || '.'}), in bytes; gzip -9 and brotli q11, as the relay sends them`);
  console.log(line('file', 'raw', 'gzip', 'brotli'));
  for (const row of rows) console.log(line(row.file, row.raw, row.gzip, row.brotli));
  for (const row of rows.filter((each) => each.file.endsWith('.js'))) {
    const lazy = imports(readFileSync(join(bundleDir, row.file), 'utf8')).lazy;
    if (lazy.length > 0) console.log(`  ${row.file} loads lazily: ${lazy.join(', ')}`);
  }

  console.log('\nBudgets (gzip, 1 KB = 1,000 bytes)');
  const results = budgetReport(bundleDir);
  const checks = [];
  for (const result of results) {
    const brotli = result.files.reduce((sum, file) => sum + sizes(file, bundleDir).brotli, 0);
    console.log(`${result.ok ? 'ok  ' : 'OVER'} ${result.label}: ${kb(result.gzip)} of ${kb(result.limit)} (brotli ${kb(brotli)})`);
    console.log(`     ${result.files.join(' + ')}`);
    checks.push(result.ok);
  }
  if (bundleDir === defaultBundleDir) {
    const doc = syncDoc(rows, results, write);
    console.log(`${doc.ok ? 'ok  ' : 'FAIL'} ${doc.say}`);
    checks.push(doc.ok);
  }
  const failed = checks.filter((ok) => !ok).length;
  console.log(`size checks: ${checks.length - failed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
