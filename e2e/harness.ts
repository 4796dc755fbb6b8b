// SPDX-License-Identifier: Apache-2.0
/**
 * End-to-end harness: a real relay, a hospital site on another origin serving the page from
 * examples/ exactly as a hospital would, and Debian's Chromium driven by playwright-core.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Frame, type Page } from 'playwright-core';
import type { HospitalInfo } from '@kindred/protocol';
import { createRelay, signPeerToken, type Relay } from '@kindred/server';
import { chromeArgs, chromePath } from '../scripts/chrome.mjs';

export const secret = 'e2e-secret-that-is-long-enough-0123456789';

/**
 * A person at their own browser (a fresh Chromium with an empty profile), closed after the
 * test. `options` set up their screen: viewport, pixel ratio, reduced motion, forced colours.
 */
export async function person(options: BrowserContextOptions = {}): Promise<{ browser: Browser; context: BrowserContext; page: Page; violations: () => Promise<string[]> }> {
  const browser = await chromium.launch({ executablePath: chromePath(), args: chromeArgs, headless: true });
  after(() => browser.close());
  const context = await browser.newContext(options);
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
 * the relay is on http://127.0.0.1:PORT), under the strict policy docs/embed.md tells hospitals to send.
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
    // `/visiting` stands for any other page of the hospital's site with the chat on it, and
    // `/ar` for its Arabic page: the same page, marked as Arabic and right to left.
    if (path === '/' || path === '/index.html' || path === '/visiting' || path === '/ar') {
      let html = readFileSync(new URL('index.html', dir), 'utf8').replaceAll(exampleRelay, relayUrl);
      if (path === '/ar') html = html.replace('<html lang="en">', '<html lang="ar" dir="rtl">');
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

/** The chat's own document, inside the hospital page's iframe (once the launcher has loaded it). */
export async function chatDocument(page: Page): Promise<Frame> {
  for (let tries = 0; tries < 100; tries++) {
    const found = page.frames().find((frame) => new URL(frame.url()).pathname === '/frame');
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the chat frame never loaded');
}

/** The focused control of one document, as `focusedControl` reads it. */
export interface FocusedControl {
  /** Role and name, e.g. `button "Send"`; `nothing` when the body has focus, or another document. */
  control: string;
  /** How it shows focus: outline or ring, its thickness and its contrast with what is behind it. */
  ring: { kind: string; width: number; contrast: number } | null;
  /** Rendered, and inside its window. */
  inView: boolean;
}

/**
 * Colour arithmetic for the scripts below that run in the page: the colour painted behind a
 * node (its own and its ancestors' backgrounds, composited) and WCAG contrast. Expects
 * `parentOf` in scope; shared by the focus-ring and the boundary checks.
 */
export const colourFunctions = `  const rgba = (value) => {
    const match = /rgba?\\(([^)]+)\\)/.exec(value);
    if (!match) throw new Error('cannot read the colour ' + value);
    const parts = match[1].split(/[\\s,/]+/).filter(Boolean).map(Number);
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  };
  const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
  const backdrop = (from) => {
    const layers = [];
    for (let node = from; node; node = parentOf(node)) {
      const colour = rgba(getComputedStyle(node).backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] === 1) break;
    }
    return layers.reduceRight((below, layer) => over(layer, below), [255, 255, 255, 1]);
  };
  const luminance = (c) => [0.2126, 0.7152, 0.0722].reduce((sum, weight, i) => {
    const s = c[i] / 255;
    return sum + weight * (s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4);
  }, 0);
  const contrast = (a, b) => {
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
  };
`;

/**
 * Reads the focused control of the document it runs in (looking into open shadow roots, not
 * into iframes): its role and name as a screen reader would roughly say them, and its focus
 * indicator. The same reading as `describeControl` and `focusIndicator` in the widget's test
 * harness (packages/widget/src/testing/harness.ts), written as a string: tsx would wrap named
 * functions in a helper that does not exist inside the page.
 */

const focusedControlScript = `(() => {
  // A document keeps its active element when focus leaves it for another frame: only one
  // that has the keyboard's focus (itself or a frame inside it) has a focused control.
  if (!document.hasFocus()) return { control: 'nothing', ring: null, inView: false };
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body || el === document.documentElement) return { control: 'nothing', ring: null, inView: false };
  const parentOf = (node) => node.assignedSlot || node.parentElement || (node.getRootNode() instanceof ShadowRoot ? node.getRootNode().host : null);
  const words = (value) => value.replace(/\\s+/g, ' ').trim();
  const contentName = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return node.data;
    if (node.nodeType !== Node.ELEMENT_NODE || node.getAttribute('aria-hidden') === 'true') return '';
    const inner = [...node.childNodes].map(contentName).join('');
    return getComputedStyle(node).display === 'inline' ? inner : ' ' + inner + ' ';
  };
  const label = (control) => words((control.labels && control.labels[0] && control.labels[0].textContent) || control.getAttribute('aria-label') || '');
  let control;
  if (el instanceof HTMLInputElement) control = ((el.type === 'radio' || el.type === 'checkbox') ? el.type : 'textbox') + ' "' + label(el) + '"';
  else if (el instanceof HTMLTextAreaElement) control = 'textbox "' + label(el) + '"';
  else if (el instanceof HTMLSelectElement) control = 'combobox "' + label(el) + '"';
  else if (el instanceof HTMLIFrameElement) control = 'iframe "' + el.title + '"';
  else {
    const role = el.getAttribute('role') || (el.localName === 'a' ? 'link' : el.localName);
    control = role + ' "' + (el.getAttribute('aria-label') || words(contentName(el))) + '"';
  }
${colourFunctions}  const style = getComputedStyle(el);
  let ring = null;
  if (el instanceof HTMLIFrameElement) ring = null;
  else if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) {
    const behind = parseFloat(style.outlineOffset) >= 0 ? backdrop(parentOf(el)) : backdrop(el);
    ring = { kind: 'outline', width: parseFloat(style.outlineWidth), contrast: style.outlineStyle === 'auto' ? Infinity : contrast(over(rgba(style.outlineColor), behind), behind) };
  } else if (style.boxShadow !== 'none') {
    const colour = (/rgba?\\([^)]+\\)/.exec(style.boxShadow) || [style.color])[0];
    const lengths = style.boxShadow.replace(/rgba?\\([^)]+\\)/, '').match(/-?[\\d.]+px/g) || [];
    const behind = style.boxShadow.includes('inset') ? backdrop(el) : backdrop(parentOf(el));
    ring = { kind: 'box-shadow', width: Math.abs(parseFloat(lengths[3] || '0')), contrast: contrast(over(rgba(colour), behind), behind) };
  } else ring = { kind: 'none', width: 0, contrast: 1 };
  const box = el.getBoundingClientRect();
  const inView = el.checkVisibility() && box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth;
  return { control, ring, inView };
})()`;

/** The focused control of `target` (a page or one of its frames); see {@link FocusedControl}. */
export function focusedControl(target: Page | Frame): Promise<FocusedControl> {
  return target.evaluate(focusedControlScript) as Promise<FocusedControl>;
}

/**
 * Fails unless `focused` shows a focus indicator a person can see: an outline or ring at
 * least 2 CSS px thick with 3:1 contrast against what it is drawn on (WCAG 2.4.7, 1.4.11),
 * on a control in view (2.4.11).
 */
export function assertFocusVisible(focused: FocusedControl): void {
  const { control, ring, inView } = focused;
  if (!ring || ring.kind === 'none') throw new Error(`${control} shows no focus indicator`);
  if (ring.width < 2) throw new Error(`${control}: the focus ${ring.kind} is ${ring.width}px thick, under 2px`);
  if (ring.contrast < 3) throw new Error(`${control}: the focus ${ring.kind} has ${ring.contrast.toFixed(2)}:1 contrast, under 3:1`);
  if (!inView) throw new Error(`${control} has focus but is not in view`);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core (WCAG 2.2 AA rules, `target-size` included) in `target`, on `include` (a
 * selector) or the whole document, and returns each violation as one line. axe goes in
 * through the DevTools protocol, which no page's Content-Security-Policy stops. `region` is
 * off on a host page: the hospital decides its landmarks, and the widget sits outside them.
 */
export async function axeViolations(target: Page | Frame, include?: string): Promise<string[]> {
  await target.evaluate(axeSource);
  const rules = JSON.stringify({ 'target-size': { enabled: true }, ...(include ? { region: { enabled: false } } : {}) });
  return target.evaluate(`axe.run(${include ? JSON.stringify(include) : 'document'}, { rules: ${rules} })
    .then((results) => results.violations.map((v) => v.id + ': ' + v.help + ' ' + JSON.stringify(v.nodes.map((node) => node.target))))`) as Promise<string[]>;
}
