// SPDX-License-Identifier: Apache-2.0
/**
 * How the chat works for people who set up their screen their own way (issue #8, WCAG 2.2
 * AA), on a real hospital page with the chat in its cross-origin frame, emulated in
 * Chromium by playwright-core:
 *
 * - `prefers-reduced-motion: reduce`: nothing in the shell, the frame or the console moves for
 *   longer than a token 0.01 s, and nothing scrolls smoothly (WCAG 2.3.3).
 * - Forced colours (Windows High Contrast): every control keeps a visible boundary, the
 *   launcher and Send are still buttons a person can pick out, and focus still shows (1.4.11,
 *   2.4.7).
 * - 200 % zoom. Decided method: a 1280×800 window at 200 % is a 640×400 CSS-pixel viewport at
 *   a device pixel ratio of 2, which is what Chromium's page zoom gives a page (media queries,
 *   `vw`/`vh` and layout all see 640×400). Emulated as exactly that, a context with that
 *   viewport and `deviceScaleFactor: 2`; not pinch zoom (`Emulation.setPageScaleFactor`),
 *   which magnifies without reflowing and so tests nothing of WCAG 1.4.4.
 * - A 320 CSS px wide viewport (1.4.10 reflow; 320×568, the smallest phone in common use):
 *   the open chat fits, nothing scrolls sideways in the page or the frame, and Start chat, the
 *   message box and Send are visible and work.
 *
 * - Arabic, right to left, on the same 320 px screen: the mirrored layout reflows too.
 *
 * In each, axe runs on the shell and on the frame's whole document and must find nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BrowserContextOptions, Frame, Locator, Page } from 'playwright-core';
import { consoleStrings as arabicConsole } from '../packages/widget/src/locales/ar/console.js';
import { frameStrings as arabicFrame } from '../packages/widget/src/locales/ar/frame.js';
import { shellAr as arabicShell } from '../packages/widget/src/locales/ar/shell.js';
import { assertFocusVisible, axeViolations, chatDocument, colourFunctions, exampleHospital, focusedControl, hospitalWithRelay, person, signInLink } from './harness.js';

type Target = Page | Frame;

/**
 * Everything that moves for longer than 0.01 s, or scrolls smoothly, in a document and every
 * open shadow root in it (pseudo-elements included), each as `<tag.class> what`.
 */
const motionScript = `(() => {
  const found = [];
  const seconds = (list) => Math.max(...list.split(',').map((each) => (each.trim().endsWith('ms') ? parseFloat(each) / 1000 : parseFloat(each))));
  const check = (el, pseudo) => {
    const style = getComputedStyle(el, pseudo);
    const name = '<' + el.localName + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + (el.getAttribute('part') ? ' part=' + el.getAttribute('part') : '') + '>' + (pseudo || '');
    if (style.transitionProperty !== 'none' && seconds(style.transitionDuration) > 0.01) found.push(name + ' transition ' + style.transitionProperty + ' ' + style.transitionDuration);
    if (style.animationName !== 'none' && seconds(style.animationDuration) > 0.01) found.push(name + ' animation ' + style.animationName + ' ' + style.animationDuration);
    if (!pseudo && style.scrollBehavior === 'smooth') found.push(name + ' scroll-behavior smooth');
  };
  const visit = (root) => {
    for (const el of root.querySelectorAll('*')) {
      check(el, '');
      check(el, '::before');
      check(el, '::after');
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  check(document.documentElement, '');
  visit(document);
  return found;
})()`;

function moving(target: Target): Promise<string[]> {
  return target.evaluate(motionScript) as Promise<string[]>;
}

/**
 * Sideways overflow in a document, its shadow roots included (WCAG 1.4.10): the page scrolls
 * sideways, a scroll container scrolls sideways, or a rendered box reaches past the window's
 * left or right edge. Visually hidden text (clipped to nothing) does not count.
 */
