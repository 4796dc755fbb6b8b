// SPDX-License-Identifier: Apache-2.0
/**
 * End-to-end harness: a real relay, a hospital site on another origin serving the page from
 * examples/ exactly as a hospital would, and Debian's Chromium driven by playwright-core.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { HospitalInfo } from '@kindred/protocol';
import { createRelay, signPeerToken, type Relay } from '@kindred/server';
import { chromeArgs, chromePath } from '../scripts/chrome.mjs';

export const secret = 'e2e-secret-that-is-long-enough-0123456789';

/** A person at their own browser (a fresh Chromium with an empty profile), closed after the test. */
export async function person(): Promise<{ browser: Browser; context: BrowserContext; page: Page; violations: () => Promise<string[]> }> {
  const browser = await chromium.launch({ executablePath: chromePath(), args: chromeArgs, headless: true });
  after(() => browser.close());
  const context = await browser.newContext();
  // Record every Content-Security-Policy violation in every frame, ours and the host's.
  await context.addInitScript(() => {
    const seen: string[] = [];
    (globalThis as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  const page = await context.newPage();
  const violations = async () => {
    const all: string[] = [];
    for (const frame of page.frames()) {
      all.push(...(await frame.evaluate(() => (globalThis as unknown as { __violations?: string[] }).__violations ?? [])));
    }
    return all;
  };
  return { browser, context, page, violations };
}

/** The example host page's relay address, which a hospital replaces with its own. */
const exampleRelay = 'http://localhost:8080';

/**
 * A hospital site serving examples/plain-html on its own origin (http://localhost:PORT, while
 * the relay is on http://127.0.0.1:PORT), under the strict policy the README tells hospitals to send.
 */
export interface HospitalSite {
  url: string;
  origin: string;
  server: Server;
  /** The relay the page embeds; set once the relay (which must list this site's origin) is up. */
  relayUrl: string;
}

export async function hospitalSite(): Promise<HospitalSite> {
  const dir = new URL('../examples/plain-html/', import.meta.url);
  const server = createServer((req, res) => {
    const relayUrl = site.relayUrl;
    const path = (req.url ?? '/').split('?')[0];
    // `/visiting` stands for any other page of the hospital's site with the chat on it.
    if (path === '/' || path === '/index.html' || path === '/visiting') {
      const html = readFileSync(new URL('index.html', dir), 'utf8').replaceAll(exampleRelay, relayUrl);
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': [
          "default-src 'self'",
          `script-src 'self' ${relayUrl}`,
          "style-src 'self'",
          `frame-src ${relayUrl}`,
          "img-src 'self' data:",
          "object-src 'none'",
          "base-uri 'none'",
          "require-trusted-types-for 'script'",
        ].join('; '),
      });
      res.end(html);
    } else if (path === '/hospital.css') {
      res.writeHead(200, { 'Content-Type': 'text/css' }).end(readFileSync(new URL('hospital.css', dir)));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  const site: HospitalSite = { url: `${origin}/`, origin, server, relayUrl: '' };
  return site;
}

/** The demo's realistic hospital configuration (emergency line 999, four resources). */
export function exampleHospital(): HospitalInfo {
  return JSON.parse(readFileSync(new URL('../examples/kindred.config.json', import.meta.url), 'utf8')).hospital;
}

/** A hospital site and a relay that lets it embed the chat. */
export async function hospitalWithRelay(hospital?: HospitalInfo): Promise<{ site: HospitalSite; relay: Relay }> {
  const site = await hospitalSite();
  const started = await relay([site.origin], hospital);
  site.relayUrl = started.url;
  return { site, relay: started };
}

/** A relay that lets `origins` embed the chat; closed after the file's tests. */
export async function relay(origins: string[], hospital?: HospitalInfo): Promise<Relay> {
  // Every person here connects from this one machine: the per-address limit is tested elsewhere.
  const started = await createRelay({ port: 0, host: '127.0.0.1', secret, origins, hospital, connectionsPerMinute: 0 });
  after(() => started.close());
  return started;
}

/** A console sign-in link for a peer, as a coordinator would hand out. */
export async function signInLink(relayUrl: string, name: string, maxChats = 2): Promise<string> {
  return `${relayUrl}/console#token=${await signPeerToken(secret, { name, maxChats, ttlSeconds: 3600 })}`;
}

/**
 * All text a script on the host page could read: the document, every open shadow root, and
 * each iframe's document where the browser allows it (for a cross-origin frame it does not).
 * Written as a string: the test runner's TypeScript transform would otherwise wrap named
 * functions in a helper that does not exist inside the page.
 */
export function hostReadableText(page: Page): Promise<string> {
  return page.evaluate(`(() => {
    const parts = [document.documentElement.textContent ?? ''];
    const walk = (root) => {
      for (const element of root.querySelectorAll('*')) {
        if (element.shadowRoot) {
          parts.push(element.shadowRoot.textContent ?? '');
          walk(element.shadowRoot);
        }
        if (element instanceof HTMLIFrameElement) parts.push(element.contentDocument?.documentElement.textContent ?? '');
      }
    };
    walk(document);
    return parts.join('\\n');
  })()`);
}
