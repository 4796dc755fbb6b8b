// SPDX-License-Identifier: Apache-2.0
/**
 * Theming `<kindred-chat>` from the hospital page: custom properties that cross into the real,
 * cross-origin chat frame (and hostile ones that do not), dark mode from the attribute and from
 * the device, the launcher's side of the window, and the parts a page can style.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import { nothing } from 'lit';
import { define } from '../../define.js';
import { frameStyle, inFrame, untilInFrame } from '../../testing/frame-eval.js';
import { button, expectAccessible, expectFocusVisible, focused, focusPageStart, shadow, testRelay } from '../../testing/harness.js';
import { KindredChat } from './chat.js';

/** The shell with quick exit's navigation recorded instead of done (see chat.test.ts). */
class TestChat extends KindredChat {
  readonly navigations: string[] = [];
  protected override navigate(url: string): void {
    this.navigations.push(url);
  }
}
define('kindred-test-chat', TestChat);

// The stand-in frame (web-test-runner.config.mjs): enough where the chat's content does not matter.
const fakeRelay = `http://127.0.0.1:${location.port}/__kindred-fake`;

const lightAccent = 'rgb(47, 74, 192)';
const darkAccent = 'rgb(159, 176, 255)';
const darkOnAccent = 'rgb(17, 22, 46)';
const darkSurface = 'rgb(21, 23, 28)';

interface Options {
  server: string;
  theme?: string;
  position?: string;
}

async function shell({ server, theme, position }: Options): Promise<TestChat> {
  return fixture<TestChat>(
    html`<kindred-test-chat server=${server} theme=${theme ?? nothing} position=${position ?? nothing}></kindred-test-chat>`,
  );
}

const launcher = (el: KindredChat) => button(shadow(el), /chat with a peer/i);
const part = (el: KindredChat, name: string) => shadow(el).querySelector<HTMLElement>(`[part~="${name}"]`);
const iframe = (el: KindredChat) => shadow(el).querySelector('iframe');

/** A page stylesheet, removed after the test. */
const sheets: HTMLStyleElement[] = [];
function pageStyle(text: string): void {
  const sheet = document.createElement('style');
  sheet.textContent = text;
  document.head.append(sheet);
  sheets.push(sheet);
}