const overflowScript = `(() => {
  const found = [];
  const root = document.scrollingElement || document.documentElement;
  // The layout viewport's width (a mobile browser's innerWidth grows to fit what overflows).
  const width = document.documentElement.clientWidth;
  if (root.scrollWidth > root.clientWidth) found.push('the page scrolls sideways: ' + root.scrollWidth + ' > ' + root.clientWidth);
  const visit = (scope) => {
    for (const el of scope.querySelectorAll('*')) {
      const style = getComputedStyle(el);
      const name = '<' + el.localName + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + (el.getAttribute('part') ? ' part=' + el.getAttribute('part') : '') + '>';
      const hidden = style.clip === 'rect(0px, 0px, 0px, 0px)' || style.clipPath === 'inset(50%)';
      if (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1) found.push(name + ' scrolls sideways: ' + el.scrollWidth + ' > ' + el.clientWidth);
      const box = el.getBoundingClientRect();
      if (!hidden && box.width > 0 && el.checkVisibility() && (box.left < -1 || box.right > width + 1)) found.push(name + ' reaches past the window: ' + Math.round(box.left) + '..' + Math.round(box.right) + ' of ' + width);
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  visit(document);
  return found;
})()`;

function overflow(target: Target): Promise<string[]> {
  return target.evaluate(overflowScript) as Promise<string[]>;
}

/**
 * How a control stands out in forced colours: its border (each side's style, width and
 * colour), its fill and text colours, and the colour behind it. Run as a locator function.
 */
const boundaryScript = `(el) => {
  const parentOf = (node) => node.assignedSlot || node.parentElement || (node.getRootNode() instanceof ShadowRoot ? node.getRootNode().host : null);
${colourFunctions}  const style = getComputedStyle(el);
  const behind = backdrop(parentOf(el));
  const fill = backdrop(el);
  const sides = ['Top', 'Right', 'Bottom', 'Left'].map((side) => ({
    style: style['border' + side + 'Style'],
    width: parseFloat(style['border' + side + 'Width']),
    contrast: contrast(over(rgba(style['border' + side + 'Color']), behind), behind),
  }));
  return {
    forced: matchMedia('(forced-colors: active)').matches,
    sides,
    fillContrast: contrast(fill, behind),
    textContrast: contrast(over(rgba(style.color), fill), fill),
  };
}`;

/**
 * A function made at run time from its source, so that playwright hands the page exactly that
 * source: written as TypeScript here, tsx would wrap its inner functions in a helper the page lacks.
 */
const pageFunction = <T>(source: string): ((el: Element) => T) => new Function(`return ${source}`)() as (el: Element) => T;

interface Boundary {
  forced: boolean;
  sides: Array<{ style: string; width: number; contrast: number }>;
  fillContrast: number;
  textContrast: number;
}

/**
 * Fails unless `control` can be told apart in forced colours: a border on every side, at
 * least 1px, 3:1 against what is behind it (a transparent-only border vanishes), and its
 * text 4.5:1 against its own fill.
 */
async function assertBoundary(control: Locator, what: string): Promise<void> {
  const seen = await control.evaluate(pageFunction<Boundary>(boundaryScript));
  assert.equal(seen.forced, true, `${what}: forced colours are not on`);
  for (const side of seen.sides) {
    assert.ok(side.style !== 'none' && side.style !== 'hidden' && side.width >= 1, `${what} has no border on a side: ${JSON.stringify(seen.sides)}`);
    assert.ok(side.contrast >= 3, `${what}: its border does not show against what is behind it: ${JSON.stringify(seen.sides)}`);
  }
  assert.ok(seen.textContrast >= 4.5, `${what}: its text has ${seen.textContrast.toFixed(2)}:1 contrast with its fill`);
}

/** What a pointer at the centre of a control would hit: `itself`, or the element in the way. */
const hitScript = `(el) => {
  const box = el.getBoundingClientRect();
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  let hit = document.elementFromPoint(x, y);
  while (hit && hit.shadowRoot) {
    const deeper = hit.shadowRoot.elementFromPoint(x, y);
    if (!deeper || deeper === hit) break;
    hit = deeper;
  }
  return hit === el || el.contains(hit) ? 'itself' : hit ? '<' + hit.localName + ' class=' + hit.className + '>' : 'nothing';
}`;

/**
 * Fails unless `control` is rendered inside `viewport` (a box in the host page's CSS pixels),
 * once scrolled to, and is what a pointer at its centre would hit.
 */
