// SPDX-License-Identifier: Apache-2.0
/**
 * Test helpers: find things the way a person does (role and visible name), and throw when a
 * query misses so a test fails where the problem is. Not shipped (excluded from tsc's build).
 */
import { waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';

type AxeResults = { violations: Array<{ id: string; help: string; nodes: Array<{ target: unknown }> }> };
declare global {
  interface Window {
    axe?: { run(context: Element, options: object): Promise<AxeResults> };
  }
}

/** Text as a person reads it: white space collapsed. */
export function text(node: Node | null | undefined): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function all<T extends Element>(root: ParentNode, selector: string): T[] {
  return [...root.querySelectorAll<T>(selector)];
}

/** The shadow root of `element`, or throws. */
export function shadow(element: Element): ShadowRoot {
  if (!element.shadowRoot) throw new Error(`<${element.localName}> has no shadow root`);
  return element.shadowRoot;
}

/** The one button whose text matches `name`, or throws. */
export function button(root: ParentNode, name: RegExp | string): HTMLButtonElement {
  const matches = all<HTMLButtonElement>(root, 'button').filter((each) =>
    typeof name === 'string' ? text(each) === name : name.test(text(each)),
  );
  if (matches.length !== 1) {
    throw new Error(`expected one button named ${String(name)}, found ${matches.length}: ${all(root, 'button').map((each) => JSON.stringify(text(each))).join(', ')}`);
  }
  return matches[0]!;
}

/** True if a button named `name` is there. */
export function hasButton(root: ParentNode, name: RegExp | string): boolean {
  try {
    button(root, name);
    return true;
  } catch {
    return false;
  }
}

/** The form control labelled `label` (via <label for>), or throws. */
export function field<T extends HTMLElement = HTMLTextAreaElement>(root: ParentNode, label: string): T {
  const match = all<HTMLLabelElement>(root, 'label').find((each) => text(each) === label);
  const control = match?.htmlFor ? (root as ShadowRoot).getElementById?.(match.htmlFor) : undefined;
  if (!control) throw new Error(`no control labelled ${JSON.stringify(label)}`);
  return control as T;
}

/** The one element with `role`, or throws. */
export function role(root: ParentNode, name: string): HTMLElement {
  const matches = all<HTMLElement>(root, `[role="${name}"]`);
  if (matches.length !== 1) throw new Error(`expected one role=${name}, found ${matches.length}`);
  return matches[0]!;
}

/** Waits until `root`'s text matches, or fails naming what it saw. */
export async function waitForText(root: () => Node | null | undefined, pattern: RegExp | string, timeout = 8_000): Promise<void> {
  const matches = () => {
    const seen = text(root());
    return typeof pattern === 'string' ? seen.includes(pattern) : pattern.test(seen);
  };
  try {
    await waitUntil(matches, undefined, { timeout, interval: 25 });
  } catch {
    throw new Error(`timed out waiting for ${String(pattern)}; saw ${JSON.stringify(text(root()))}`);
  }
}

/**
 * Runs axe-core on `element` (shadow roots included) and throws on any violation. When a
 * test puts the frame and the console (each a whole page in real use) on one page,
 * `sharedPage` skips the rules about one banner/main/footer per page, which only that breaks.
 */
export async function expectAccessible(element: Element, { sharedPage = false } = {}): Promise<void> {
  if (!window.axe) {
    await new Promise<void>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = '/node_modules/axe-core/axe.min.js';
      script.onload = () => resolve();
      script.onerror = () => reject(new Error('axe-core did not load'));
      document.head.append(script);
    });
  }
  // `region` is about whole pages having landmarks; a component under test is not a page.
  // `iframes: false`: the chat frame is cross-origin and has no axe in it to answer; it is
  // checked on its own in the frame's tests. `target-size` is WCAG 2.2 AA (2.5.8), which
  // axe ships turned off; issue #8 holds us to 2.2 AA, so it is on.
  const rules: Record<string, { enabled: boolean }> = { region: { enabled: false }, 'target-size': { enabled: true } };
  if (sharedPage) {
    for (const id of ['landmark-no-duplicate-banner', 'landmark-no-duplicate-contentinfo', 'landmark-no-duplicate-main', 'landmark-unique']) rules[id] = { enabled: false };
  }
  const results = await window.axe!.run(element, { iframes: false, rules });
  if (results.violations.length > 0) {
    const summary = results.violations.map((each) => `${each.id}: ${each.help} (${JSON.stringify(each.nodes.map((node) => node.target))})`);
    throw new Error(`axe found ${results.violations.length} violation(s):\n${summary.join('\n')}`);
  }
}

