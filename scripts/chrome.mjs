// SPDX-License-Identifier: Apache-2.0
/**
 * Where the browser tests find Chromium, and how they start it. One place, so the component
 * tests (web-test-runner) and the end-to-end tests (playwright-core) run the same browser.
 * We never download a browser: Debian's `chromium` package, or whatever CHROME_PATH names.
 */
import { accessSync, constants } from 'node:fs';

export const CHROME_FIX = 'Chromium not found: run `apt-get install -y chromium` or set CHROME_PATH to a Chromium/Chrome binary.';

/** Path of the Chromium binary, or throws with the one-line fix. */
export function chromePath() {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  for (const path of candidates) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // try the next one
    }
  }
  throw new Error(CHROME_FIX);
}

/**
 * Flags for a headless, offline, root-friendly Chromium: no sandbox (CI runs as root), and no
 * background networking, which this machine's closed network would refuse many times a second.
 */
export const chromeArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
];