async function assertUsable(control: Locator, viewport: { x: number; y: number; width: number; height: number }, what: string): Promise<void> {
  await control.scrollIntoViewIfNeeded();
  const box = await control.boundingBox();
  assert.ok(box, `${what} is not rendered`);
  assert.ok(
    box.x >= viewport.x - 1 && box.y >= viewport.y - 1 && box.x + box.width <= viewport.x + viewport.width + 1 && box.y + box.height <= viewport.y + viewport.height + 1,
    `${what} is not inside its window: ${JSON.stringify(box)} in ${JSON.stringify(viewport)}`,
  );
  const hit = await control.evaluate(pageFunction<string>(hitScript));
  assert.equal(hit, 'itself', `${what} is covered by ${hit}`);
}

/** The hospital page with the chat open and a chat going on with a peer: the state most screens show. */
async function openChat(screen: BrowserContextOptions, peerScreen: BrowserContextOptions = {}) {
  const { site, relay } = await hospitalWithRelay(exampleHospital());
  const survivor = await person(screen);
  const peer = await person(peerScreen);
  await peer.page.goto(await signInLink(relay.url, 'Robin'));
  await peer.page.getByRole('button', { name: 'Go on duty' }).click();
  await peer.page.getByText('You are on duty.').waitFor();
  const { page } = survivor;
  await page.goto(site.url);
  await page.getByRole('button', { name: /chat/i }).click();
  const chat = await chatDocument(page);
  await chat.getByRole('heading', { name: 'What stays private' }).waitFor();
  return { site, relay, survivor, peer, page, chat };
}

/** Starts the chat, has the peer accept, and trades a message each way (a long address among them). */
async function converse(chat: Frame, peerPage: Page, send: (box: Locator) => Promise<void>): Promise<void> {
  await chat.getByRole('button', { name: 'Start chat' }).click();
  await peerPage.getByRole('button', { name: /^Accept/ }).click();
  await chat.getByRole('heading', { name: 'You are talking with Robin' }).waitFor();
  await send(chat.getByRole('textbox', { name: 'Message' }));
  await peerPage.getByRole('log').getByText('I would like to talk about the accident.').waitFor();
  const reply = peerPage.getByRole('textbox', { name: 'Message' });
  // An unbroken address wider than any phone: it must wrap, not push the chat sideways.
  await reply.fill('This page helped me: https://example.org/support/after-a-road-traffic-collision/what-to-expect-in-the-first-weeks');
  await reply.press('Enter');
  await chat.getByRole('log').getByText('This page helped me:').waitFor();
}

test('prefers-reduced-motion: nothing in the shell, the frame or the console moves for longer than 0.01 s', { timeout: 90_000 }, async () => {
  const { page, chat, peer } = await openChat({}, {});
  await converse(chat, peer.page, async (box) => {
    await box.fill('I would like to talk about the accident.');
    await box.press('Enter');
  });
  // Without the preference the conversation scrolls smoothly to a new message: the check below
  // sees motion when there is some.
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  assert.ok((await moving(chat)).some((each) => each.includes('scroll-behavior smooth')), 'the log is expected to scroll smoothly without the preference');

  await page.emulateMedia({ reducedMotion: 'reduce' });
  await peer.page.emulateMedia({ reducedMotion: 'reduce' });
  assert.deepEqual(await moving(page), [], 'the hospital page with the shell');
  assert.deepEqual(await moving(chat), [], 'the chat frame');
  assert.deepEqual(await moving(peer.page), [], 'the console');
  // Closed, with the launcher and its badge, too.
  await chat.getByRole('button', { name: 'Minimise chat' }).click();
  const reply = peer.page.getByRole('textbox', { name: 'Message' });
  await reply.fill('Take your time.');
  await reply.press('Enter');
  await page.getByRole('button', { name: /1 unread message/ }).waitFor();
  assert.deepEqual(await moving(page), [], 'the hospital page with the closed shell and its badge');
});

