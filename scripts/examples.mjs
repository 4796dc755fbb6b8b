// SPDX-License-Identifier: Apache-2.0
/**
 * The example hospital pages in examples/, built and served as a hospital would serve them.
 *
 * - `node scripts/examples.mjs --build` (part of `npm run build`): bundles the React example
 *   (examples/react/src → examples/react/dist/app.js) with esbuild, ahead of time, minified, in
 *   React's production build. Nothing is compiled in the browser.
 * - `npm run examples`: builds everything, starts the relay (`--demo`, allowing the example site)
 *   on http://localhost:8080, and serves the examples as a hospital's own site on another origin,
 *   http://localhost:8081, under a strict Content-Security-Policy. It prints where to go.
 * - `serveExamples()`: the same site, for the end-to-end tests (e2e/examples.test.ts), on any port.
 *
 * The pages name the relay as http://localhost:8080, which a hospital replaces with its own relay's
 * address; the site does the same replacement for whatever relay it is given.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const examplesDir = fileURLToPath(new URL('../examples/', import.meta.url));

/** The relay address written in the example pages. */
export const exampleRelay = 'http://localhost:8080';

/** The examples a browser can open, by folder, with the title the site's index shows. */
export const examples = [
  { folder: 'plain-html', title: 'Plain HTML: the launcher on an ordinary page' },
  { folder: 'inline', title: 'Inline: a "Talk to a peer" page with the chat in the page' },
  { folder: 'react', title: 'React 19: the element in a React app, listening to its events' },
];

/** Bundles the React example into examples/react/dist/app.js. */
export async function buildReactExample() {
  const { build } = await import('esbuild');
  const outfile = join(examplesDir, 'react/dist/app.js');
  await build({
    entryPoints: [join(examplesDir, 'react/src/main.tsx')],
    outfile,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    minify: true,
    // React's production build: its development build is larger and warns in the console.
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'none',
    logLevel: 'warning',
  });
  return outfile;
}

/**
 * The policy the example site sends with every page: what a hospital with a strict policy
 * sends, built from the two lines docs/embed.md tells hospitals to add for the relay. The
 * example pages need nothing else (no inline script or style, no eval), and the end-to-end
 * tests fail on any violation of it.
 */
export function examplePolicy(relayOrigin) {
  return [
    "default-src 'self'",
    `script-src 'self' ${relayOrigin}`,
    `frame-src ${relayOrigin}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "require-trusted-types-for 'script'",
  ].join('; ');
}

const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

/** The site's front page: a list of the examples. */
function indexPage() {
  const items = examples.map(({ folder, title }) => `      <li><a href="/${folder}/">${title}</a></li>`).join('\n');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Kindred examples — St Example Hospital</title>
    <link rel="stylesheet" href="/plain-html/hospital.css" />
  </head>
  <body>
    <main>
      <h1>Kindred examples</h1>
      <ul>
${items}
      </ul>
    </main>
  </body>
</html>
`;
}

/**
 * The file a request names, if it is one of the examples' pages, stylesheets or scripts.
 * Only files inside an example's folder, with one of three extensions: nothing else on disk
 * can be reached.
 */
function exampleFile(path) {
  const [, folder, ...rest] = path.split('/');
  if (!examples.some((example) => example.folder === folder)) return undefined;
  const name = rest.join('/') || 'index.html';
  const base = join(examplesDir, folder);
  const file = normalize(join(base, decodeURIComponent(name)));
  if (!file.startsWith(base + sep) || !(extname(file) in types) || !existsSync(file)) return undefined;
  return file;
}

/**
 * Serves the examples as a hospital's site: `/` lists them, `/<folder>/` is each page, with
 * http://localhost:8080 in the pages replaced by `relayUrl`, and every page sent with
 * `examplePolicy`. Resolves once listening, with its address and `close()`. `relayUrl` may be a
 * function, read at each request: a test's relay must list the site's origin, which is known
 * only once the site listens.
 */
export async function serveExamples({ relayUrl, port = 0, host = '127.0.0.1', hostname = 'localhost' }) {
  const server = createServer((req, res) => {
    const relayOrigin = new URL(typeof relayUrl === 'function' ? relayUrl() : relayUrl).origin;
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'Content-Type': types['.html'], 'Content-Security-Policy': examplePolicy(relayOrigin), 'Cache-Control': 'no-store' });
      res.end(indexPage());
      return;
    }
    // `/react` → `/react/`, so the page's relative links resolve inside its folder.
    if (examples.some((example) => path === `/${example.folder}`)) {
      res.writeHead(301, { Location: `${path}/` }).end();
      return;
    }
    const file = exampleFile(path);
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    const type = types[extname(file)];
    const headers = { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
    if (type === types['.html']) {
      headers['Content-Security-Policy'] = examplePolicy(relayOrigin);
      res.writeHead(200, headers).end(readFileSync(file, 'utf8').replaceAll(exampleRelay, relayOrigin));
    } else {
      res.writeHead(200, headers).end(readFileSync(file));
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const origin = `http://${hostname}:${server.address().port}`;
  return {
    url: `${origin}/`,
    origin,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** `npm run examples`: the relay in demo mode, allowing the example site, and the site. */
async function serveForPeople() {
  const sitePort = 8081;
  const siteOrigin = `http://localhost:${sitePort}`;
  if (!existsSync(join(examplesDir, 'react/dist/app.js'))) {
    console.error('The React example is not built: run `npm run build` first (`npm run examples` does).');
    process.exit(1);
  }
  let site;
  try {
    site = await serveExamples({ relayUrl: exampleRelay, port: sitePort });
  } catch (error) {
    console.error(error.code === 'EADDRINUSE' ? `Port ${sitePort} is in use: stop what runs there first.` : error.message);
    process.exit(1);
  }
  // The relay as an operator starts it, told that the example site may embed the chat.
  const relay = spawn(process.execPath, [fileURLToPath(new URL('../packages/server/dist/main.js', import.meta.url)), '--demo'], {
    stdio: 'inherit',
    env: { ...process.env, PORT: '8080', KINDRED_ORIGINS: siteOrigin },
  });
  relay.on('exit', (code) => {
    void site.close();
    process.exit(code ?? 1);
  });
  console.log(`Example hospital site:  ${site.url}  (plain HTML, inline and React pages; the relay allows this origin)`);
  const stop = () => relay.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes('--build')) {
    await buildReactExample();
  } else {
    await serveForPeople();
  }
}
