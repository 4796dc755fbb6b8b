// SPDX-License-Identifier: Apache-2.0
/**
 * Builds the widget bundles the relay serves, from what `tsc -b` wrote to packages/widget/dist:
 * /kindred-chat.js (the shell a hospital page loads), /kindred-frame.js and /kindred-console.js
 * (the relay's own pages), shared code under /chunks/, and the two HTML pages.
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
  const template = /\bcss\s*`([^`]*)`/g;
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

export default {
  input: {
    'kindred-chat': `${widget}/dist/kindred-chat.js`,
    'kindred-frame': `${widget}/dist/kindred-frame.js`,
    'kindred-console': `${widget}/dist/kindred-console.js`,
  },
  output: {
    dir: `${widget}/bundle`,
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    sourcemap: false,
    // Fold chunks this small (measured before minifying) into a neighbour: a request costs the
    // host page more than the bytes.
    experimentalMinChunkSize: 5_000,
  },
  // Lit's dev-mode warnings live behind the "development" export condition; the browser
  // condition without it picks the production build.
  plugins: [
    minifyCss(),
    nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
    terser({ format: { comments: false } }),
    copyPages(),
  ],
  preserveEntrySignatures: 'strict',
  onwarn(warning, warn) {
    // tsc's `__decorate` helper starts with `this && this.__decorate`; at module top level
    // `this` is undefined in ES modules, which is exactly what the helper expects.
    if (warning.code === 'THIS_IS_UNDEFINED') return;
    warn(warning);
  },
};
