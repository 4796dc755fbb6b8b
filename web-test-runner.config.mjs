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
// hospital's exit URL, followed by two the shell must refuse. Served under /exit-asks/ it asks
// for the quick exit as soon as it is shown (as the real frame does when its own Quick exit is
// pressed), with no key press to race focus crossing into an out-of-process frame.
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
  else if (location.pathname.includes('/exit-asks/')) post({ kindred: 1, type: 'exit' });
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
  // The console's canned responses (console-alerts.test.ts).
  cannedResponses: [
    { id: 'welcome', title: 'Welcome', text: 'I am glad you reached out.', texts: { es: 'Me alegra que hayas escrito.' } },
    { id: 'take-your-time', title: 'Take your time', text: 'Take all the time you need.' },
  ],
};

/**
 * Every test page connects from this one machine, hundreds of times a minute: the per-address
 * connection limit (which has its own tests in packages/server) is off for these relays.
 */
const testLimits = { connectionsPerMinute: 0 };

/**
 * A hospital's own wording (KINDRED_CONFIG `strings`), for the relay of the languages tests
 * (`*.i18n.test.ts`): the frame and the console must show these instead of the built-in text.
 */
const hospitalStrings = {
  en: {
    idleHeading: 'Talk to someone who has been there',
    startChat: 'Begin',
    consoleHeading: 'St Example peer desk',
    queuePosition: 'Your place in line: {position}.',
  },
  es: { idleHeading: 'Habla con alguien que ha pasado por algo parecido' },
};

/** Starts a real relay for the frame and console tests, and tells the pages where it is. */
const metricsToken = 'metrics-token-for-the-browser-tests-0123456789';