/** The test relays this run started (see web-test-runner.config.mjs). */
export interface TestRelay {
  /** The relay most tests use (grace period: the default 2 minutes). */
  url: string;
  /** A relay that refuses this page's origin. */
  refusingUrl: string;
  /** A relay whose grace period is 1.5 s, for what happens after it. */
  shortGraceUrl: string;
  /** A peer token ("Robin", two chats) both relays accept. */
  token: string;
}

/** The test relays this run started (see web-test-runner.config.mjs). */
export async function testRelay(): Promise<TestRelay> {
  const response = await fetch('/__kindred-test-relay.json');
  const body = (await response.json()) as Partial<TestRelay> & { problem?: string };
  if (!body.url || !body.refusingUrl || !body.shortGraceUrl || !body.token) throw new Error(body.problem ?? 'test relay not available');
  return { url: body.url, refusingUrl: body.refusingUrl, shortGraceUrl: body.shortGraceUrl, token: body.token };
}

/** The element that has focus, looking into open shadow roots (not into iframes). */
export function focused(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** The parent in the flat tree: across slots and out of shadow roots. */
function flatParent(el: Element): Element | null {
  if (el.assignedSlot) return el.assignedSlot;
  if (el.parentElement) return el.parentElement;
  const root = el.getRootNode();
  return root instanceof ShadowRoot ? root.host : null;
}

/**
 * A focusable control as a screen reader would roughly say it: role and name, e.g.
 * `button "Send"`, `textbox "Message"`, `radio "Not sure"`. Enough to read a tab order in a
 * failure message and to compare it with the one we expect.
 */
export function describeControl(el: Element): string {
  const labelled = (control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement) =>
    text(control.labels?.[0]) || control.getAttribute('aria-label') || '';
  if (el instanceof HTMLInputElement) {
    const kind = el.type === 'radio' || el.type === 'checkbox' ? el.type : 'textbox';
    return `${kind} "${labelled(el)}"`;
  }
  if (el instanceof HTMLTextAreaElement) return `textbox "${labelled(el)}"`;
  if (el instanceof HTMLSelectElement) return `combobox "${labelled(el)}"`;
  if (el instanceof HTMLIFrameElement) return `iframe "${el.title}"`;
  const role = el.getAttribute('role') ?? (el.localName === 'a' ? 'link' : el.localName === 'summary' ? 'summary' : el.localName);
  const name = el.getAttribute('aria-label') ?? contentName(el).replace(/\s+/g, ' ').trim();
  return `${role} "${name}"`;
}

/**
 * A name from content, as browsers compute it: without `aria-hidden` parts, and with a space
 * where a box that is not inline starts or ends (so "peer" and a badge's "2 unread" stay apart).
 */
function contentName(node: Node): string {
  if (node instanceof Text) return node.data;
  if (!(node instanceof Element) || node.getAttribute('aria-hidden') === 'true') return '';
  const inner = [...node.childNodes].map(contentName).join('');
  return getComputedStyle(node).display === 'inline' ? inner : ` ${inner} `;
}

type Rgba = [number, number, number, number];

/** A computed colour (`rgb()`/`rgba()`, as getComputedStyle gives them) as numbers. */
function rgba(value: string): Rgba {
  const match = /rgba?\(([^)]+)\)/.exec(value);
  if (!match) throw new Error(`cannot read the colour ${JSON.stringify(value)}`);
  const [r = 0, g = 0, b = 0, a = 1] = match[1]!.split(/[\s,/]+/).filter(Boolean).map(Number);
  return [r, g, b, a];
}

/** `top` painted over `bottom` (straight alpha). */
function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top[3];
  return [top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a), top[2] * a + bottom[2] * (1 - a), 1];
}

/** WCAG 2.x relative luminance. */
function luminance([r, g, b]: Rgba): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** WCAG 2.x contrast ratio of two opaque colours. */
export function contrastRatio(a: Rgba, b: Rgba): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** The opaque colour behind `from`: its own background and its ancestors', over the white canvas. */
function backdrop(from: Element | null): Rgba {
  const layers: Rgba[] = [];
  for (let el = from; el; el = flatParent(el)) {
    const colour = rgba(getComputedStyle(el).backgroundColor);
    if (colour[3] > 0) layers.push(colour);
    if (colour[3] === 1) break;
  }
  return layers.reduceRight<Rgba>((below, layer) => over(layer, below), [255, 255, 255, 1]);
}

/** How a control shows that it has focus. */
export interface FocusIndicator {
  /** What draws it: an outline, a box-shadow ring, or nothing. */
  kind: 'outline' | 'box-shadow' | 'none';
  /** Its thickness in CSS pixels. */
  width: number;
  /** Contrast of its colour against what it is drawn on (WCAG 1.4.11 asks 3:1). */
  contrast: number;
}

/**
 * The focus indicator `el` shows now. An outline outside the box (offset ≥ 0) is drawn on the
 * parent's background, one inside on the control's own; a box-shadow ring likewise by its
 * inset keyword. Chromium's own `outline-style: auto` ring is two-tone, visible on any
 * colour, and counts as contrasting.
 */
