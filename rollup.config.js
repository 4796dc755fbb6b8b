// SPDX-License-Identifier: Apache-2.0
/**
 * Builds the widget bundles the relay serves, from what `tsc -b` wrote to packages/widget/dist:
 * /kindred-chat.js (the shell a hospital page loads), /kindred-frame.js and /kindred-console.js
 * (the relay's own pages), their shared code under /chunks/, and the two HTML pages.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const widget = 'packages/widget';

/** Copies pages/*.html and their stylesheet into the bundle, next to the scripts they load. */
const isPageFile = (file) => file.endsWith('.html') || file.endsWith('.css');

function copyPages() {
  const pages = join(widget, 'pages');
  return {
    name: 'kindred-copy-pages',
    buildStart() {
      for (const name of readdirSync(pages).filter(isPageFile)) {
        this.addWatchFile(join(pages, name));
      }
    },
    generateBundle() {
      for (const name of readdirSync(pages).filter(isPageFile)) {
        this.emitFile({ type: 'asset', fileName: name, source: readFileSync(join(pages, name), 'utf8') });
      }
    },
  };
}

/**
 * Squeezes the white space out of Lit `css` templates in our own compiled files. Only
 * comments and white space next to `{ } ; ,` and after `:` go, so selectors and values read the same; the
 * `${…}` holes are left alone. Worth it because the shell's bytes are paid by every page view.
 */
function minifyCss() {
  // Not after a backtick: a comment that names `css` is not a template.
  const template = /(?<!`)\bcss\s*`([^`]*)`/g;
  return {
    name: 'kindred-minify-css',
    transform(code, id) {
      if (!id.includes(`${widget}/dist/`)) return null;
      const out = code.replace(template, (_, body) => {
        const text = body
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/\s+/g, ' ')
          .replace(/\s*([{};,])\s*/g, '$1')
          .replace(/:\s+/g, ':')
          .replace(/;}/g, '}')
          .trim();
        return `css\`${text}\``;
      });
      return out === code ? null : { code: out, map: null };
    },
  };
}

// The relay serves every file in bundle/: start empty, so no stale chunk outlives its build.
rmSync(`${widget}/bundle`, { recursive: true, force: true });

/**
 * One chunk per language and surface for the translations (`locales/es/frame.js` with the
 * shell words it reuses, `locales/es/console.js`): `chunks/es-frame-[hash].js`. Named by hand
 * because rollup's `experimentalMinChunkSize` would otherwise fold these small, side-effect-free
 * chunks into the shared one, which the frame loads at once: every survivor would then download
 * every language, and the console's words too. Manual chunks are never folded.
 */
function localeChunks(id) {
  const match = /[\\/]locales[\\/](\w+)[\\/](frame|console|shell)\.js$/.exec(id);
  if (!match) return undefined;
  return `${match[1]}-${match[2] === 'console' ? 'console' : 'frame'}`;
}

/** One build of the bundle: minified CSS, Lit's production build, terser. */
function build(input, { output = {}, plugins = [] } = {}) {
  return {
    input,
    output: {
      dir: `${widget}/bundle`,
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/[name]-[hash].js',
      sourcemap: false,
      ...output,
    },
    // Lit's dev-mode warnings live behind the "development" export condition; the browser
    // condition without it picks the production build.
    plugins: [minifyCss(), nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }), terser({ format: { comments: false } }), ...plugins],
    preserveEntrySignatures: 'strict',
    onwarn(warning, warn) {
      // tsc's `__decorate` helper starts with `this && this.__decorate`; at module top level
      // `this` is undefined in ES modules, which is exactly what the helper expects.
      if (warning.code === 'THIS_IS_UNDEFINED') return;
      warn(warning);
    },
  };
}

/**
 * Two builds. The shell is built alone, into one file: every hospital page pays for it before
 * anyone touches it (budget 8 KB gzipped, `npm run size`), and one file is one request, with no
 * second round trip for a chunk it imports, and compresses better than two. Sharing chunks with
 * the frame would save nothing: the frame is a cross-site subframe, and the browser's cache,
 * partitioned by top-level site and frame, keeps the frame's copy of a shared file apart from the
 * host page's anyway. (A dynamic `import()` in the shell would still become a chunk of its own.)
 * The frame and the console, the relay's own pages, share their chunks.
 */
export default [
  build({ 'kindred-chat': `${widget}/dist/kindred-chat.js` }),
  build(
    { 'kindred-frame': `${widget}/dist/kindred-frame.js`, 'kindred-console': `${widget}/dist/kindred-console.js` },
    // Fold chunks this small (measured before minifying) into a neighbour: a request costs more
    // than the bytes.
    { output: { experimentalMinChunkSize: 5_000, manualChunks: localeChunks }, plugins: [copyPages()] },
  ),
];