function relayPlugin() {
  let relay;
  let refusing;
  let shortGrace;
  let withStrings;
  let token;
  let signToken;
  let problem;
  return {
    name: 'kindred-test-relay',
    async serverStart() {
      try {
        const { createRelay, signPeerToken } = await import('@kindred/server');
        relay = await createRelay({ port: 0, host: '127.0.0.1', secret, origins: [pageOrigin], hospital, metricsToken, ...testLimits });
        // A second relay that lists another site only, so our page's origin is refused.
        refusing = await createRelay({ port: 0, host: '127.0.0.1', secret, origins: ['https://elsewhere.example'], ...testLimits });
        // A relay that waits only 1.5 s for someone whose connection dropped, for the tests of
        // what happens after the grace period (requeue, a survivor who does not come back).
        shortGrace = await createRelay({ port: 0, host: '127.0.0.1', secret, origins: [pageOrigin], hospital, resumeGraceMs: 1_500, ...testLimits });
        // A relay whose hospital rewords some strings (the languages tests).
        withStrings = await createRelay({ port: 0, host: '127.0.0.1', secret, origins: [pageOrigin], hospital, strings: hospitalStrings, ...testLimits });
        token = await signPeerToken(secret, { name: 'Robin', maxChats: 2, ttlSeconds: 3600 });
        signToken = (ttlSeconds, name = 'Robin', role = 'peer') => signPeerToken(secret, { name, maxChats: 2, role, ttlSeconds });
      } catch (error) {
        // Leave the relay-backed tests to fail with this reason rather than the whole run.
        problem = `relay not available: ${error instanceof Error ? error.message : String(error)} (run \`npx tsc -b && npx rollup -c\`)`;
      }
    },
    async serverStop() {
      await relay?.close();
      await refusing?.close();
      await shortGrace?.close();
      await withStrings?.close();
    },
    async serve(context) {
      if (context.path === '/__kindred-test-relay.json') {
        const body = relay ? { url: relay.url, refusingUrl: refusing.url, shortGraceUrl: shortGrace.url, stringsUrl: withStrings.url, token } : { problem };
        return { body: JSON.stringify(body), type: 'json' };
      }
      // A fresh sign-in token that lives `seconds` (1 to 60), for the tests of what happens at expiry.
      // `&role=supervisor` signs in a supervisor and `&name=` another peer than Robin (the board,
      // transfer and supervision tests need several people); those live an hour unless `seconds` is given.
      if (context.path === '/__kindred-test-token.json' && signToken) {
        const params = context.URL.searchParams;
        const role = params.get('role') === 'supervisor' ? 'supervisor' : 'peer';
        const name = (params.get('name') ?? '').trim().slice(0, 40) || 'Robin';
        const named = params.has('role') || params.has('name');
        const seconds = named && !params.has('seconds') ? 3600 : Math.min(60, Math.max(1, Number(params.get('seconds')) || 1));
        return { body: JSON.stringify({ token: await signToken(seconds, name, role) }), type: 'json' };
      }
      // The relay's "Did this chat help?" counts, read from its /metrics as an operator would.
      if (context.path === '/__kindred-test-feedback.json' && relay) {
        const text = await (await fetch(`${relay.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
        const count = (answer) => Number(new RegExp(`^kindred_chat_feedback_total\\{answer="${answer}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
        return { body: JSON.stringify({ yes: count('yes'), no: count('no') }), type: 'json' };
      }
      if (context.path === '/__kindred-fake/frame') return { body: fakeFrame, type: 'html' };
      if (context.path === '/__kindred-fake/configured/frame') return { body: fakeFrame, type: 'html' };
      if (context.path === '/__kindred-fake/exit-asks/frame') return { body: fakeFrame, type: 'html' };
      if (context.path === '/__kindred-fake/rogue') return { body: rogueFrame, type: 'html' };
      return undefined;
    },
  };
}

/**
 * A relay whose hospital offers topics and languages, with short offers, for the matching and
 * offer tests (`topic-choice.test.ts`, `console-offer.test.ts`): `/__kindred-test-matching.json`
 * gives its URL and sign-in tokens for Ana (Spanish, one chat) and Ben (English, two chats).
 */
function matchingRelayPlugin() {
  let relay;
  let body;
  return {
    name: 'kindred-test-matching-relay',
    async serverStart() {
      try {
        const { createRelay, signPeerToken } = await import('@kindred/server');
        const matchingHospital = {
          ...hospital,
          topics: [
            { id: 'injury', label: 'After an injury', labels: { es: 'Después de una lesión' } },
            { id: 'assault', label: 'After an assault' },
          ],
          languages: ['en', 'es', 'ar'],
        };
        relay = await createRelay({ port: 0, host: '127.0.0.1', secret, origins: [pageOrigin], hospital: matchingHospital, offerMs: 4_000, matchWaitMs: 60_000, ...testLimits });
        const sign = (name, languages, maxChats) => signPeerToken(secret, { name, languages, maxChats, ttlSeconds: 3600 });
        body = { url: relay.url, tokens: { ana: await sign('Ana', ['es'], 1), ben: await sign('Ben', ['en'], 2) } };
      } catch (error) {
        body = { problem: `matching relay not available: ${error instanceof Error ? error.message : String(error)}` };
      }
    },
    async serverStop() {
      await relay?.close();
    },
    serve(context) {
      return context.path === '/__kindred-test-matching.json' ? { body: JSON.stringify(body), type: 'json' } : undefined;
    },
  };
}

/**
 * `executeServerCommand('kindred-frame-eval', { url, expression })`: evaluates `expression` in
 * the frame whose address starts with `url`, and returns its (JSON) value. The test page cannot
 * look into a cross-origin frame, which is the point of the frame; the browser's own debugging
 * protocol can, so the shell's tests can check what the real chat frame shows. `null` while no
 * such frame has loaded.
 */
function frameEvalPlugin() {
  return {
    name: 'kindred-frame-eval',
    async executeCommand({ command, payload, session }) {
      if (command !== 'kindred-frame-eval') return undefined;
      const page = session.browser.getPage(session.id);
      const frame = page.frames().find((each) => each.url().startsWith(payload.url));
      // A frame removed while we asked (the fixture went) answers like one not loaded yet.
      const gone = (error) => frame.detached || /target closed|detached|context was destroyed/i.test(String(error?.message));
      return frame ? frame.evaluate(payload.expression).catch((error) => (gone(error) ? null : Promise.reject(error))) : null;
    },
  };
}

export default {
  files: ['packages/widget/src/**/*.test.ts'],
  // Bare imports (lit, @kindred/protocol, the test libraries) resolve to their browser builds.
  // The widget has no socket.io-client to resolve: it speaks Socket.IO with internal/socket-client.ts.
  nodeResolve: { browser: true, exportConditions: ['browser'] },
  port,
  hostname: 'localhost',
  concurrency: 1,
  testFramework: { config: { timeout: 20_000 } },
  browsers: [chromeLauncher({ launchOptions: { executablePath, args: chromeArgs, headless: true } })],
  plugins: [esbuildPlugin({ ts: true, tsconfig: 'packages/widget/tsconfig.json' }), relayPlugin(), frameEvalPlugin(), matchingRelayPlugin()],
};