export function focusIndicator(el: Element): FocusIndicator {
  const style = getComputedStyle(el);
  const outlineWidth = parseFloat(style.outlineWidth);
  if (style.outlineStyle !== 'none' && outlineWidth > 0) {
    if (style.outlineStyle === 'auto') return { kind: 'outline', width: outlineWidth, contrast: Infinity };
    const behind = parseFloat(style.outlineOffset) >= 0 ? backdrop(flatParent(el)) : backdrop(el);
    return { kind: 'outline', width: outlineWidth, contrast: contrastRatio(over(rgba(style.outlineColor), behind), behind) };
  }
  if (style.boxShadow !== 'none') {
    const colour = /rgba?\([^)]+\)/.exec(style.boxShadow)?.[0] ?? style.color;
    const lengths = style.boxShadow.replace(/rgba?\([^)]+\)/, '').match(/-?[\d.]+px/g) ?? [];
    const spread = Math.abs(parseFloat(lengths[3] ?? '0'));
    const behind = style.boxShadow.includes('inset') ? backdrop(el) : backdrop(flatParent(el));
    return { kind: 'box-shadow', width: spread, contrast: contrastRatio(over(rgba(colour), behind), behind) };
  }
  return { kind: 'none', width: 0, contrast: 1 };
}

/**
 * Throws unless `el` shows a focus indicator a person can see (WCAG 2.4.7): an outline or ring
 * at least 2 CSS px thick with 3:1 contrast against what it is drawn on (our bar, after
 * WCAG 2.4.13 and 1.4.11), on a control that is rendered and in the viewport (2.4.11).
 */
export function expectFocusVisible(el: Element): void {
  const indicator = focusIndicator(el);
  const what = describeControl(el);
  if (indicator.kind === 'none') throw new Error(`${what} shows no focus indicator`);
  if (indicator.width < 2) throw new Error(`${what}: the focus ${indicator.kind} is ${indicator.width}px thick, under 2px`);
  if (indicator.contrast < 3) throw new Error(`${what}: the focus ${indicator.kind} has ${indicator.contrast.toFixed(2)}:1 contrast, under 3:1`);
  const box = el.getBoundingClientRect();
  if (!el.checkVisibility() || box.width === 0 || box.height === 0) throw new Error(`${what} has focus but is not rendered`);
  if (box.bottom <= 0 || box.right <= 0 || box.top >= innerHeight || box.left >= innerWidth) throw new Error(`${what} has focus but is out of view`);
}

/**
 * Puts focus at the very start of this page, before anything a test added, as a page that
 * was just loaded has it: the next Tab goes to the first control. (A bare `blur()` would not
 * do: Chromium goes on from where the blurred element was.)
 */
export function focusPageStart(): void {
  const start = document.createElement('span');
  start.tabIndex = -1;
  document.body.prepend(start);
  start.focus();
  start.addEventListener('blur', () => start.remove(), { once: true });
}

/**
 * Presses Tab from the start of the page, as a keyboard user does, and returns every control in
 * `host` (its shadow root included) that focus reaches, in order, until focus has gone
 * through `host` and out of it again (or come back round to the first one). Checks each
 * control's focus indicator with {@link expectFocusVisible} as it goes.
 */
export async function tabThrough(host: Element, { limit = 80 } = {}): Promise<string[]> {
  const inside = (el: Element | null): el is Element => {
    for (let each = el; each; each = flatParent(each)) if (each === host) return true;
    return false;
  };
  // Described as they are reached: a name can change once focus has moved on.
  const reached: Array<{ el: Element; said: string }> = [];
  const names = () => reached.map((each) => each.said);
  // Something to land on after the last control: Tab past the end of the page would take
  // focus out to the browser's own UI, and the test pages after this one would never get it back.
  const end = document.createElement('span');
  end.tabIndex = 0;
  document.body.append(end);
  try {
    focusPageStart();
    for (let press = 0; press < limit; press++) {
      await sendKeys({ press: 'Tab' });
      const now = focused();
      if (!inside(now)) {
        if (reached.length > 0 || now === end) return names();
        continue;
      }
      if (now === reached[0]?.el) return names();
      // Focus inside a cross-origin iframe shows here as the iframe itself, for as many presses
      // as its document has controls: those are the frame's to check (its own tests do).
      if (now instanceof HTMLIFrameElement) {
        if (reached.at(-1)?.el !== now) reached.push({ el: now, said: describeControl(now) });
        continue;
      }
      expectFocusVisible(now);
      reached.push({ el: now, said: describeControl(now) });
    }
  } finally {
    end.remove();
  }
  throw new Error(`Tab never left <${host.localName}> in ${limit} presses: ${names().join(', ')}`);
}
