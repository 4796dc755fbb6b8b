// SPDX-License-Identifier: Apache-2.0
/**
 * Widget tests in the real browser (Chromium from scripts/chrome.mjs; we never download one).
 * Test pages run at http://localhost:8000. The relay-backed tests talk to a real relay that
 * this file starts on a free port, and fetch its URL and a peer token from
 * /__kindred-test-relay.json. The shell's tests embed a stand-in frame from
 * http://127.0.0.1:8000 — the same server under another origin — so the postMessage origin
 * checks run for real.
 */
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeArgs, chromePath } from './scripts/chrome.mjs';

let executablePath;
try {
  executablePath = chromePath();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

// WTR_PORT lets two runs share a machine (the frame stand-ins are served from this port too).
const port = Number(process.env.WTR_PORT ?? 8000);
const pageOrigin = `http://localhost:${port}`;
const secret = 'kindred-widget-tests-'.padEnd(48, 'x');

// A stand-in for the relay's /frame page, for the shell's tests: it speaks the bridge the way
// the real frame does (exact origin both ways), echoes each visibility change as a state, and
// reports two unread messages while hidden. Escape inside it asks the shell to close; its
// button is the frame's own quick exit. Served under /configured/ it also tells the shell the
// hospital's exit URL, followed by two the shell must refuse.
const fakeFrame = `<!doctype html><html lang="en"><head><title>fake frame</title></head><body><button>inside</button><script>
const origin = new URLSearchParams(location.hash.slice(1)).get('origin');
const post = (message) => parent.postMessage(message, origin);
if (location.pathname.includes('/configured/')) {
  post({ kindred: 1, type: 'exit-url', url: 'https://example.org/configured-exit' });
  post({ kindred: 1, type: 'exit-url', url: 'javascript:alert(1)' });
  post({ kindred: 1, type: 'exit-url', url: 'http://example.org/plain-http' });
}
document.querySelector('button').addEventListener('click', () => post({ kindred: 1, type: 'exit' }));
addEventListener('message', (event) => {
  if (event.source !== parent || event.origin !== origin) return;
  const data = event.data;
  if (!data || data.kindred !== 1 || data.type !== 'visibility') return;
  post({ kindred: 1, type: 'state', state: data.open ? 'waiting' : 'idle' });
  if (!data.open) post({ kindred: 1, type: 'unread', count: 2 });
  else document.querySelector('button').focus();
});
addEventListener('keydown', (event) => { if (event.key === 'Escape') post({ kindred: 1, type: 'close' }); });
post({ kindred: 1, type: 'ready' });
</script></body></html>`;

// A page from the relay's origin that is not our iframe: the shell must not listen to it.
const rogueFrame = `<!doctype html><html lang="en"><head><title>rogue</title></head><body><script>
parent.postMessage({ kindred: 1, type: 'unread', count: 7 }, '*');
parent.postMessage({ kindred: 1, type: 'close' }, '*');
parent.postMessage({ kindred: 1, type: 'exit-url', url: 'https://rogue.example/' }, '*');
parent.postMessage({ kindred: 1, type: 'exit' }, '*');
</script></body></html>`;

/** The hospital the test relay describes at /hospital.json (the frame's first screen and resources). */
const hospital = {
  name: 'St Example Hospital',
  emergency: { label: 'emergency services', phone: '999' },
  confidentiality: 'Peers keep what you share private, unless someone is in immediate danger.',
  peerHours: 'Every day, 9:00 to 21:00',
  exitUrl: 'https://www.bbc.co.uk/weather',
  resources: [
    { id: 'samaritans', name: 'Samaritans', description: 'Someone to talk to, day or night.', phone: '116 123', url: 'https://www.samaritans.org', hours: '24 hours, every day' },
    { id: 'victim-support', name: 'Victim Support', phone: '08 08 16 89 111', url: 'https://www.victimsupport.org.uk', hours: 'Every day' },
  ],
};

/**
 * Every test page connects from this one machine, hundreds of times a minute: the per-address
 * connection limit (which has its own tests in packages/server) is off for these relays.
 */
const testLimits = { connectionsPerMinute: 0 };

/** Starts a real relay for the frame and console tests, and tells the pages where it is. */
function relayPlugin() {
  let relay;
  let refusing;
  let shortGrace;
  let token;
  let problem;
  return {
    name: 'kindred-test-relay',
    async serverStart() {
      try {
        const { createRelay, signPeerToken } = await import('@kindred/server');
        relay = await createRelay({ port: 0, host: '127.0.0.1', secret, origins: [pageOrigin], hospital, ...testLimits });
        // A second relay that lists another site only, so our page's origin is refused.
        refusing = await createRelay({ port: 0, host: '127.0.0.1', secret, origins: ['https://elsewhere.example'], ...testLimits });
        // A relay that waits only 1.5 s for someone whose connection dropped, for the tests of
        // what happens after the grace period (requeue, a survivor who does not come back).
        shortGrace = await createRelay({ port: 0, host: '127.0.0.1', secret, origins: [pageOrigin], hospital, resumeGraceMs: 1_500, ...testLimits });
        token = await signPeerToken(secret, { name: 'Robin', maxChats: 2, ttlSeconds: 3600 });
      } catch (error) {
        // Leave the relay-backed tests to fail with this reason rather than the whole run.
        problem = `relay not available: ${error instanceof Error ? error.message : String(error)} (run \`npx tsc -b && npx rollup -c\`)`;
      }
    },
    async serverStop() {
      await relay?.close();
      await refusing?.close();
      await shortGrace?.close();
    },
    async serve(context) {
      if (context.path === '/__kindred-test-relay.json') {
        const body = relay ? { url: relay.url, refusingUrl: refusing.url, shortGraceUrl: shortGrace.url, token } : { problem };
        return { body: JSON.stringify(body), type: 'json' };
      }
      if (context.path === '/__kindred-fake/frame') return { body: fakeFrame, type: 'html' };
      if (context.path === '/__kindred-fake/configured/frame') return { body: fakeFrame, type: 'html' };
      if (context.path === '/__kindred-fake/rogue') return { body: rogueFrame, type: 'html' };
      return undefined;
    },
  };
}

export default {
  files: ['packages/widget/src/**/*.test.ts'],
  // The browser builds of socket.io-client's dependencies (not `ws`, not the `debug` build).
  nodeResolve: { browser: true, exportConditions: ['browser'] },
  port,
  hostname: 'localhost',
  concurrency: 1,
  testFramework: { config: { timeout: 20_000 } },
  browsers: [chromeLauncher({ launchOptions: { executablePath, args: chromeArgs, headless: true } })],
  plugins: [esbuildPlugin({ ts: true, tsconfig: 'packages/widget/tsconfig.json' }), relayPlugin()],
};
