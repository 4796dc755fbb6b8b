// SPDX-License-Identifier: Apache-2.0
/**
 * The files the relay serves, read once at start into memory with their gzip and brotli forms.
 * Only these exact paths exist: a request can never name a file on disk, so there is no path
 * to traverse. A missing build stops the relay at start with the fix, not at the first request.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { RelayConfig } from '../config.js';
import { ConfigError } from '../config.js';

export type AssetKind = 'entry' | 'chunk' | 'frame-page' | 'console-page' | 'demo-page' | 'file' | 'hospital-info';

export interface Asset {
  readonly kind: AssetKind;
  readonly type: string;
  readonly body: Buffer;
  readonly gzip: Buffer;
  readonly brotli: Buffer;
  readonly etag: string;
}

const types: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
};

function asset(kind: AssetKind, file: string, body: Buffer = readFileSync(file)): Asset {
  const ext = file.slice(file.lastIndexOf('.'));
  return {
    kind,
    type: types[ext] ?? 'application/octet-stream',
    body,
    gzip: gzipSync(body, { level: 9 }),
    brotli: brotliCompressSync(body),
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`,
  };
}

/** The demo page refers to the relay as http://localhost:8080, as a hospital's copy would. */
export const exampleRelayOrigin = 'http://localhost:8080';

/** Reads the widget build (and, in demo mode, the demo page) into a path → asset table. */
export function loadAssets(config: RelayConfig): Map<string, Asset> {
  const dir = config.widgetDir;
  const needed = ['kindred-chat.js', 'kindred-frame.js', 'kindred-console.js', 'frame.html', 'console.html', 'kindred-page.css'];
  const missing = needed.filter((name) => !existsSync(join(dir, name)));
  if (missing.length > 0) {
    throw new ConfigError([`The widget build is missing (${missing.join(', ')} in ${dir}): run \`npm run build\` first.`]);
  }

  const assets = new Map<string, Asset>();
  for (const name of needed.filter((n) => n.endsWith('.js'))) assets.set(`/${name}`, asset('entry', join(dir, name)));
  assets.set('/kindred-page.css', asset('file', join(dir, 'kindred-page.css')));
  assets.set('/frame', asset('frame-page', join(dir, 'frame.html')));
  assets.set('/console', asset('console-page', join(dir, 'console.html')));
  // The hospital's public information, for the chat frame's first screen (same for everyone).
  // With the hospital's own wording of the widget's strings, when it has any (`strings`, by
  // language): the frame and the console apply them before their first render.
  const info = Object.keys(config.strings).length > 0 ? { ...config.hospital, strings: config.strings } : config.hospital;
  assets.set('/hospital.json', asset('hospital-info', 'hospital.json', Buffer.from(JSON.stringify(info))));
  const chunks = join(dir, 'chunks');
  if (existsSync(chunks)) {
    for (const name of readdirSync(chunks)) {
      if (name.endsWith('.js')) assets.set(`/chunks/${name}`, asset('chunk', join(chunks, name)));
    }
  }

  if (config.demo) {
    const demoDir = join(config.examplesDir, 'plain-html');
    for (const name of readdirSync(demoDir)) {
      const file = join(demoDir, name);
      if (name === 'index.html') {
        // The relay serves its own demo, so the page's relay address becomes a relative one.
        const html = readFileSync(file, 'utf8').replaceAll(exampleRelayOrigin, '');
        assets.set('/', asset('demo-page', file, Buffer.from(html)));
      } else if (name.endsWith('.css')) {
        assets.set(`/${name}`, asset('file', file));
      }
    }
  }
  return assets;
}
