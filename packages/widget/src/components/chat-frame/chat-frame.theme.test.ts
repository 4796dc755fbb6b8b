// SPDX-License-Identifier: Apache-2.0
/**
 * The chat frame's side of theming and embedding, against a real relay, with a stand-in for
 * the shell's window: the theme the shell posts (and only a valid one) styles the chat; the
 * dark palette keeps every screen AA; inline there is no Minimise and no second Quick exit;
 * and a right-to-left chat mirrors.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { KindredChatFrame } from './chat-frame.js';
import { button, expectAccessible, field, hasButton, role, shadow, testRelay, waitForText } from '../../testing/harness.js';
import { cleanUp, mountSurvivor, peerConsole, signInOnDuty, startAndAccept } from '../../testing/peer.js';

const defaultAccent = 'rgb(47, 74, 192)';
const darkAccent = 'rgb(159, 176, 255)';
const darkSurface = 'rgb(21, 23, 28)';

describe('<kindred-chat-frame> theme and embedding', () => {
  let relay: { url: string; token: string };
  let shellWindow: HTMLIFrameElement;
  let posted: Array<{ type: string }>;
  const mounted: KindredChatFrame[] = [];

  before(async () => {
    relay = await testRelay();
  });

  beforeEach(() => {
    shellWindow = document.createElement('iframe');
    shellWindow.title = 'stand-in shell';
    document.body.append(shellWindow);
    posted = [];
    (shellWindow.contentWindow as Window).postMessage = ((message: { type: string }) => {
      posted.push(message);
    }) as Window['postMessage'];
  });

  afterEach(async () => {
    await cleanUp();
    for (const el of mounted.splice(0)) el.remove();
    shellWindow.remove();
  });

  /** A frame embedded by the stand-in shell; `fragment` is what the shell adds after `#origin=`. */
  async function embedded(fragment = ''): Promise<KindredChatFrame> {
    const el = await mountSurvivor(relay.url, {
      parent: shellWindow.contentWindow as Window,
      hash: `#origin=${encodeURIComponent(location.origin)}${fragment}`,
    });
    mounted.push(el);
    await waitUntil(() => hasButton(shadow(el), 'Start chat'), 'no Start chat');
    return el;
  }

  /** A message from the shell: the parent window, at the embedding origin. */
  function fromShell(data: unknown, { origin = location.origin, source = shellWindow.contentWindow } = {}): void {
    window.dispatchEvent(new MessageEvent('message', { data, origin, source }));
  }

  const theme = (properties: Record<string, unknown>, scheme = 'light') => ({ kindred: 1, type: 'theme', scheme, properties });
  /** Waits for a computed style: the page's values are checked by a module that loads on demand. */
  async function until(el: Element, property: keyof CSSStyleDeclaration & string, value: string): Promise<void> {
    await waitUntil(() => getComputedStyle(el)[property as 'color'] === value, undefined, { timeout: 5_000, interval: 20 }).catch(() => {
      throw new Error(`${property} stayed ${String(getComputedStyle(el)[property as 'color'])}, not ${value}`);
    });
  }
  const style = (el: Element) => getComputedStyle(el);
  const start = (el: KindredChatFrame) => button(shadow(el), 'Start chat');
  const header = (el: KindredChatFrame) => shadow(el).querySelector('header')!;

  it("takes the page's colours, radius and font: its controls show them", async () => {
    const el = await embedded();
    expect(style(start(el)).backgroundColor).to.equal(defaultAccent);
    fromShell(
      theme({
        '--kindred-color-accent': 'rgb(11, 79, 108)',
        '--kindred-color-on-accent': 'rgb(255, 255, 240)',
        '--kindred-color-surface': 'rgb(250, 250, 245)',
        '--kindred-color-text': 'rgb(10, 20, 30)',
        '--kindred-radius': '6px',
        '--kindred-font-family': '"Kindred Test Sans", serif',
      }),
    );
    await until(start(el), 'backgroundColor', 'rgb(11, 79, 108)');
    expect(style(start(el)).color).to.equal('rgb(255, 255, 240)');
    expect(style(header(el)).backgroundColor).to.equal('rgb(11, 79, 108)');
    expect(style(el).backgroundColor).to.equal('rgb(250, 250, 245)');
    expect(style(el).color).to.equal('rgb(10, 20, 30)');
    // Buttons round at two thirds of the radius.
    expect(style(start(el)).borderTopLeftRadius).to.equal('4px');
    // The system fonts follow the page's, since the page's web fonts cannot load here.
    expect(style(el).fontFamily).to.match(/^"Kindred Test Sans", serif, system-ui/);
    await expectAccessible(el);
  });

  it('refuses what is not a colour, a radius in bounds or a font name, and keeps its own default', async () => {
    const el = await embedded();
    fromShell(
      theme({
        '--kindred-color-accent': 'url(https://evil.example/pixel.png)',
        '--kindred-color-surface': 'var(--_accent)',
        '--kindred-radius': '999px',
        '--kindred-font-family': 'x; background: url(https://evil.example/)',
        '--kindred-z-index': '1',
        // One good value with them: once it shows, the message has been handled.
        '--kindred-color-on-accent': 'rgb(255, 255, 240)',
      }),
    );
    await until(start(el), 'color', 'rgb(255, 255, 240)');
    expect(style(start(el)).backgroundColor).to.equal(defaultAccent);
    expect(style(el).backgroundColor).to.equal('rgb(255, 255, 255)');
    expect(style(start(el)).borderTopLeftRadius).to.equal('8px');
    // Nothing of it was written anywhere.
    expect(el.getAttribute('style')).to.equal('--kindred-color-on-accent: rgb(255, 255, 240);');
    expect(performance.getEntriesByType('resource').filter((entry) => entry.name.includes('evil.example'))).to.deep.equal([]);
  });

  it('listens to its shell only: a theme from another origin or window changes nothing', async () => {
    const el = await embedded();
    const red = theme({ '--kindred-color-accent': 'rgb(200, 0, 0)' }, 'dark');
    fromShell(red, { origin: 'https://evil.example' });
    fromShell(red, { source: window });
    fromShell({ ...red, scheme: 'sepia' });
    fromShell({ ...red, properties: ['rgb(200, 0, 0)'] });
    // Then the shell's own, so we know the others have been handled before we look.
    fromShell(theme({ '--kindred-color-on-accent': 'rgb(255, 255, 240)' }));
    await until(start(el), 'color', 'rgb(255, 255, 240)');
    expect(style(start(el)).backgroundColor).to.equal(defaultAccent);
    expect(el.getAttribute('theme')).to.equal('light');
  });

  it('each theme replaces the last: a property the page stops setting goes back to the default', async () => {
    const el = await embedded();
    fromShell(theme({ '--kindred-color-accent': 'rgb(11, 79, 108)' }));
    await until(start(el), 'backgroundColor', 'rgb(11, 79, 108)');
    fromShell(theme({}));
    await until(start(el), 'backgroundColor', defaultAccent);
    expect(el.getAttribute('style')).to.equal('');
  });

  it('dark: every screen keeps AA contrast (axe), the first, the queue and a conversation', async () => {
    const el = await embedded();
    fromShell(theme({}, 'dark'));
    await el.updateComplete;
    expect(el.getAttribute('theme')).to.equal('dark');
    expect(style(el).backgroundColor).to.equal(darkSurface);
    expect(style(start(el)).backgroundColor).to.equal(darkAccent);
    // The emergency block, in the danger colour, shows once the survivor says they are not safe.
    const unsafe = [...shadow(el).querySelectorAll<HTMLInputElement>('input[type="radio"]')].find((each) => each.value === 'unsafe')!;
    unsafe.click();
    await el.updateComplete;
    await expectAccessible(el);

    const peer = await peerConsole(relay.url);
    await signInOnDuty(peer, relay.token);
    await startAndAccept(el, peer);
    field(shadow(el), 'Message').focus();
    await sendKeys({ type: 'Hello from the dark' });
    await sendKeys({ press: 'Enter' });
    await waitForText(() => role(shadow(el), 'log'), 'Read');
    field(shadow(peer), 'Message').focus();
    await sendKeys({ type: 'Hello back' });
    await sendKeys({ press: 'Enter' });
    await waitForText(() => role(shadow(el), 'log'), 'Robin: Hello back');
    await expectAccessible(el, { sharedPage: true });
    // The light palette still holds on the same screen.
    fromShell(theme({}, 'light'));
    await el.updateComplete;
    expect(style(el).backgroundColor).to.equal('rgb(255, 255, 255)');
    await expectAccessible(el, { sharedPage: true });
  });

  it('is dark from its first render when the fragment says theme=dark', async () => {
    const el = await embedded('&theme=dark');
    expect(el.getAttribute('theme')).to.equal('dark');
    expect(style(el).backgroundColor).to.equal(darkSurface);
  });

  it('inline: no Minimise and no Quick exit of its own (the shell shows one right above), and Escape stays in the page', async () => {
    const el = await embedded('&mode=inline');
    expect(hasButton(header(el), 'Minimise chat')).to.equal(false);
    expect(hasButton(header(el), 'Quick exit')).to.equal(false);
    start(el).focus();
    await sendKeys({ press: 'Escape' });
    expect(posted.map((each) => each.type)).to.not.include('close');
    await expectAccessible(el);
    // A malformed message changes nothing; the shell saying it floats again brings both back.
    fromShell({ kindred: 1, type: 'visibility', open: true, inline: 'no' });
    await el.updateComplete;
    expect(hasButton(header(el), 'Minimise chat')).to.equal(false);
    fromShell({ kindred: 1, type: 'visibility', open: true, inline: false });
    await el.updateComplete;
    expect(hasButton(header(el), 'Minimise chat')).to.equal(true);
    expect(hasButton(header(el), 'Quick exit')).to.equal(true);
  });

  it('right to left: mirrored, with the Quick exit at the right of the header and the survivor\'s bubbles on the left', async () => {
    const el = await embedded();
    el.dir = 'rtl';
    const peer = await peerConsole(relay.url);
    await signInOnDuty(peer, relay.token);
    await startAndAccept(el, peer);
    field(shadow(el), 'Message').focus();
    await sendKeys({ type: 'Mine' });
    await sendKeys({ press: 'Enter' });
    field(shadow(peer), 'Message').focus();
    await sendKeys({ type: 'Theirs' });
    await sendKeys({ press: 'Enter' });
    const log = role(shadow(el), 'log');
    await waitForText(() => log, 'Robin: Theirs');
    const mine = shadow(el).querySelector('.bubble.own')!.getBoundingClientRect();
    const theirs = shadow(el).querySelector('.bubble.peer')!.getBoundingClientRect();
    const box = log.getBoundingClientRect();
    // Each bubble against its own side of the log (within its padding and border), apart.
    expect(mine.left - box.left).to.be.below(12);
    expect(box.right - theirs.right).to.be.below(12);
    expect(mine.right).to.be.below(theirs.right);
    const quickExit = button(header(el), 'Quick exit').getBoundingClientRect();
    const minimise = button(header(el), 'Minimise chat').getBoundingClientRect();
    expect(quickExit.left).to.be.above(minimise.right);
    // The delivery line ends at the bubble's end, which is now its left.
    expect(style(shadow(el).querySelector('.bubble.own .delivery')!).textAlign).to.equal('end');
    expect(style(shadow(el).querySelector('.bubble.own .delivery')!).direction).to.equal('rtl');
    await expectAccessible(el, { sharedPage: true });
  });
});
