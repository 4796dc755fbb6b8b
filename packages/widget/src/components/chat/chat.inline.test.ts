// SPDX-License-Identifier: Apache-2.0
/**
 * `<kindred-chat mode="inline">`, for a hospital's "Talk to a peer" page: the chat in the page's
 * flow, the size the page gives it, loaded at once, with no launcher, its Quick exit first and
 * Start chat reachable by Tab. Against the real relay's frame.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { define } from '../../define.js';
import { inFrame, untilInFrame } from '../../testing/frame-eval.js';
import { expectAccessible, shadow, testRelay, text } from '../../testing/harness.js';
import { KindredChat } from './chat.js';

/** The shell with quick exit's navigation recorded instead of done (see chat.test.ts). */
class TestChat extends KindredChat {
  readonly navigations: string[] = [];
  protected override navigate(url: string): void {
    this.navigations.push(url);
  }
}
define('kindred-test-chat', TestChat);

const part = (el: KindredChat, name: string) => shadow(el).querySelector<HTMLElement>(`[part~="${name}"]`);
const iframe = (el: KindredChat) => shadow(el).querySelector('iframe');

/** The label of the control that has focus inside the chat frame, or null. */
const focusedInFrame = (relay: string) =>
  inFrame<string>(relay, `document.hasFocus() && chat()?.activeElement ? ((chat().activeElement.labels?.[0] ?? chat().activeElement).textContent.replace(/\\s+/g, ' ').trim()) : null`);

describe('<kindred-chat mode="inline">', () => {
  let relay: string;

  before(async () => {
    relay = (await testRelay()).url;
  });

  beforeEach(() => sessionStorage.clear());

  /** A "Talk to a peer" page: a heading, a button before the chat, the chat, and text after it. */
  /** The page sets the element's display, as a hospital's stylesheet may: the chat must fill it anyway. */
  async function page(chatStyle = 'display: block; height: 420px'): Promise<{ page: HTMLElement; el: TestChat; after: HTMLElement }> {
    const container = await fixture<HTMLElement>(html`<section style="width: 500px">
      <h2>Talk to a peer</h2>
      <button type="button">Before the chat</button>
      <kindred-test-chat mode="inline" server=${relay} style=${chatStyle}></kindred-test-chat>
      <p id="after">After the chat</p>
    </section>`);
    const el = container.querySelector<TestChat>('kindred-test-chat')!;
    await el.updateComplete;
    return { page: container, el, after: container.querySelector<HTMLElement>('#after')! };
  }

  it('sits in the page flow at the size the page gives it, with no launcher, and loads the chat at once', async () => {
    const opened: Event[] = [];
    const listen = (event: Event) => opened.push(event);
    document.addEventListener('kindred-open', listen);
    const { el, after } = await page();
    document.removeEventListener('kindred-open', listen);
    const box = el.getBoundingClientRect();
    expect([box.width, box.height]).to.deep.equal([500, 420]);
    expect(getComputedStyle(el).position).to.equal('static');
    // In the flow: what follows starts below it.
    expect(after.getBoundingClientRect().top).to.be.at.least(box.bottom);
    expect(part(el, 'launcher')!.checkVisibility()).to.equal(false);
    // The chat fills what the Quick exit's bar leaves, inside the element's box.
    const panel = part(el, 'panel')!;
    expect(panel.checkVisibility()).to.equal(true);
    const chatBox = panel.getBoundingClientRect();
    expect(chatBox.bottom).to.equal(box.bottom);
    expect(chatBox.top).to.be.above(part(el, 'quick-exit')!.getBoundingClientRect().bottom - 1);
    expect(iframe(el)!.getBoundingClientRect().height).to.equal(chatBox.height);
    // Loaded without anyone touching anything, and already showing the first screen.
    expect(iframe(el)!.getAttribute('src')).to.contain('&mode=inline');
    await untilInFrame(relay, `control('Start chat')`, 'the chat did not show Start chat');
    // No Minimise (nothing to minimise to) and no second Quick exit in the chat.
    expect(await inFrame(relay, `[control('Minimise chat'), control('Quick exit')]`)).to.deep.equal([null, null]);
    expect(el.open).to.equal(false);
    expect(opened).to.deep.equal([]);
    await expectAccessible(el);
  });

  it('without a height from the page, the chat takes --kindred-panel-height', async () => {
    const { el } = await page('display: block; --kindred-panel-height: 300px');
    expect(part(el, 'panel')!.getBoundingClientRect().height).to.equal(300);
  });

  it('keyboard: Tab reaches the Quick exit first, then Start chat inside the chat', async () => {
    const { page: container, el } = await page();
    await untilInFrame(relay, `control('Start chat')`, 'the chat did not show Start chat');
    container.querySelector('button')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(shadow(el).activeElement === part(el, 'quick-exit'), 'the Quick exit comes first').to.equal(true);
    expect(text(part(el, 'quick-exit'))).to.equal('Quick exit');
    const reached: Array<string | null> = [];
    for (let press = 0; press < 8 && reached.at(-1) !== 'Start chat'; press++) {
      const before = reached.at(-1) ?? null;
      await sendKeys({ press: 'Tab' });
      // Focus crosses into the frame, where the test page cannot see it: ask the frame.
      let now: string | null = before;
      await waitUntil(async () => (now = await focusedInFrame(relay)) !== before, undefined, { timeout: 2_000 }).catch(() => undefined);
      reached.push(now);
    }
    expect(reached.at(-1), `Tab went through ${JSON.stringify(reached)}`).to.equal('Start chat');
  });

  it('the Quick exit is there before the chat has loaded, and works', async () => {
    const { el } = await page();
    const quickExit = part(el, 'quick-exit')!;
    expect(quickExit.checkVisibility()).to.equal(true);
    quickExit.click();
    await waitUntil(() => el.navigations.length > 0, 'no navigation');
    expect(el.navigations).to.deep.equal(['https://www.bbc.co.uk/weather']);
    expect(iframe(el)).to.equal(null);
  });

  it('show() moves focus into the chat, to its first control; hide() and Escape close nothing', async () => {
    const { el } = await page();
    await untilInFrame(relay, `control('Start chat')`, 'the chat did not show Start chat');
    await el.show();
    await waitUntil(() => shadow(el).activeElement === iframe(el), 'focus did not move into the chat');
    await untilInFrame(relay, `chat()?.activeElement`, 'no control has focus in the chat');
    await sendKeys({ press: 'Escape' });
    await el.hide();
    expect(part(el, 'panel')!.checkVisibility()).to.equal(true);
    expect(el.open).to.equal(false);
  });

  it('moves nothing on the page while the chat loads: no layout shift', async () => {
    const observer = new PerformanceObserver(() => {});
    observer.observe({ type: 'layout-shift' });
    await page();
    await untilInFrame(relay, `control('Start chat')`, 'the chat did not show Start chat');
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const shifts = observer.takeRecords();
    observer.disconnect();
    expect(shifts.map((entry) => (entry as PerformanceEntry & { value: number }).value)).to.deep.equal([]);
  });
});
