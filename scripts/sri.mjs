// SPDX-License-Identifier: Apache-2.0
/**
 * The last step of `npm run build`: prints the Subresource Integrity value of kindred-chat.js,
 * the one file a hospital page's script tag loads, and writes it to
 * packages/widget/bundle/kindred-chat.js.sri (one line) for docs/embed.md to point at.
 *
 * SRI covers exactly the file the tag names, nothing it imports. So the build fails if the shell
 * imports anything, statically or with `import()`: that code would run unchecked on the
 * hospital's page, and a hospital that pinned the hash would believe otherwise. (rollup.config.js
 * builds the shell alone, into one file, for the same reason and for its size.)
 *
 * sha384, the algorithm the SRI spec and browsers' tooling recommend. Computed over the bytes
 * on disk, which are the bytes the relay serves (it compresses them in transit only; the
 * browser checks the decoded body).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultBundleDir, imports } from './size.mjs';

/** The file the hospital's script tag loads. */
export const shellFile = 'kindred-chat.js';
/** Where the build writes its integrity value: next to it, in the bundle the relay serves from. */
export const integrityFile = `${shellFile}.sri`;

/** `sha384-<base64>` of some bytes: the value of an `integrity` attribute. */
export function integrityOf(body) {
  return `sha384-${createHash('sha384').update(body).digest('base64')}`;
}

/** The shell's integrity, or a list of the reasons it cannot have a meaningful one. */
export function shellIntegrity(dir = defaultBundleDir) {
  const file = join(dir, shellFile);
  if (!existsSync(file)) return { problems: [`${shellFile} is not built: run \`npm run build\``] };
  const body = readFileSync(file);
  const found = imports(body.toString('utf8'));
  const problems = [...found.static, ...found.lazy].map((specifier) => `${shellFile} imports ${specifier}, which its integrity would not cover: the shell must be one file (rollup.config.js)`);
  return problems.length > 0 ? { problems } : { integrity: integrityOf(body) };
}

function main() {
  const result = shellIntegrity();
  if (result.problems) {
    for (const problem of result.problems) console.error(problem);
    process.exit(1);
  }
  writeFileSync(join(defaultBundleDir, integrityFile), `${result.integrity}\n`);
  console.log(`${shellFile} integrity: ${result.integrity}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
