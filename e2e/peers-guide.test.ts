// SPDX-License-Identifier: Apache-2.0
/**
 * docs/peers.md, the volunteers' guide, walked as one shift: a peer signs in from a link, goes
 * on duty, is offered a survivor, accepts, chats, compares the verification code, shares a
 * resource, takes a second survivor, sees one drop and come back, reloads, ends a chat and signs
 * out. Two survivors on the hospital's page (another origin, its strict CSP) are driven in
 * their own browser contexts. At each step the test checks what the peer sees (headings,
 * buttons, live text) and writes a screenshot of the console to docs/peers/<step>.png, on every
 * run, so the guide's pictures follow the console as it changes.
 *
 * The guide and this walk cannot drift apart: the first test fails if docs/peers.md shows a
 * screenshot this walk does not take, leaves one out, shows one without alt text, or if
 * docs/peers/ holds a PNG nobody writes; the walk fails unless it wrote every one.
 *
 * Everything in the pictures is made up: the peer's pseudonym, the survivors' random
 * pseudonyms, their messages, and the demo hospital's resources (examples/kindred.config.json).
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { BrowserContextOptions, FrameLocator, Locator, Page } from 'playwright-core';
import { signPeerToken } from '@kindred/server';
import { exampleHospital, hospitalSite, person, relay as startRelay, secret } from './harness.js';
import { tcpProxy } from './tcp-proxy.js';

/** The screenshots, in the order the walk takes them: docs/peers/<step>.png. */
const steps = [
  'off-duty',
  'on-duty',
  'offer',
  'chatting',
  'verification-code',
  'resource-shared',
  'second-survivor',
  'two-chats',
  'survivor-away',
  'chat-ended',
  'signed-out',
] as const;
type Step = (typeof steps)[number];

const docUrl = new URL('../docs/peers.md', import.meta.url);
const shotsUrl = new URL('../docs/peers/', import.meta.url);
const shotPath = (step: string): string => fileURLToPath(new URL(`${step}.png`, shotsUrl));

/** The console's screen in every picture: a laptop window, light, still, in British English. */
const viewport = { width: 1100, height: 720 };
const screen: BrowserContextOptions = { viewport, deviceScaleFactor: 1, colorScheme: 'light', reducedMotion: 'reduce', locale: 'en-GB' };

/** Budgets that keep the repository light: each picture, and all of them together. */
const maxBytesEach = 160_000;
const maxBytesAll = 1_000_000;

const chatFrame = (page: Page): FrameLocator => page.frameLocator('iframe[title="Peer support chat"]');
const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Width and height from a PNG's header. */
function pngSize(path: string): { width: number; height: number } {
  const header = readFileSync(path).subarray(0, 24);
  assert.equal(header.toString('latin1', 1, 4), 'PNG', `${path} is a PNG`);
  return { width: header.readUInt32BE(16), height: header.readUInt32BE(20) };
}

test('docs/peers.md shows every screenshot the walk takes, each with alt text, and no other', () => {
  const doc = readFileSync(docUrl, 'utf8');
  const images = [...doc.matchAll(/!\[([^\]]*)\]\(peers\/([^)\s]+)\.png\)/g)].map(([, alt, name]) => ({ alt: alt!, name: name! }));
  const shown = images.map((image) => image.name);
  assert.deepEqual([...new Set(shown)].sort(), [...steps].sort(), 'docs/peers.md shows exactly the screenshots this walk takes');
  // Any other mention of a picture (a plain link, an <img>) must be one of them too.
  for (const [mention] of doc.matchAll(/peers\/[^)\s"']+\.png/g)) {
    assert.ok((steps as readonly string[]).includes(mention.slice('peers/'.length, -'.png'.length)), `docs/peers.md mentions ${mention}, which no step writes`);
  }
  for (const { alt, name } of images) {
    assert.ok(alt.trim().split(/\s+/).length >= 6, `the screenshot ${name} needs alt text that says what it shows`);
  }
  // No stale picture: every PNG in docs/peers/ is one the walk writes.
  let onDisk: string[] = [];
  try {
    onDisk = readdirSync(shotsUrl).filter((file) => file.endsWith('.png'));
  } catch {
    // Not written yet: the walk below creates the folder.
  }
  for (const file of onDisk) {
    assert.ok((steps as readonly string[]).includes(file.slice(0, -'.png'.length)), `docs/peers/${file} is written by no step: delete it`);
  }
});