test('forced colours: every control keeps a visible boundary, the launcher and Send stand out, focus shows', { timeout: 90_000 }, async () => {
  const { page, chat, peer } = await openChat({ forcedColors: 'active' }, { forcedColors: 'active' });
  const shell = page.locator('kindred-chat');
  await assertBoundary(shell.getByRole('button', { name: 'Chat with a peer' }), 'the launcher');
  await assertBoundary(shell.getByRole('button', { name: 'Quick exit' }), "the shell's Quick exit");
  await assertBoundary(chat.getByRole('button', { name: 'Quick exit' }), "the chat's Quick exit");
  await assertBoundary(chat.getByRole('button', { name: 'Minimise chat' }), 'Minimise chat');
  await assertBoundary(chat.getByRole('button', { name: 'Start chat' }), 'Start chat');
  assert.deepEqual(await axeViolations(page, 'kindred-chat'), [], 'axe on the shell');
  assert.deepEqual(await axeViolations(chat), [], 'axe on the first screen');

  await converse(chat, peer.page, async (box) => {
    await box.fill('I would like to talk about the accident.');
    await box.press('Enter');
  });
  await assertBoundary(chat.getByRole('textbox', { name: 'Message' }), 'the message box');
  await assertBoundary(chat.getByRole('button', { name: 'Send' }), 'Send');
  await assertBoundary(chat.getByRole('button', { name: 'End chat' }), 'End chat');
  await assertBoundary(chat.getByRole('log'), 'the conversation');
  await assertBoundary(chat.locator('.bubble').first(), 'a message bubble');
  await assertBoundary(peer.page.getByRole('button', { name: 'Send' }), "the console's Send");
  assert.deepEqual(await axeViolations(chat), [], 'axe while chatting');
  assert.deepEqual(await axeViolations(peer.page), [], 'axe on the console');

  // Focus still shows, on the page and in the frame, for someone using the keyboard.
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.querySelector('kindred-chat')?.hasAttribute('open') === false);
  for (const [key, expected] of [
    ['Shift+Tab', 'button "Quick exit"'],
    ['Tab', 'button "Chat with a peer"'],
  ] as const) {
    await page.keyboard.press(key);
    const now = await focusedControl(page);
    assert.equal(now.control, expected);
    assertFocusVisible(now);
  }
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('kindred-chat')?.hasAttribute('open') === true);
  const box = await focusedControl(chat);
  assert.equal(box.control, 'textbox "Message"');
  assertFocusVisible(box);
  await page.keyboard.press('Tab');
  const send = await focusedControl(chat);
  assert.equal(send.control, 'button "Send"');
  assertFocusVisible(send);
});

