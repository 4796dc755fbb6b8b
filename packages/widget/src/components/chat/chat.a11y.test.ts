// SPDX-License-Identifier: Apache-2.0
/**
 * The shell's accessibility (issue #8, WCAG 2.2 AA), one test per state a person can meet it
 * in: closed, preloaded, open, with an unread count, counting down to a quick exit, and
 * covered by the quick-exit overlay. Each runs axe (`expectAccessible`, which fails on any
 * violation) and checks what a keyboard or screen-reader user gets in that state.
 *
 * The frame here is the stand-in from web-test-runner.config.mjs, served from another origin
 * so focus really crosses into a cross-origin document; the real frame's keyboard walk from
 * a hospital page is in e2e/keyboard.test.ts, and the frame's own states are in
 * chat-frame/chat-frame.a11y.test.ts.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { define } from '../../define.js';
import { button, describeControl, expectAccessible, expectFocusVisible, focused, focusPageStart, shadow, tabThrough, text } from '../../testing/harness.js';
import { KindredChat } from './chat.js';

/** The shell with quick exit's navigation recorded instead of done: the runner's page must stay. */
class RecordingChat extends KindredChat {
  readonly navigations: string[] = [];
  protected override navigate(url: string): void {
    this.navigations.push(url);
  }
}
define('kindred-a11y-chat', RecordingChat);

const relay = `http://127.0.0.1:${location.port}/__kindred-fake`;

const shell = () => fixture<RecordingChat>(html`<kindred-a11y-chat server=${relay}></kindred-a11y-chat>`);
const launcher = (el: KindredChat) => button(shadow(el), /chat/i);
const iframe = (el: KindredChat) => shadow(el).querySelector('iframe');
const statuses = (el: KindredChat) => [...shadow(el).querySelectorAll<HTMLElement>('[role="status"]')];
/** What the polite statuses say, together (the countdown's and the unread count's). */
const said = (el: KindredChat) => statuses(el).map((each) => text(each)).filter(Boolean);
// Identity, not deep equality: chai would try to print a cross-origin window and never finish.
const same = (a: unknown, b: unknown, what: string) => expect(a === b, what).to.equal(true);

/**
 * Opens the panel and waits until the stand-in frame has heard it is visible (it answers with
 * the state `waiting` and focuses its own button): from then on only the keyboard moves focus.
 */
async function showAndSettle(el: KindredChat): Promise<void> {
  const visible = new Promise<void>((resolve) => el.addEventListener('kindred-state', (event) => event.state === 'waiting' && resolve()));
  await el.show();
  await visible;
  await waitUntil(() => shadow(el).activeElement === iframe(el), 'focus did not move into the chat');
}

