// SPDX-License-Identifier: Apache-2.0
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { define } from '../../define.js';
import { button, expectAccessible, shadow, text } from '../../testing/harness.js';
import { KindredChat } from './chat.js';

define('kindred-chat', KindredChat);

// The test server under another origin stands in for the relay (see web-test-runner.config.mjs).
const relay = `http://127.0.0.1:${location.port}/__kindred-fake`;

async function shell(server = relay): Promise<KindredChat> {
  return fixture<KindredChat>(html`<kindred-chat server=${server}></kindred-chat>`);
}

const launcher = (el: KindredChat) => button(shadow(el), /chat/i);
const iframe = (el: KindredChat) => shadow(el).querySelector('iframe');
const panel = (el: KindredChat) => shadow(el).querySelector<HTMLElement>('[part~="panel"]')!;
const badge = (el: KindredChat) => shadow(el).querySelector('[part~="badge"]');
// Compare elements by identity: chai's failure message would try to print a cross-origin
// iframe's window and never finish.
const same = (a: unknown, b: unknown, what: string) => expect(a === b, what).to.equal(true);
// What an event carries beyond the Event interface (`isTrusted` is every event's own).
const carried = (event: Event) => Object.keys(event).filter((key) => key !== 'isTrusted');

describe('<kindred-chat>', () => {
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
    expect(frame.getAttribute('src')).to.equal(`${relay}/frame#origin=${encodeURIComponent(location.origin)}`);
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
    // The stand-in frame answers "visible" with the state `waiting` and focuses its button.
    const visible = new Promise<void>((resolve) =>
      el.addEventListener('kindred-state', (event) => event.state === 'waiting' && resolve()),
    );
    await el.show();
    await visible;
    await waitUntil(() => shadow(el).activeElement === iframe(el), 'focus did not move into the frame');
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