describe('<kindred-chat> theming', () => {
  let relay: string;

  before(async () => {
    relay = (await testRelay()).url;
  });

  beforeEach(() => sessionStorage.clear());

  afterEach(async () => {
    for (const sheet of sheets.splice(0)) sheet.remove();
    document.documentElement.removeAttribute('dir');
    document.documentElement.removeAttribute('lang');
    await emulateMedia({ colorScheme: 'light' });
  });

  /** Opens the shell on the real relay and waits until the frame shows Start chat. */
  async function openOnRelay(el: KindredChat): Promise<void> {
    await el.show();
    await untilInFrame(relay, `control('Start chat')`, 'the chat frame did not show Start chat');
  }

  /** Waits until the frame's Start chat has `property` equal to `value`. */
  async function frameShows(property: string, value: string): Promise<void> {
    let seen: string | null = null;
    await waitUntil(
      async () => (seen = await frameStyle(relay, 'Start chat', property)) === value,
      `the frame's Start chat never had ${property} ${value}`,
      { timeout: 5_000, interval: 50 },
    ).catch(() => {
      throw new Error(`the frame's Start chat has ${property} ${String(seen)}, not ${value}`);
    });
  }

  describe('custom properties', () => {
    it('a colour, radius and font set on the hospital page reach the chat in the frame', async () => {
      pageStyle(`kindred-test-chat {
        --kindred-color-accent: rgb(11, 79, 108);
        --kindred-color-on-accent: rgb(255, 255, 240);
        --kindred-radius: 6px;
        --kindred-font-family: "Kindred Test Sans", serif;
      }`);
      const el = await shell({ server: relay });
      expect(getComputedStyle(launcher(el)).backgroundColor).to.equal('rgb(11, 79, 108)');
      await openOnRelay(el);
      await frameShows('backgroundColor', 'rgb(11, 79, 108)');
      await frameShows('color', 'rgb(255, 255, 240)');
      await frameShows('borderTopLeftRadius', '4px');
      const font = await inFrame<string>(relay, `getComputedStyle(document.querySelector('kindred-chat-frame')).fontFamily`);
      expect(font).to.match(/^"Kindred Test Sans", serif/);
    });

    it('a change on the page reaches the frame the next time the panel opens', async () => {
      const el = await shell({ server: relay });
      await openOnRelay(el);
      await frameShows('backgroundColor', lightAccent);
      await el.hide();
      el.style.setProperty('--kindred-color-accent', 'rgb(120, 30, 90)');
      await el.show();
      await frameShows('backgroundColor', 'rgb(120, 30, 90)');
    });

    it('refuses a hostile value, from the page stylesheet or posted by a page script, and keeps its own', async () => {
      // Out of bounds in the page's CSS: the shell passes it on, the frame refuses it.
      pageStyle(`kindred-test-chat { --kindred-radius: 999px; }`);
      const el = await shell({ server: relay });
      await openOnRelay(el);
      // A script on the hospital page can post to the frame as the shell does, from the same
      // window and origin. The frame checks every value, whoever sent it.
      const relayOrigin = new URL(relay).origin;
      iframe(el)!.contentWindow!.postMessage(
        {
          kindred: 1,
          type: 'theme',
          scheme: 'light',
          properties: {
            '--kindred-color-accent': 'url(https://evil.example/pixel.png)',
            '--kindred-color-surface': 'var(--_accent)',
            '--kindred-font-family': 'x; background: url(https://evil.example/)',
            '--kindred-radius': '999px',
            // One good value with them: once it shows, the message has been handled.
            '--kindred-color-on-accent': 'rgb(255, 255, 240)',
          },
        },
        relayOrigin,
      );
      await frameShows('color', 'rgb(255, 255, 240)');
      await frameShows('backgroundColor', lightAccent);
      await frameShows('borderTopLeftRadius', '8px');
      const written = await inFrame<string>(relay, `document.querySelector('kindred-chat-frame').getAttribute('style') ?? ''`);
      expect(written).to.not.match(/evil|999|var\(/);
      const fetched = await inFrame<string[]>(relay, `performance.getEntriesByType('resource').map((entry) => entry.name).filter((name) => name.includes('evil.example'))`);
      expect(fetched).to.deep.equal([]);
    });
  });

  describe('dark mode', () => {
    it('theme="dark" darkens the launcher and the chat, and keeps the shell AA', async () => {
      const el = await shell({ server: relay, theme: 'dark' });
      expect(getComputedStyle(launcher(el)).backgroundColor).to.equal(darkAccent);
      expect(getComputedStyle(launcher(el)).color).to.equal(darkOnAccent);
      await expectAccessible(el);
      await openOnRelay(el);
      // Dark from the frame's first render: its address says so.
      expect(iframe(el)!.getAttribute('src')).to.contain('&theme=dark');
      await frameShows('backgroundColor', darkAccent);
      expect(await inFrame(relay, `getComputedStyle(document.querySelector('kindred-chat-frame')).backgroundColor`)).to.equal(darkSurface);
      expect(getComputedStyle(part(el, 'panel')!).backgroundColor).to.equal(darkSurface);
      await expectAccessible(el);
    });

    it('dark on a light page: the Quick exit and launcher focus rings still stand out (not the light accent on white)', async () => {
      const el = await shell({ server: fakeRelay, theme: 'dark' });
      focusPageStart();
      for (const name of ['quick-exit', 'launcher']) {
        await sendKeys({ press: 'Tab' });
        expect(focused() === part(el, name), `Tab reached ${name}`).to.equal(true);
        expectFocusVisible(part(el, name)!);
      }
    });

    it('without theme, follows the device (emulated prefers-color-scheme), and changes with it', async () => {
      await emulateMedia({ colorScheme: 'dark' });
      const el = await shell({ server: relay });
      expect(getComputedStyle(launcher(el)).backgroundColor).to.equal(darkAccent);
      await openOnRelay(el);
      await frameShows('backgroundColor', darkAccent);
      // The device turns light while the chat is open: both follow, without a reload.
      await emulateMedia({ colorScheme: 'light' });
      expect(getComputedStyle(launcher(el)).backgroundColor).to.equal(lightAccent);
      await frameShows('backgroundColor', lightAccent);
      expect(await inFrame(relay, `control('Start chat') !== null`)).to.equal(true);
    });

    it('theme="light" wins over a dark device, and a page can change it while open', async () => {
      await emulateMedia({ colorScheme: 'dark' });
      const el = await shell({ server: relay, theme: 'light' });
      expect(getComputedStyle(launcher(el)).backgroundColor).to.equal(lightAccent);
      await openOnRelay(el);
      await frameShows('backgroundColor', lightAccent);
      el.theme = 'dark';
      await el.updateComplete;
      expect(el.getAttribute('theme')).to.equal('dark');
      await frameShows('backgroundColor', darkAccent);
    });

    it('light-dark() on the page picks the side of the scheme, in the shell and in the frame', async () => {
      pageStyle(`kindred-test-chat { --kindred-color-accent: light-dark(rgb(11, 79, 108), rgb(124, 196, 228)); --kindred-color-on-accent: light-dark(white, black); }`);
      const el = await shell({ server: relay, theme: 'dark' });
      expect(getComputedStyle(launcher(el)).backgroundColor).to.equal('rgb(124, 196, 228)');
      await openOnRelay(el);
      await frameShows('backgroundColor', 'rgb(124, 196, 228)');
      el.theme = 'light';
      await el.updateComplete;
      expect(getComputedStyle(launcher(el)).backgroundColor).to.equal('rgb(11, 79, 108)');
      await frameShows('backgroundColor', 'rgb(11, 79, 108)');
    });
  });

  describe('position', () => {
    const inset = 16;

    it('position="left" puts the launcher and the panel at the left edge of the window', async () => {
      const el = await shell({ server: fakeRelay, position: 'left' });
      expect(el.getBoundingClientRect().left).to.equal(inset);
      await el.show();
      expect(part(el, 'panel')!.getBoundingClientRect().left).to.equal(inset);
    });

    it('by default, and with position="right", at the right edge', async () => {
      for (const position of [undefined, 'right']) {
        const el = await shell({ server: fakeRelay, ...(position ? { position } : {}) });
        expect(el.getBoundingClientRect().right, String(position)).to.equal(innerWidth - inset);
        await el.show();
        expect(part(el, 'panel')!.getBoundingClientRect().right, String(position)).to.equal(innerWidth - inset);
      }
    });

    it('on an Arabic page it mirrors: at the left, the launcher at the edge, the badge on its left corner, the panel above; position="right" still pins the right', async () => {
      document.documentElement.dir = 'rtl';
      document.documentElement.lang = 'ar';
      const el = await shell({ server: fakeRelay });
      const launcherBox = () => part(el, 'launcher')!.getBoundingClientRect();
      expect(el.getBoundingClientRect().left).to.equal(inset);
      expect(launcherBox().left).to.equal(inset);
      expect(part(el, 'quick-exit')!.getBoundingClientRect().left).to.be.above(launcherBox().right);
      // Preloaded and hidden, the stand-in frame reports unread messages.
      part(el, 'launcher')!.focus();
      await waitUntil(() => part(el, 'badge'), 'no badge');
      expect(part(el, 'badge')!.getBoundingClientRect().left).to.be.below(launcherBox().left);
      await el.show();
      expect(part(el, 'panel')!.getBoundingClientRect().left).to.equal(inset);
      const pinned = await shell({ server: fakeRelay, position: 'right' });
      expect(pinned.getBoundingClientRect().right).to.equal(innerWidth - inset);
    });

    it('an Arabic chat on a left-to-right page stays at the right, its panel in the window', async () => {
      const el = await fixture<TestChat>(html`<kindred-test-chat server=${fakeRelay} lang="ar"></kindred-test-chat>`);
      expect(el.getBoundingClientRect().right).to.equal(innerWidth - inset);
      await el.show();
      expect(part(el, 'panel')!.getBoundingClientRect().right).to.equal(innerWidth - inset);
      // Its own text still runs right to left.
      expect(getComputedStyle(part(el, 'launcher')!).direction).to.equal('rtl');
    });

    it('takes its distance from the edges and its launcher size from the page, never a launcher under 44px', async () => {
      pageStyle(`kindred-test-chat { --kindred-inset: 24px; --kindred-launcher-size: 60px; }`);
      const el = await shell({ server: fakeRelay });
      const box = () => el.getBoundingClientRect();
      expect([innerWidth - box().right, innerHeight - box().bottom]).to.deep.equal([24, 24]);
      // One side only (above a cookie banner, say), and the panel still fits the window.
      el.style.setProperty('--kindred-inset-block', '200px');
      expect([innerWidth - box().right, innerHeight - box().bottom]).to.deep.equal([24, 200]);
      await el.show();
      expect(part(el, 'panel')!.getBoundingClientRect().top).to.be.at.least(0);
      await el.hide();
      expect(launcher(el).getBoundingClientRect().height).to.equal(60);
      el.style.setProperty('--kindred-launcher-size', '20px');
      expect(launcher(el).getBoundingClientRect().height).to.equal(44);
    });
  });

  it('exposes each documented part to the page\'s ::part() rules', async () => {
    const parts = ['launcher', 'badge', 'panel', 'frame', 'quick-exit', 'exit-overlay'];
    pageStyle(parts.map((name) => `kindred-test-chat::part(${name}) { scroll-margin-top: 7px; }`).join('\n'));
    const el = await shell({ server: fakeRelay });
    launcher(el).focus();
    await waitUntil(() => part(el, 'badge'), 'no badge');
    const styled = (name: string) => getComputedStyle(part(el, name)!).scrollMarginTop;
    for (const name of parts.slice(0, -1)) expect(styled(name), name).to.equal('7px');
    // The overlay exists only from quick exit on.
    await el.exit();
    expect(styled('exit-overlay')).to.equal('7px');
  });
});
