// SPDX-License-Identifier: Apache-2.0
/**
 * What this protects: a message is text, on both sides, whatever is in it. Each row is sent
 * through the real relay survivor → peer (rendered in the console) and peer → survivor
 * (rendered in the frame). Its visible text must be exactly the payload; the bubble may hold
 * nothing but text and https links; no `javascript:`, `data:` or `http:` href may exist; and
 * `window.__xss`, which every payload tries to set, must stay unset. A failure here means a
 * peer or a survivor can run code in the other's browser: do not loosen these assertions.
 * Rows in the style of DOMPurify's test tables; titles name the technique.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { button, field, shadow, testRelay } from '../../testing/harness.js';
import { cleanUp, mountConsole, mountSurvivor, signInOnDuty, startAndAccept } from '../../testing/peer.js';
import type { KindredChatFrame } from '../chat-frame/chat-frame.js';
import type { KindredConsole } from '../console/console.js';

declare global {
  interface Window {
    __xss?: unknown;
  }
}

const rows: Array<{ title: string; payload: string; links?: string[] }> = [
  { title: 'script element', payload: '<script>window.__xss = 1</script>' },
  { title: 'img onerror', payload: '<img src=x onerror="window.__xss=1">' },
  { title: 'svg with script', payload: '<svg><script>window.__xss=1</script></svg>' },
  { title: 'svg onload', payload: '<svg onload="window.__xss=1"></svg>' },
  { title: 'MathML mutation XSS (DOMPurify 2.0.17 bypass)', payload: '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=1">' },
  { title: 'javascript: URL', payload: 'javascript:window.__xss=1' },
  { title: 'mixed-case JaVaScRiPt: URL', payload: 'JaVaScRiPt:window.__xss=1' },
  { title: 'data: URL with script', payload: 'data:text/html,<script>window.__xss=1</script>' },
  { title: 'attribute break-out after an https link', payload: 'https://x" onmouseover="window.__xss=1', links: ['https://x/'] },
  { title: 'textarea break-out', payload: '</textarea><script>window.__xss=1</script>' },
  { title: 'template injection (AngularJS sandbox escape)', payload: "{{constructor.constructor('window.__xss=1')()}}" },
  { title: 'Lit-looking markers', payload: '<!--?lit$123$--><?lit$1$>${window.__xss=1}' },
  { title: 'right-to-left override', payload: 'see \u202Egnp.exe\u202C <img src=x onerror="window.__xss=1">' },
  { title: 'zero-width space inside javascript:', payload: 'java\u200Bscript:window.__xss=1' },
  { title: 'full-width javascript:', payload: '\uFF4A\uFF41\uFF56\uFF41\uFF53\uFF43\uFF52\uFF49\uFF50\uFF54\uFF1Awindow.__xss=1' },
  { title: 'credentials in an https link', payload: 'https://bank.example@evil.example/' },
  { title: 'http: stays text', payload: 'http://evil.example/' },
];

/** The text a person sees in a bubble: the message, without the screen-reader-only hints. */
function visibleText(bubble: Element): string {
  const copy = bubble.querySelector('.text')!.cloneNode(true) as Element;
  for (const hidden of copy.querySelectorAll('.visually-hidden')) hidden.remove();
  return copy.textContent ?? '';
}

function expectOnlyTextAndHttpsLinks(root: ShadowRoot, bubble: Element, links: string[]): void {
  const body = bubble.querySelector('.text')!;
  for (const element of body.querySelectorAll('*')) {
    const allowed =
      (element.localName === 'a' && (element.getAttribute('href') ?? '').startsWith('https://')) ||
      (element.localName === 'span' && element.className === 'visually-hidden' && element.parentElement?.localName === 'a');
    expect(allowed, `unexpected <${element.localName}> in the bubble`).to.equal(true);
  }
  expect([...body.querySelectorAll('a')].map((a) => a.getAttribute('href'))).to.deep.equal(links);
  for (const a of root.querySelectorAll('a')) {
    expect(a.getAttribute('href') ?? '').to.not.match(/^\s*(javascript|data|http|vbscript):/i);
  }
}

/** Sends `payload` from one side and resolves with the new bubble on the other side. */
async function relay(from: ShadowRoot, to: ShadowRoot, payload: string): Promise<Element> {
  const before = to.querySelectorAll('.bubble.peer').length;
  field(from, 'Message').value = payload;
  button(from, 'Send').click();
  await waitUntil(() => to.querySelectorAll('.bubble.peer').length > before, 'message did not arrive', { timeout: 8_000 });
  return [...to.querySelectorAll('.bubble.peer')].at(-1)!;
}

describe('messages render as text (XSS table, through the real relay)', () => {
  let frame: KindredChatFrame;
  let peer: KindredConsole;

  before(async () => {
    const relay = await testRelay();
    frame = await mountSurvivor(relay.url);
    peer = await mountConsole(relay.url);
    await signInOnDuty(peer, relay.token);
    await startAndAccept(frame, peer);
  });

  after(async () => {
    // Ends the chat and removes both: the relay would otherwise hold it for its grace period.
    await cleanUp();
    delete window.__xss;
  });

  for (const row of rows) {
    it(`survivor → peer: ${row.title}`, async () => {
      const root = shadow(peer);
      const bubble = await relay(shadow(frame), root, row.payload);
      expect(visibleText(bubble)).to.equal(row.payload);
      expectOnlyTextAndHttpsLinks(root, bubble, row.links ?? []);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(window.__xss).to.equal(undefined);
    });

    it(`peer → survivor: ${row.title}`, async () => {
      const root = shadow(frame);
      const bubble = await relay(shadow(peer), root, row.payload);
      expect(visibleText(bubble)).to.equal(row.payload);
      expectOnlyTextAndHttpsLinks(root, bubble, row.links ?? []);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(window.__xss).to.equal(undefined);
    });
  }
});
