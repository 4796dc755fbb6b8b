// SPDX-License-Identifier: Apache-2.0
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { nothing } from 'lit';
import { sendKeys } from '@web/test-runner-commands';
import { define } from '../../define.js';
import { button, expectAccessible, shadow, text } from '../../testing/harness.js';
import { KindredChat } from './chat.js';

define('kindred-chat', KindredChat);

/**
 * The shell with quick exit's navigation recorded instead of done (the runner's own page must
 * stay), and its Shift window open to change. Every test uses it, so a quick exit that fires
 * by mistake fails a test instead of taking the whole run to another site.
 */
class TestChat extends KindredChat {
  readonly navigations: string[] = [];
  set shiftWindow(ms: number) {
    this.shiftExit.windowMs = ms;
  }
  protected override navigate(url: string): void {
    this.navigations.push(url);
  }
}
define('kindred-test-chat', TestChat);

// The test server under another origin stands in for the relay (see web-test-runner.config.mjs).
const relay = `http://127.0.0.1:${location.port}/__kindred-fake`;
const defaultExit = 'https://www.bbc.co.uk/weather';

async function shell(server = relay, exitUrl?: string): Promise<TestChat> {
  return fixture<TestChat>(html`<kindred-test-chat server=${server} exit-url=${exitUrl ?? nothing}></kindred-test-chat>`);
}

