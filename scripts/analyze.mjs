// SPDX-License-Identifier: Apache-2.0
/**
 * `npm run analyze`: writes packages/widget/custom-elements.json from the widget's source, with
 * @custom-elements-manifest/analyzer configured by custom-elements-manifest.config.mjs.
 *
 * `node scripts/analyze.mjs --check` (a step of `npm test`) generates the manifest again, in
 * memory (nothing is written, so a check never leaves a file behind), and compares it with the
 * checked-in one: a manifest that no longer says what
 * the elements do would mislead every editor and tool that reads it, so a stale one fails with
 * the one command that fixes it. It also checks that docs/embed.md, written by hand for hospital
 * web teams, names everything the manifest says `<kindred-chat>` offers. Ends with "manifest
 * checks: N passed, N failed" for scripts/test.mjs to add up.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cli } from '@custom-elements-manifest/analyzer/cli.js';

const root = fileURLToPath(new URL('..', import.meta.url));
/** The analyzer runs from the package, so the manifest's module paths are the package's own. */
const widgetDir = join(root, 'packages/widget');
const config = join(root, 'custom-elements-manifest.config.mjs');
export const manifestFile = join(widgetDir, 'custom-elements.json');

/**
 * The manifest the source describes now, formatted as the analyzer's own CLI writes it. The
 * analyzer is asked not to write: its `outdir` is joined to its working folder, so it cannot
 * take a folder elsewhere.
 */
export async function generate() {
  const manifest = await cli({ argv: ['analyze', '--config', config, '--quiet'], cwd: widgetDir, noWrite: true });
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

async function main(args = process.argv.slice(2)) {
  const fresh = await generate();
  if (!args.includes('--check')) {
    writeFileSync(manifestFile, fresh);
    console.log('packages/widget/custom-elements.json written');
    return;
  }
  const ok = existsSync(manifestFile) && readFileSync(manifestFile, 'utf8') === fresh;
  console.log(ok ? 'ok   packages/widget/custom-elements.json matches the source' : 'FAIL packages/widget/custom-elements.json is stale: run `npm run analyze`');
  const missing = undocumented(JSON.parse(fresh));
  console.log(missing.length === 0 ? 'ok   docs/embed.md names every attribute, event, part and custom property of <kindred-chat>, and no other custom property' : `FAIL docs/embed.md is out of step with <kindred-chat>: ${missing.join(', ')}`);
  const failed = (ok ? 0 : 1) + (missing.length === 0 ? 0 : 1);
  console.log(`manifest checks: ${2 - failed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

/**
 * What `<kindred-chat>` offers a hospital page (its attributes, events, parts and custom
 * properties, from the manifest) that docs/embed.md does not name in backticks, and the custom
 * properties it names that the element does not have. The guide for hospital web teams is
 * written by hand; this keeps it in step with the element.
 */
export function undocumented(manifest, doc = readFileSync(join(root, 'docs/embed.md'), 'utf8')) {
  const chat = manifest.modules.flatMap((module) => module.declarations ?? []).find((declaration) => declaration.tagName === 'kindred-chat');
  if (!chat) return ['<kindred-chat> itself (it is not in the manifest)'];
  const names = [
    ...(chat.attributes ?? []).map((attribute) => attribute.name),
    ...(chat.events ?? []).map((event) => event.name),
    ...(chat.cssParts ?? []).map((part) => part.name),
    ...(chat.cssProperties ?? []).map((property) => property.name),
  ];
  const missing = names.filter((name) => !doc.includes(`\`${name}\``));
  // And the other way: a custom property the guide names but the element no longer has.
  const stale = [...new Set([...doc.matchAll(/`(--kindred-[\w-]+)`/g)].map((match) => match[1]))].filter((name) => !names.includes(name));
  return [...missing, ...stale.map((name) => `${name} (named there, but <kindred-chat> has no such property)`)];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