for (const { title, screen } of [
  { title: '200 % zoom (a 1280×800 window: 640×400 CSS px at 2×)', screen: { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 } },
  { title: 'a 320 px wide viewport (WCAG 1.4.10 reflow)', screen: { viewport: { width: 320, height: 568 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } },
] satisfies Array<{ title: string; screen: BrowserContextOptions }>) {
  test(`${title}: the open chat fits with nothing sideways; Start chat, the message box and Send are visible and work`, { timeout: 90_000 }, async () => {
    const { page, chat, peer } = await openChat(screen, screen);
    const viewport = screen.viewport;
    // The shell on the hospital page: the bar and the open panel inside the window.
    const frameBox = (await page.locator('iframe[title="Peer support chat"]').boundingBox())!;
    assert.ok(frameBox.x >= 0 && frameBox.y >= 0 && frameBox.x + frameBox.width <= viewport.width && frameBox.y + frameBox.height <= viewport.height, `the panel does not fit: ${JSON.stringify(frameBox)}`);
    for (const name of ['Quick exit', 'Chat with a peer']) {
      const box = (await page.locator('kindred-chat').getByRole('button', { name }).boundingBox())!;
      assert.ok(box.x >= 0 && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height, `${name} is not inside the window: ${JSON.stringify(box)}`);
    }
    assert.deepEqual(await overflow(page), [], 'the hospital page');
    assert.deepEqual(await overflow(chat), [], 'the first screen');
    await assertUsable(chat.getByRole('button', { name: 'Start chat' }), frameBox, 'Start chat');
    assert.deepEqual(await axeViolations(page, 'kindred-chat'), [], 'axe on the shell');
    assert.deepEqual(await axeViolations(chat), [], 'axe on the first screen');

    await converse(chat, peer.page, async (box) => {
      await assertUsable(box, frameBox, 'the message box');
      await box.fill('I would like to talk about the accident.');
      const send = chat.getByRole('button', { name: 'Send' });
      await assertUsable(send, frameBox, 'Send');
      await send.click();
    });
    assert.deepEqual(await overflow(chat), [], 'the conversation');
    assert.deepEqual(await overflow(page), [], 'the hospital page, chat open');
    await assertUsable(chat.getByRole('button', { name: 'Send' }), frameBox, 'Send while chatting');
    assert.deepEqual(await axeViolations(chat), [], 'axe while chatting');
    // The peer on the same small screen: the console reflows too.
    assert.deepEqual(await overflow(peer.page), [], 'the console');
    assert.deepEqual(await axeViolations(peer.page), [], 'axe on the console');
  });
}

test('in Arabic, right to left, on a 320 px screen: nothing sideways, focus shows, axe finds nothing in the shell, the frame or the console', { timeout: 90_000 }, async () => {
  const { site, relay } = await hospitalWithRelay(exampleHospital());
  // Both people's browsers prefer Arabic; the hospital's page is its Arabic page.
  const screen: BrowserContextOptions = { viewport: { width: 320, height: 568 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'ar' };
  const survivor = await person(screen);
  const peer = await person(screen);
  const { page } = survivor;
  await peer.page.goto(await signInLink(relay.url, 'Robin'));
  await peer.page.getByRole('button', { name: arabicConsole.goOnDuty }).click();
  await peer.page.getByText(arabicConsole.onDuty).waitFor();
  assert.equal(await peer.page.evaluate(`document.documentElement.dir`), 'rtl', 'the console is right to left');

  await page.goto(`${site.origin}/ar`);
  await page.getByRole('button', { name: arabicShell.launcher }).click();
  const chat = await chatDocument(page);
  const start = chat.getByRole('button', { name: arabicFrame.startChat });
  await start.waitFor();
  assert.equal(await chat.evaluate(`document.documentElement.dir`), 'rtl', 'the frame is right to left');
  const frameBox = (await page.locator('iframe').boundingBox())!;
  assert.deepEqual(await overflow(page), [], 'the hospital page');
  assert.deepEqual(await overflow(chat), [], 'the first screen');
  assert.deepEqual(await axeViolations(page, 'kindred-chat'), [], 'axe on the shell');
  assert.deepEqual(await axeViolations(chat), [], 'axe on the first screen');
  await assertUsable(start, frameBox, 'Start chat');
  await start.click();

  await peer.page.getByRole('button', { name: new RegExp(`^${arabicConsole.acceptShort}`) }).click();
  const box = chat.getByRole('textbox', { name: arabicFrame.message });
  // The name comes inside bidi isolation marks, so the heading is matched by its words.
  await chat.getByRole('heading', { name: new RegExp(`^${arabicFrame.talkingWith.split('{name}')[0]!.trim()}`) }).waitFor();
  await assertUsable(box, frameBox, 'the message box');
  await box.fill('أريد أن أتحدث عن الحادث.');
  const send = chat.getByRole('button', { name: arabicFrame.send });
  await assertUsable(send, frameBox, 'Send');
  await send.click();
  await peer.page.getByRole('log').getByText('أريد أن أتحدث عن الحادث.').waitFor();
  const reply = peer.page.getByRole('textbox', { name: arabicFrame.message });
  await reply.fill('هذه الصفحة قد تساعدك: https://example.org/support/after-a-road-traffic-collision/what-to-expect-in-the-first-weeks');
  await reply.press('Enter');
  await chat.getByRole('log').getByText('https://example.org/support', { exact: false }).waitFor();

  assert.deepEqual(await overflow(chat), [], 'the conversation');
  assert.deepEqual(await overflow(page), [], 'the hospital page, chat open');
  assert.deepEqual(await overflow(peer.page), [], 'the console');
  assert.deepEqual(await axeViolations(chat), [], 'axe while chatting');
  assert.deepEqual(await axeViolations(peer.page), [], 'axe on the console');
  // Focus shows in the mirrored layout, on both sides.
  for (const [target, from, keyboard] of [
    [chat, box, page.keyboard],
    [peer.page, reply, peer.page.keyboard],
  ] as const) {
    await from.focus();
    await keyboard.press('Tab');
    const now = await focusedControl(target);
    assert.equal(now.control, `button "${arabicFrame.send}"`);
    assertFocusVisible(now);
  }
});