describe('<kindred-chat> accessibility', () => {
  beforeEach(() => sessionStorage.clear());

  it('closed: Tab reaches Quick exit, then the launcher, each with a visible focus ring; no violations', async () => {
    const el = await shell();
    // Focusing the launcher preloads the stand-in frame, which may report its two unread
    // messages before the walk reads the launcher's name: the order is what counts here.
    const order = (await tabThrough(el)).map((name) => name.replace(/ \d+ unread messages?"$/, '"'));
    expect(order).to.deep.equal(['button "Quick exit"', 'button "Chat with a peer"']);
    expect(launcher(el).getAttribute('aria-expanded')).to.equal('false');
    await expectAccessible(el);
  });

  it('preloaded: the hidden frame is out of the tab order and out of the accessibility tree', async () => {
    const el = await shell();
    launcher(el).focus();
    await waitUntil(() => iframe(el), 'the launcher did not preload the frame');
    // The stand-in frame, loaded and hidden, reports two unread messages.
    await waitUntil(() => said(el).length > 0, 'the preloaded frame never answered');
    // A keyboard user tabbing past the closed chat must not fall into an invisible frame.
    expect(await tabThrough(el)).to.deep.equal(['button "Quick exit"', 'button "Chat with a peer 2 unread messages"']);
    expect(iframe(el)!.checkVisibility()).to.equal(false);
    await expectAccessible(el);
  });

  it('open: Enter on the launcher opens it and moves focus into the chat; Escape closes and returns focus to the launcher', async () => {
    const el = await shell();
    focusPageStart();
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    same(focused(), launcher(el), 'Tab, Tab reaches the launcher');
    expectFocusVisible(launcher(el));

    const opened = oneEvent(el, 'kindred-open');
    await sendKeys({ press: 'Enter' });
    await opened;
    expect(launcher(el).getAttribute('aria-expanded')).to.equal('true');
    // Focus is in the frame's document (the stand-in focuses its first control on "visible").
    await waitUntil(() => shadow(el).activeElement === iframe(el), 'focus did not move into the chat');
    await expectAccessible(el);

    // Escape inside the frame: the frame asks the shell to close, which gives focus back.
    const closed = oneEvent(el, 'kindred-close');
    await sendKeys({ press: 'Escape' });
    await closed;
    await waitUntil(() => focused() === launcher(el), `focus went to ${focused() ? describeControl(focused()!) : 'nowhere'}, not the launcher`);
    expect(launcher(el).getAttribute('aria-expanded')).to.equal('false');
    expectFocusVisible(launcher(el));
  });

  it('open: Tab goes Quick exit, launcher, then into the chat frame, and on out of the widget', async () => {
    const el = await shell();
    await showAndSettle(el);
    expect(await tabThrough(el)).to.deep.equal(['button "Quick exit"', 'button "Chat with a peer"', 'iframe "Peer support chat"']);
    await expectAccessible(el);
  });

  it('unread: the count is part of the launcher\'s name and said once in a polite status, a count only', async () => {
    const el = await shell();
    // Preloaded and hidden, the stand-in frame reports two unread messages.
    launcher(el).focus();
    await waitUntil(() => said(el).length > 0, 'no unread count was announced');
    expect(said(el)).to.deep.equal(['2 unread messages']);
    expect(describeControl(launcher(el))).to.equal('button "Chat with a peer 2 unread messages"');
    // The badge's digit is for eyes; the name says it in words, once.
    expect(shadow(el).querySelector('[part~="badge"] [aria-hidden="true"]')?.textContent).to.equal('2');
    expectFocusVisible(launcher(el));
    await expectAccessible(el);
  });

  it('quick-exit countdown: each Shift is announced politely; no violations while it counts', async () => {
    const el = await shell();
    focusPageStart();
    await sendKeys({ press: 'Shift' });
    await waitUntil(() => said(el).length > 0, 'the first Shift was not announced');
    expect(said(el)).to.deep.equal(['Shift, press 2 more times to exit.']);
    // role="status" is polite: read out when the person pauses, never cutting them off.
    const region = statuses(el).find((each) => text(each) !== '')!;
    expect(region.getAttribute('aria-live') ?? 'polite (implicit)').to.not.equal('assertive');
    await expectAccessible(el);
    await sendKeys({ press: 'Shift' });
    await waitUntil(() => said(el)[0] === 'Shift, press 1 more time to exit.', `after two presses: ${said(el).join(' | ')}`);
    await expectAccessible(el);
    expect(el.navigations).to.deep.equal([]);
  });

  it('quick-exit overlay: says it is leaving, covers everything, and leaves nothing to focus', async () => {
    const el = await shell();
    await showAndSettle(el);
    // On the hospital page (inside the frame, the frame's own controller counts: its tests).
    focusPageStart();
    for (let press = 0; press < 3; press++) await sendKeys({ press: 'Shift' });
    await waitUntil(() => el.navigations.length > 0, 'quick exit did not run');
    expect(said(el)).to.deep.equal(['Exit this page activated.']);
    const overlay = shadow(el).querySelector<HTMLElement>('[part~="exit-overlay"]')!;
    expect(overlay.matches(':popover-open')).to.equal(true);
    same(iframe(el), null, 'the frame is gone');
    await expectAccessible(el);
  });
});