const launcher = (el: KindredChat) => button(shadow(el), /chat/i);
const iframe = (el: KindredChat) => shadow(el).querySelector('iframe');
const panel = (el: KindredChat) => shadow(el).querySelector<HTMLElement>('[part~="panel"]')!;
const badge = (el: KindredChat) => shadow(el).querySelector('[part~="badge"]');
/** The one Quick exit the shell renders, beside the launcher (the chat frame has its own). */
const quickExits = (el: KindredChat) => {
  const found = [...shadow(el).querySelectorAll<HTMLAnchorElement>('[part~="quick-exit"]')];
  if (found.length !== 1) throw new Error(`expected one quick exit, found ${found.length}`);
  return { beside: found[0]! };
};
/** Opens the panel and waits until the stand-in frame has said `waiting` and focus is inside it. */
async function showWithFocusInFrame(el: KindredChat): Promise<void> {
  // The stand-in frame answers "visible" with the state `waiting` and focuses its button.
  const visible = new Promise<void>((resolve) =>
    el.addEventListener('kindred-state', (event) => event.state === 'waiting' && resolve()),
  );
  await el.show();
  await visible;
  await waitUntil(() => shadow(el).activeElement === iframe(el), 'focus did not move into the frame');
}
const overlay = (el: KindredChat) => shadow(el).querySelector<HTMLElement>('[part~="exit-overlay"]');
/** The Shift countdown's polite status (the other one says the unread count). */
const liveRegion = (el: KindredChat) => {
  const found = [...shadow(el).querySelectorAll<HTMLElement>('[role="status"]:not(#unread)')];
  if (found.length !== 1) throw new Error(`expected one countdown status, found ${found.length}`);
  return found[0]!;
};
const unreadRegion = (el: KindredChat) => {
  const found = shadow(el).getElementById('unread');
  if (found?.getAttribute('role') !== 'status') throw new Error('no unread status');
  return found;
};
const shift = () => sendKeys({ press: 'Shift' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// Compare elements by identity: chai's failure message would try to print a cross-origin
// iframe's window and never finish.
const same = (a: unknown, b: unknown, what: string) => expect(a === b, what).to.equal(true);
// What an event carries beyond the Event interface (`isTrusted` is every event's own).
const carried = (event: Event) => Object.keys(event).filter((key) => key !== 'isTrusted');

describe('<kindred-chat>', () => {
  // The shell's one flag ("a chat goes on in this tab") would carry from test to test.
  beforeEach(() => sessionStorage.clear());

  it('on the next page of a tab with a chat going on, loads the frame closed; forgets it once the chat is over', async () => {
    sessionStorage.setItem('kindred-chat-open', '1');
    const el = await shell();
    expect(el.open).to.equal(false);
    await waitUntil(() => iframe(el), 'the frame was not loaded to take the chat back');
    // The stand-in frame answers "hidden" with the state `idle`: no chat any more.
    await waitUntil(() => sessionStorage.getItem('kindred-chat-open') === null, 'the flag outlived the chat');
    await el.show();
    await waitUntil(() => sessionStorage.getItem('kindred-chat-open') === '1', 'a chat under way is not remembered');
    void el.exit();
    await waitUntil(() => el.navigations.length > 0, 'no navigation');
    expect(sessionStorage.getItem('kindred-chat-open')).to.equal(null);
  });

  it('renders a launcher named for the chat, collapsed, and loads nothing yet', async () => {
    const el = await shell();
    expect(launcher(el).getAttribute('aria-expanded')).to.equal('false');
    expect(launcher(el).getAttribute('aria-controls')).to.equal('panel');
    same(shadow(el).getElementById('panel'), panel(el), 'aria-controls names the panel');
    same(iframe(el), null, 'no iframe');
    same(badge(el), null, 'no badge');
    await expectAccessible(el);
  });

  it('defaults the relay to the origin of the script that defined it', async () => {
    const el = await fixture<KindredChat>(html`<kindred-chat></kindred-chat>`);
    // Under the test runner the module is served by the page's own origin.
    expect(el.server).to.equal(location.origin);
  });

  it('preloads the frame, hidden, when the launcher gets focus', async () => {
    const el = await shell();
    launcher(el).focus();
    await el.updateComplete;
    const frame = iframe(el)!;
    same(frame === null, false, 'an iframe');
    // The fragment names this page's origin and the shell's language (chat.i18n.test.ts).
    expect(frame.getAttribute('src')).to.equal(`${relay}/frame#origin=${encodeURIComponent(location.origin)}&lang=en`);
    expect(frame.title).to.equal('Peer support chat');
    expect(panel(el).hidden).to.equal(true);
    expect(el.open).to.equal(false);
  });

  it('preloads the frame on hover', async () => {
    const el = await shell();
    launcher(el).dispatchEvent(new PointerEvent('pointerenter'));
    await el.updateComplete;
    same(iframe(el) === null, false, 'an iframe');
    expect(panel(el).hidden).to.equal(true);
  });

  it('opens on click with a kindred-open event that carries nothing, and moves focus into the frame', async () => {
    const el = await shell();
    const opened = oneEvent(el, 'kindred-open');
    launcher(el).click();
    const event = await opened;
    expect(event.bubbles && event.composed).to.equal(true);
    expect(carried(event)).to.deep.equal([]);
    expect((event as Event & { detail?: unknown }).detail).to.equal(undefined);
    expect(el.open).to.equal(true);
    expect(el.hasAttribute('open')).to.equal(true);
    expect(launcher(el).getAttribute('aria-expanded')).to.equal('true');
    expect(panel(el).hidden).to.equal(false);
    await waitUntil(() => shadow(el).activeElement === iframe(el), 'focus did not move into the frame');
    await expectAccessible(el);
  });

  it('closes on Escape with a kindred-close event and returns focus to the launcher', async () => {
    const el = await shell();
    await el.show();
    launcher(el).focus();
    const closed = oneEvent(el, 'kindred-close');
    await sendKeys({ press: 'Escape' });
    const event = await closed;
    expect(carried(event)).to.deep.equal([]);
    expect(el.open).to.equal(false);
    expect(panel(el).hidden).to.equal(true);
    await waitUntil(() => shadow(el).activeElement === launcher(el), 'focus did not return to the launcher');
  });

  it('show() and hide() open and close, and the frame stays loaded', async () => {
    const el = await shell();
    await el.show();
    expect(el.open).to.equal(true);
    const frame = iframe(el);
    await el.hide();
    expect(el.open).to.equal(false);
    same(iframe(el), frame, 'the same iframe');
  });

  it('closes when the frame asks (Escape pressed inside the frame)', async () => {
    const el = await shell();
    await showWithFocusInFrame(el);
    const closed = oneEvent(el, 'kindred-close');
    await sendKeys({ press: 'Escape' });
    await closed;
    expect(el.open).to.equal(false);
    await waitUntil(() => shadow(el).activeElement === launcher(el), 'focus did not return to the launcher');
  });

  it('re-announces the frame state as kindred-state with the state only', async () => {
    const el = await shell();
    const states: Event[] = [];
    el.addEventListener('kindred-state', (event) => states.push(event));
    launcher(el).focus();
    await waitUntil(() => states.length > 0, 'no kindred-state event');
    // Hidden after preloading: the stand-in frame answers the visibility message with `idle`.
    expect(states[0]).to.have.property('state', 'idle');
    expect(carried(states[0]!)).to.deep.equal(['state']);
  });

  it('shows the unread count posted by its own frame, and clears it on opening', async () => {
    const el = await shell();
    launcher(el).focus();
    await waitUntil(() => badge(el), 'no badge');
    expect(text(badge(el))).to.contain('2 unread messages');
    expect(text(launcher(el))).to.match(/chat with a peer.*2 unread messages/i);
    await expectAccessible(el);
    await el.show();
    same(badge(el), null, 'no badge');
  });

  it('says the unread count in a polite status while closed, a count only', async () => {
    const el = await shell();
    const region = unreadRegion(el);
    expect(text(region)).to.equal('');
    // Preloaded and hidden, the stand-in frame reports two unread messages.
    launcher(el).focus();
    await waitUntil(() => text(region) === '2 unread messages', `the status said ${JSON.stringify(text(region))}`);
    // One more arrives: the same message from the same window and origin as the frame's own.
    window.dispatchEvent(
      new MessageEvent('message', { data: { kindred: 1, type: 'unread', count: 3 }, origin: new URL(relay).origin, source: iframe(el)!.contentWindow }),
    );
    await el.updateComplete;
    expect(text(region)).to.equal('3 unread messages');
    await expectAccessible(el);
    // Open, the chat's own log speaks: the status is empty.
    await el.show();
    expect(text(region)).to.equal('');
  });

  it('moves nothing on the page as the unread count comes and goes: no layout shift (#7)', async () => {
    // A hospital page's Cumulative Layout Shift must not grow because a message arrived.
    const observer = new PerformanceObserver(() => {});
    observer.observe({ type: 'layout-shift' });
    const el = await shell();
    const boxes = () => [launcher(el), quickExits(el).beside].map((each) => JSON.stringify(each.getBoundingClientRect()));
    const before = boxes();
    launcher(el).focus();
    await waitUntil(() => badge(el), 'no badge');
    expect(boxes(), 'with the badge').to.deep.equal(before);
    // Shown (the count goes) and hidden again: the launcher stays where it was.
    await el.show();
    await el.hide();
    expect(boxes(), 'after opening and closing').to.deep.equal(before);
    // Layout shifts are reported once a frame is painted.
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const shifts = observer.takeRecords();
    observer.disconnect();
    expect(shifts.map((entry) => (entry as PerformanceEntry & { value: number }).value)).to.deep.equal([]);
  });

  it('ignores bridge messages from the wrong origin or the wrong window', async () => {
    const el = await shell();
    launcher(el).focus();
    await waitUntil(() => badge(el), 'no badge');
    await el.show();
    same(badge(el), null, 'no badge');

    // Same window, page origin: a script on the hospital page pretending to be the frame.
    window.postMessage({ kindred: 1, type: 'unread', count: 5 }, '*');
    window.postMessage({ kindred: 1, type: 'close' }, '*');
    // Right origin, wrong window: another frame from the relay's origin.
    const rogue = document.createElement('iframe');
    rogue.title = 'rogue';
    const rogueLoaded = new Promise((resolve) => rogue.addEventListener('load', resolve));
    rogue.src = `${relay}/rogue`;
    document.body.append(rogue);
    await rogueLoaded;
    await new Promise((resolve) => setTimeout(resolve, 100));
    rogue.remove();

    expect(el.open).to.equal(true);
    same(badge(el), null, 'no badge');
  });

  it('ignores exit and exit-url from the wrong origin or the wrong window', async () => {
    const el = await shell();
    launcher(el).focus();
    await waitUntil(() => badge(el), 'no badge');

    // The hospital page's own scripts, then another frame from the relay's origin.
    window.postMessage({ kindred: 1, type: 'exit-url', url: 'https://page.example/' }, '*');
    window.postMessage({ kindred: 1, type: 'exit' }, '*');
    const rogue = document.createElement('iframe');
    rogue.title = 'rogue';
    const rogueLoaded = new Promise((resolve) => rogue.addEventListener('load', resolve));
    rogue.src = `${relay}/rogue`;
    document.body.append(rogue);
    await rogueLoaded;
    await sleep(100);
    rogue.remove();

    expect(el.navigations).to.deep.equal([]);
    same(overlay(el), null, 'no overlay');
    same(iframe(el) === null, false, 'the frame is still there');
    // Neither look-alike changed where quick exit goes.
    expect(quickExits(el).beside.href).to.equal(defaultExit);
    quickExits(el).beside.click();
    await waitUntil(() => el.navigations.length > 0, 'no navigation');
    expect(el.navigations).to.deep.equal([defaultExit]);
  });

  describe('quick exit', () => {
    it('shows a Quick exit beside the launcher before anything loads, a link named "Quick exit"', async () => {
      const el = await shell();
      const { beside } = quickExits(el);
      same(beside.parentElement, launcher(el).parentElement, 'beside the launcher');
      expect(beside.checkVisibility()).to.equal(true);
      // A real link to the exit URL, so it still leaves if our script never runs.
      expect(beside.localName).to.equal('a');
      expect(beside.getAttribute('href')).to.equal(defaultExit);
      // Named by its text alone (axe below checks that a button has a name at all).
      expect(beside.getAttribute('role')).to.equal('button');
      expect(text(beside)).to.equal('Quick exit');
      expect(['aria-label', 'aria-labelledby', 'title'].filter((name) => beside.hasAttribute(name))).to.deep.equal([]);
      same(iframe(el), null, 'no iframe');
      await expectAccessible(el);
    });

    it('on click: covers the page, drops the frame, fires kindred-exit, then replaces the page with the default URL', async () => {
      const el = await shell();
      launcher(el).focus();
      await waitUntil(() => badge(el), 'no badge');
      await el.show();
      let seen: { overlay: boolean; frame: boolean; navigations: number } | undefined;
      el.addEventListener('kindred-exit', () => {
        seen = { overlay: overlay(el) !== null, frame: iframe(el) !== null, navigations: el.navigations.length };
      });
      const exited = oneEvent(el, 'kindred-exit');
      const click = new MouseEvent('click', { bubbles: true, cancelable: true, composed: true });
      quickExits(el).beside.dispatchEvent(click);
      expect(click.defaultPrevented, 'the link itself is not followed').to.equal(true);
      const event = await exited;
      expect(event.bubbles && event.composed).to.equal(true);
      expect(carried(event)).to.deep.equal([]);
      expect(seen).to.deep.equal({ overlay: true, frame: false, navigations: 0 });
      await waitUntil(() => el.navigations.length > 0, 'no navigation');
      expect(el.navigations).to.deep.equal([defaultExit]);

      const cover = overlay(el)!;
      const box = cover.getBoundingClientRect();
      expect([box.left, box.top, box.width, box.height]).to.deep.equal([0, 0, innerWidth, innerHeight]);
      expect(getComputedStyle(cover).position).to.equal('fixed');
      expect(cover.matches(':popover-open'), 'in the top layer').to.equal(true);
      expect(text(cover)).to.equal('');
      expect(el.open).to.equal(false);
      same(iframe(el), null, 'no iframe');
      same(badge(el), null, 'no badge');
      await expectAccessible(el);
    });

    it('answers Enter and Space, as a button does', async () => {
      for (const key of ['Enter', ' ']) {
        const el = await shell();
        quickExits(el).beside.focus();
        await sendKeys({ press: key === ' ' ? 'Space' : key });
        await waitUntil(() => el.navigations.length > 0, `${JSON.stringify(key)} did not exit`);
        expect(el.navigations).to.deep.equal([defaultExit]);
      }
    });

    it('goes to the exit-url attribute when it is https', async () => {
      const el = await shell(relay, 'https://example.org/leave?now=1');
      expect(quickExits(el).beside.getAttribute('href')).to.equal('https://example.org/leave?now=1');
      await el.exit();
      expect(el.navigations).to.deep.equal(['https://example.org/leave?now=1']);
    });

    for (const { title, exitUrl } of [
      { title: 'plain http', exitUrl: 'http://example.org/leave' },
      { title: 'a javascript: URL', exitUrl: 'javascript:alert(1)' },
      { title: 'a data: URL', exitUrl: 'data:text/html,hello' },
      { title: 'a relative URL (the hospital site itself)', exitUrl: '/leave' },
      { title: 'not a URL', exitUrl: 'weather' },
    ]) {
      it(`ignores an exit-url that is ${title}`, async () => {
        const el = await shell(relay, exitUrl);
        expect(quickExits(el).beside.getAttribute('href')).to.equal(defaultExit);
        await el.exit();
        expect(el.navigations).to.deep.equal([defaultExit]);
      });
    }

    it("takes the hospital's exit URL from its frame (https only), and the attribute still wins", async () => {
      const el = await shell(`${relay}/configured`);
      const idle = new Promise<void>((resolve) => el.addEventListener('kindred-state', () => resolve(), { once: true }));
      launcher(el).focus();
      // The stand-in frame posts a good URL, then a javascript: and a plain-http one, then ready.
      await idle;
      expect(quickExits(el).beside.href).to.equal('https://example.org/configured-exit');
      el.exitUrl = 'https://example.org/mine';
      await el.updateComplete;
      expect(quickExits(el).beside.href).to.equal('https://example.org/mine');
      el.exitUrl = '';
      await el.exit();
      expect(el.navigations).to.deep.equal(['https://example.org/configured-exit']);
    });

    it('runs when its frame asks (the quick exit inside the chat)', async () => {
      const el = await shell(`${relay}/exit-asks`);
      const exited = oneEvent(el, 'kindred-exit');
      // This stand-in frame asks for the exit as soon as it hears it is shown.
      await el.show();
      await exited;
      await waitUntil(() => el.navigations.length > 0, 'no navigation');
      expect(el.navigations).to.deep.equal([defaultExit]);
      same(iframe(el), null, 'no iframe');
      expect(overlay(el) === null).to.equal(false);
    });

    it('stays beside the launcher while the panel is open; Tab from the launcher goes into the chat', async () => {
      const el = await shell();
      await el.show();
      expect(quickExits(el).beside.checkVisibility()).to.equal(true);
      launcher(el).focus();
      await sendKeys({ press: 'Tab' });
      // Focus crosses into the cross-origin frame, where the chat's own Quick exit is first.
      await waitUntil(() => shadow(el).activeElement === iframe(el), 'focus did not move on into the frame');
      await expectAccessible(el);
    });

    it('runs on Shift pressed three times anywhere on the page, counting down in a polite live region', async () => {
      const el = await shell();
      const region = liveRegion(el);
      document.body.focus();
      expect(text(region)).to.equal('');
      await shift();
      await waitUntil(() => text(region) === 'Shift, press 2 more times to exit.', `after one press: ${text(region)}`);
      await shift();
      await waitUntil(() => text(region) === 'Shift, press 1 more time to exit.', `after two presses: ${text(region)}`);
      expect(el.navigations).to.deep.equal([]);
      await shift();
      await waitUntil(() => el.navigations.length > 0, 'no navigation');
      expect(el.navigations).to.deep.equal([defaultExit]);
      expect(text(region)).to.equal('Exit this page activated.');
      expect(overlay(el) === null).to.equal(false);
      same(iframe(el), null, 'never loaded');
    });

    it('does not count a Shift used with another key, and another key starts the count again', async () => {
      const el = await shell();
      const region = liveRegion(el);
      document.body.focus();
      await shift();
      await shift();
      // Shift+A (a capital letter): no third press, and the count is gone.
      await sendKeys({ down: 'Shift' });
      await sendKeys({ press: 'KeyA' });
      await sendKeys({ up: 'Shift' });
      await el.updateComplete;
      expect(text(region)).to.equal('');
      await shift();
      await shift();
      await sendKeys({ press: 'KeyB' });
      await shift();
      await el.updateComplete;
      expect(text(region)).to.equal('Shift, press 2 more times to exit.');
      // Control+Shift is a shortcut, not a press.
      await sendKeys({ down: 'Control' });
      await shift();
      await sendKeys({ up: 'Control' });
      await el.updateComplete;
      expect(text(region)).to.equal('');
      expect(el.navigations).to.deep.equal([]);
    });

    it('forgets presses once the window from the first one has passed', async () => {
      const el = await shell();
      // Wide enough for two presses on a slow runner, whose every key is a round trip.
      el.shiftWindow = 2_000;
      const region = liveRegion(el);
      document.body.focus();
      await shift();
      await shift();
      await el.updateComplete;
      expect(text(region)).to.equal('Shift, press 1 more time to exit.');
      // The window closes 2 s after the first press and the countdown says so by clearing.
      await waitUntil(() => text(region) === '', 'the countdown did not clear', { timeout: 10_000, interval: 25 });
      await shift();
      await el.updateComplete;
      expect(text(region)).to.equal('Shift, press 2 more times to exit.');
      expect(el.navigations).to.deep.equal([]);
    });

    it('stops listening for Shift once removed from the page', async () => {
      const el = await shell();
      el.remove();
      document.body.focus();
      await shift();
      await shift();
      await shift();
      expect(el.navigations).to.deep.equal([]);
    });

    it('comes back from the back/forward cache closed and empty', async () => {
      const el = await shell();
      launcher(el).focus();
      await waitUntil(() => badge(el), 'no badge');
      await el.exit();
      document.body.focus();
      await shift();
      window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
      await el.updateComplete;
      same(overlay(el), null, 'no overlay');
      same(iframe(el), null, 'no iframe');
      same(badge(el), null, 'no badge');
      expect(el.open).to.equal(false);
      expect(text(liveRegion(el))).to.equal('');
      // The count starts again from nothing.
      await shift();
      await el.updateComplete;
      expect(text(liveRegion(el))).to.equal('Shift, press 2 more times to exit.');

      // Restored with the chat open (no exit), it comes back closed and without the frame.
      await el.show();
      window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
      await el.updateComplete;
      expect(el.open).to.equal(false);
      same(iframe(el), null, 'no iframe');
      // A normal load changes nothing.
      await el.show();
      window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: false }));
      await el.updateComplete;
      expect(el.open).to.equal(true);
    });

    it('works when the frame cannot load at all', async () => {
      const el = await shell('javascript:alert(1)');
      await el.show();
      same(iframe(el), null, 'no iframe');
      // The panel is open on a frame that never came: the Quick exit beside the launcher is still there.
      expect(quickExits(el).beside.checkVisibility()).to.equal(true);
      quickExits(el).beside.click();
      await waitUntil(() => el.navigations.length > 0, 'no navigation');
      expect(el.navigations).to.deep.equal([defaultExit]);
    });
  });

  it('creates no frame when the server is not an http(s) URL', async () => {
    const el = await shell('javascript:alert(1)');
    launcher(el).focus();
    await el.show();
    same(iframe(el), null, 'no iframe');
  });

  it('define() does nothing when the name is taken', () => {
    expect(() => define('kindred-chat', class extends HTMLElement {})).to.not.throw();
    expect(customElements.get('kindred-chat')).to.equal(KindredChat);
  });
});