test('a shift in the console, step by step, as docs/peers.md tells it (and photographs it)', { timeout: 240_000 }, async () => {
  // The hospital's site, twice over: the second survivor's copy reaches the relay through a
  // proxy that can cut their connection, as a lost signal on a phone would.
  const site = await hospitalSite();
  const siteViaProxy = await hospitalSite();
  const relay = await startRelay([site.origin, siteViaProxy.origin], exampleHospital());
  const proxy = await tcpProxy(relay.port);
  site.relayUrl = relay.url;
  siteViaProxy.relayUrl = proxy.url;
  const peer = await person(screen);
  const page = peer.page;
  // The survivors: one browser, a context each, so two people with nothing in common.
  const survivors = await person({ locale: 'en-GB' });

  mkdirSync(shotsUrl, { recursive: true });
  const written: Step[] = [];
  /**
   * Writes docs/peers/<step>.png: the console's window (never the full page), scrolled to the
   * top or with `centre` in the middle, with the caret hidden and animations stopped. With
   * `still`, a text that changes on its own (a countdown), the picture is taken again if the
   * text changed meanwhile, so that the picture shows one moment.
   */
  async function shoot(step: Step, { centre, still }: { centre?: Locator; still?: Locator } = {}): Promise<void> {
    if (centre) await centre.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    else await page.evaluate('scrollTo(0, 0)');
    for (let tries = 0; tries < 4; tries++) {
      const before = still ? await still.textContent() : '';
      await page.screenshot({ path: shotPath(step), animations: 'disabled', caret: 'hide', scale: 'css' });
      if (!still || (await still.textContent()) === before) break;
    }
    written.push(step);
  }

  /** A survivor on the hospital's page (in `survivorPage`) who opens the chat, answers what they choose to, and starts. */
  async function survivorStarts(survivorPage: Page, siteUrl: string, choice: { safety?: string; topic?: string; language?: string }) {
    await survivorPage.goto(siteUrl);
    await survivorPage.getByRole('button', { name: /chat/i }).click();
    const frame = chatFrame(survivorPage);
    if (choice.safety) await frame.getByRole('radio', { name: choice.safety }).check();
    if (choice.topic) await frame.getByRole('combobox', { name: 'Topic' }).selectOption({ label: choice.topic });
    if (choice.language) await frame.getByRole('combobox', { name: 'Language' }).selectOption({ label: choice.language });
    await frame.getByRole('button', { name: 'Start chat' }).click();
    await frame.getByRole('status').getByText(/You are number \d+ in the queue/).waitFor();
    return { page: survivorPage, frame, box: frame.getByRole('textbox', { name: 'Message' }), log: frame.getByRole('log') };
  }

  const say = async (box: Locator, text: string): Promise<void> => {
    await box.fill(text);
    await box.press('Enter');
  };

  const offer = page.getByRole('region', { name: 'Offered to you' });
  const countdown = offer.getByText(/ left to answer\.$/);
  const secondsLeft = async (): Promise<number> => Number(/^(\d+) seconds? left to answer\.$/.exec((await countdown.textContent()) ?? '')?.[1]);
  const offeredName = async (): Promise<string> => {
    const who = (await offer.getByText(/ is waiting for you\.$/).textContent()) ?? '';
    return /^(.+) is waiting for you\.$/.exec(who)![1]!;
  };
  const chatList = page.getByRole('region', { name: 'Your chats' });
  const peerBox = page.getByRole('textbox', { name: 'Message' });
  const peerLog = page.getByRole('log');

  // ── Before a shift: the coordinator's sign-in link. The token leaves the address bar at once.
  const token = await signPeerToken(secret, { name: 'Robin', maxChats: 2, ttlSeconds: 12 * 3600, topics: ['injury', 'assault'], languages: ['en'] });
  await page.goto(`${relay.url}/console#token=${token}`);
  await page.getByRole('heading', { level: 1, name: 'Kindred peer console' }).waitFor();
  await page.getByText('Signed in as Robin').waitFor();
  assert.equal(new URL(page.url()).hash, '', 'the token is gone from the address bar');
  await page.getByText('You are off duty.').waitFor();
  await page.getByRole('button', { name: 'Go on duty' }).waitFor();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await chatList.getByText('No chats yet.').waitFor();
  assert.equal(await page.getByRole('heading', { name: /^Waiting/ }).count(), 0, 'off duty, no waiting list');
  await shoot('off-duty');

  // ── Going on duty: the waiting list appears, empty for now.
  await page.getByRole('button', { name: 'Go on duty' }).click();
  await page.getByText('You are on duty.').waitFor();
  await page.getByRole('button', { name: 'Go off duty' }).waitFor();
  await page.getByRole('heading', { name: 'Waiting (0)' }).waitFor();
  await page.getByText('Nobody is waiting.').waitFor();
  await shoot('on-duty');

  // ── An offer: a survivor who chose a topic and language this peer takes, with a countdown.
  const first = await survivorStarts(survivors.page, site.url, { topic: 'After an injury', language: 'English' });
  // Written while waiting: it reaches the peer the moment they accept.
  await say(first.box, 'Hi. I was knocked off my bike three weeks ago and I keep going over it.');
  await offer.waitFor();
  const firstName = await offeredName();
  await offer.getByText('After an injury · English · waiting less than a minute').waitFor();
  const left = await secondsLeft();
  assert.ok(left > 0 && left <= 30, `a countdown of at most 30 seconds (${left})`);
  // It counts down, second by second, on screen.
  for (let waited = 0; (await secondsLeft()) >= left; waited += 100) {
    assert.ok(waited < 5_000, 'the countdown moves');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await page.getByRole('heading', { name: 'Waiting (1)' }).waitFor();
  await page.getByText('Offered to you, above').waitFor();
  await offer.getByRole('button', { name: `Decline ${firstName}` }).waitFor();
  await shoot('offer', { still: countdown });

  // ── Accepting: the chat opens, and what the survivor wrote while waiting is there.
  await offer.getByRole('button', { name: `Accept ${firstName}` }).click();
  await page.getByRole('heading', { name: `Chat with ${firstName}` }).waitFor();
  await first.frame.getByText('You are talking with Robin').waitFor();
  assert.equal(await offer.count(), 0, 'the offer is answered');
  await page.getByRole('heading', { name: 'Waiting (0)' }).waitFor();
  await peerLog.getByText('I keep going over it.', { exact: false }).waitFor();

  // ── Chatting, both ways. The survivor sees the peer's display name and nothing else of them.
  await say(peerBox, "Hi, I'm really glad you wrote. I came off my bike a few years ago, so some of this feels familiar. What has been hardest this week?");
  await first.log.getByText('What has been hardest this week?', { exact: false }).waitFor();
  await first.log.getByText('Robin:').waitFor();
  // The survivor has it on screen: Read (they may turn read marks off; then Delivered stays).
  await peerLog.getByRole('listitem').filter({ hasText: 'hardest this week' }).getByText(/Read$/).waitFor();
  // The survivor writes back: while they type, the peer sees it.
  await first.box.fill('Sleeping, mostly. Every time I close my eyes I am back on the road.');
  await page.getByText(`${firstName} is typing…`).waitFor();
  await shoot('chatting');
  await first.box.press('Enter');
  await peerLog.getByText('Every time I close my eyes', { exact: false }).waitFor();
  await page.getByText(`${firstName} is typing…`).waitFor({ state: 'hidden' });
  await say(peerBox, 'That sounds exhausting, and it makes sense. Would it help to talk through what evenings look like for you?');
  await first.log.getByText('what evenings look like', { exact: false }).waitFor();

  // ── The verification code: the same 12 digits on both screens.
  const codeIn = async (where: Page | FrameLocator): Promise<string> => {
    await where.getByText('Check that this chat is private').click();
    const text = (await where.getByText(/^Your code: [\d ]+\./).textContent({ timeout: 10_000 })) ?? '';
    return /^Your code: ([\d ]+)\./.exec(text)![1]!;
  };
  const peerCode = await codeIn(page);
  assert.match(peerCode, /^\d{4} \d{4} \d{4}$/);
  assert.equal(await codeIn(first.frame), peerCode, 'the survivor sees the same code');
  await shoot('verification-code', { centre: page.getByText(/^Your code: /) });

  // ── Sharing a resource: the survivor gets a card with the hospital's own details.
  await page.getByRole('combobox', { name: 'Resource' }).selectOption({ label: 'St Example Trauma Recovery Clinic' });
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  await first.log.getByRole('link', { name: 'Call 020 7946 0000' }).waitFor();
  const sharedCard = peerLog.getByRole('listitem').filter({ hasText: 'Shared a resource' });
  await sharedCard.getByText('St Example Trauma Recovery Clinic', { exact: true }).waitFor();
  await sharedCard.getByText(/(Delivered|Read)$/).waitFor();
  await shoot('resource-shared', { centre: sharedCard });

  // ── A second survivor: this peer still has room (two chats), so they are offered too.
  // They said they are not sure they are safe: such survivors come first in the list.
  const second = await survivorStarts(await (await survivors.browser.newContext({ locale: 'en-GB' })).newPage(), siteViaProxy.url, { safety: 'Not sure', topic: 'After an assault' });
  await say(second.box, "Hello? I'm not sure where to start.");
  await offer.waitFor();
  const secondName = await offeredName();
  assert.notEqual(secondName, firstName);
  await offer.getByText('After an assault · English · waiting less than a minute').waitFor();
  await page.getByRole('heading', { name: 'Waiting (1)' }).waitFor();
  await shoot('second-survivor', { still: countdown });

  // ── Several chats at once: a message in the chat not on screen shows as unread.
  await offer.getByRole('button', { name: `Accept ${secondName}` }).click();
  await page.getByRole('heading', { name: `Chat with ${secondName}` }).waitFor();
  await peerLog.getByText("I'm not sure where to start.").waitFor();
  await say(first.box, 'Thank you. I will ring the clinic tomorrow morning.');
  await chatList.getByRole('button', { name: `${firstName} (1 unread)` }).waitFor();
  await say(peerBox, "Hi, I'm Robin, one of the peer volunteers. There's no rush: start wherever feels easiest.");
  await second.log.getByText('start wherever feels easiest', { exact: false }).waitFor();
  await chatList.getByRole('button', { name: secondName, exact: true }).waitFor();
  await shoot('two-chats');

  // ── Reloading the console: still signed in, still on duty, both chats back.
  await page.reload();
  await page.getByText('Signed in as Robin').waitFor();
  await page.getByText('You are on duty.').waitFor();
  await page.getByRole('heading', { name: `Chat with ${secondName}` }).waitFor();
  await peerLog.getByText('start wherever feels easiest', { exact: false }).waitFor();
  await chatList.getByRole('button', { name: new RegExp(`^${escaped(firstName)}`) }).waitFor();

  // ── A survivor's connection drops: the peer is told, and may still write.
  proxy.cut(10_000);
  const away = `${secondName}'s connection dropped. Your messages will be delivered if they come back.`;
  await page.getByRole('status').getByText(away).waitFor();
  await chatList.getByRole('button', { name: `${secondName} (connection dropped)` }).waitFor();
  await say(peerBox, "I'm still here whenever you're ready.");
  await shoot('survivor-away');
  // Their signal comes back within the grace period: what was written meanwhile arrives.
  await second.log.getByText("I'm still here whenever you're ready.").waitFor({ timeout: 30_000 });
  await chatList.getByRole('button', { name: secondName, exact: true }).waitFor();
  assert.equal(await page.getByText(away).count(), 0, 'the dropped line goes when they are back');

  // ── Ending a chat: the peer ends the first; the survivor is told; Close clears it away.
  await chatList.getByRole('button', { name: new RegExp(`^${escaped(firstName)}`) }).click();
  await page.getByRole('heading', { name: `Chat with ${firstName}` }).waitFor();
  await page.getByRole('button', { name: 'End chat' }).click();
  await page.getByRole('region', { name: `Chat with ${firstName}` }).getByText('You ended the chat.').waitFor();
  await first.frame.getByText('The peer ended the chat.').waitFor();
  await chatList.getByRole('button', { name: `${firstName} (ended)` }).waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Message' }).count(), 0, 'an ended chat takes no more messages');
  await shoot('chat-ended');
  await page.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('heading', { name: `Chat with ${secondName}` }).waitFor();
  assert.equal(await chatList.getByRole('button', { name: new RegExp(`^${escaped(firstName)}`) }).count(), 0, 'closed, gone from the list');

  // ── Signing out: the open chat ends (its survivor is told), and the tab keeps nothing.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('status').getByText('You signed out.').waitFor();
  await page.getByRole('textbox', { name: 'Peer token' }).waitFor();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await second.frame.getByText('The peer ended the chat.').waitFor();
  assert.equal(await page.evaluate('sessionStorage.length'), 0, 'nothing left in the tab');
  assert.equal(relay.counts().chats, 0, 'no chat left at the relay');
  await shoot('signed-out');

  assert.deepEqual(await peer.violations(), [], 'the console ran under its strict policy');

  // Every picture written, at the console's size, within budget.
  assert.deepEqual(written, [...steps]);
  let total = 0;
  for (const step of steps) {
    assert.deepEqual(pngSize(shotPath(step)), viewport, `${step}.png is the window, not the full page`);
    const bytes = statSync(shotPath(step)).size;
    assert.ok(bytes <= maxBytesEach, `${step}.png is ${bytes} bytes, over ${maxBytesEach}`);
    total += bytes;
  }
  assert.ok(total <= maxBytesAll, `docs/peers/ holds ${total} bytes of pictures, over ${maxBytesAll}`);
});
