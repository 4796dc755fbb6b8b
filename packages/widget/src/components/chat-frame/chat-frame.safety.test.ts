// SPDX-License-Identifier: Apache-2.0
/**
 * The survivor's safety features against a real relay (web-test-runner.config.mjs gives it a
 * hospital): the first screen, the emergency line, the safety question's queue priority,
 * no peer on duty, writing while waiting, resources cards, save a copy, and quick exit.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { downloadText } from '../../internal/download.js';
import { button, expectAccessible, field, hasButton, role, shadow, testRelay, text, waitForText } from '../../testing/harness.js';
import { cleanUp, mountSurvivor, peerConsole, signInOnDuty, startAndAccept, survivor } from '../../testing/peer.js';
import type { KindredChatFrame } from './chat-frame.js';

function radio(root: ShadowRoot, name: string): HTMLInputElement {
  const label = [...root.querySelectorAll('label.choice')].find((each) => text(each) === name);
  const input = label?.querySelector('input');
  if (!input) throw new Error(`no radio ${name}`);
  return input;
}

function hrefs(root: ParentNode): string[] {
  return [...root.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? '');
}

async function hospitalLoaded(el: KindredChatFrame): Promise<void> {
  await waitForText(() => shadow(el), 'What stays private');
}

describe('<kindred-chat-frame> safety', () => {
  let relay: { url: string; refusingUrl: string; token: string };

  before(async () => {
    relay = await testRelay();
  });

  // Before the fixtures go: the relay would otherwise hold their chats for its grace period.
  afterEach(cleanUp);

  it('first screen: confidentiality and device-safety tip from the hospital, an optional safety question', async () => {
    const el = await survivor(relay.url);
    const root = shadow(el);
    await hospitalLoaded(el);
    expect(text(root)).to.contain('Peers keep what you share private, unless someone is in immediate danger.');
    expect(text(root)).to.contain('If someone else might see this device, use a private window.');
    expect(text(root.querySelector('legend'))).to.equal('Are you safe to talk right now?');
    expect(root.querySelectorAll('fieldset input[type="radio"]').length).to.equal(3);
    // The compact emergency line is there from the start, and Quick exit is first in tab order.
    expect(text(root.querySelector('footer'))).to.equal('In immediate danger? Call emergency services on 999');
    expect(hrefs(root.querySelector('footer')!)).to.deep.equal(['tel:999']);
    expect(root.querySelector('button, a, input, textarea, select, [tabindex]')).to.equal(button(root, 'Quick exit'));
    expect((el as unknown as { connection: { active: boolean } }).connection.active).to.equal(false);
    await expectAccessible(el);
  });

  it('answering No shows the emergency block with a tel: link at once, before starting', async () => {
    const el = await survivor(relay.url);
    const root = shadow(el);
    await hospitalLoaded(el);
    expect(root.querySelector('.emergency')).to.equal(null);
    radio(root, 'No').click();
    await el.updateComplete;
    const block = root.querySelector('.emergency')!;
    expect(text(block)).to.contain('In immediate danger? Call emergency services on 999');
    expect(hrefs(block)).to.deep.equal(['tel:999']);
    expect(block.closest('[role="alert"]')).to.equal(null);
    expect((el as unknown as { connection: { active: boolean } }).connection.active).to.equal(false);
    await expectAccessible(el);
  });

  it('puts a survivor who said "Not sure" ahead of one who said nothing', async () => {
    const first = await survivor(relay.url);
    // Outside the fixture; cleanUp leaves the queue and removes it.
    const second = await mountSurvivor(relay.url);
    await hospitalLoaded(second);
    button(shadow(first), 'Start chat').click();
    await waitForText(() => role(shadow(first), 'status'), 'You are number 1 in the queue.');
    radio(shadow(second), 'Not sure').click();
    button(shadow(second), 'Start chat').click();
    await waitForText(() => role(shadow(second), 'status'), 'You are number 1 in the queue.');
    await waitForText(() => role(shadow(first), 'status'), 'You are number 2 in the queue.');
    // The emergency block stays in view while they wait.
    expect(hrefs(shadow(second).querySelector('.emergency')!)).to.deep.equal(['tel:999']);
    await expectAccessible(second, { sharedPage: true });
  });

  it('no peer on duty: says so at once, with resources and peer hours, and keeps the place', async () => {
    const el = await survivor(relay.url);
    const root = shadow(el);
    await hospitalLoaded(el);
    button(root, 'Start chat').click();
    await waitForText(() => role(root, 'status'), 'No peer is on duty right now. You are number 1 in the queue.');
    const help = root.querySelector('.no-peer')!;
    expect(text(help)).to.contain('Peers are usually here: Every day, 9:00 to 21:00');
    expect(text(help)).to.contain('Samaritans');
    expect(text(help)).to.contain('Someone to talk to, day or night.');
    expect(text(help)).to.contain('24 hours, every day');
    expect(hrefs(help)).to.deep.equal(['tel:116123', 'https://www.samaritans.org/', 'tel:08081689111', 'https://www.victimsupport.org.uk/']);
    expect(hasButton(root, 'Leave the queue')).to.equal(true);
    expect(text(root)).to.contain('You will not lose your place while you read.');
    await expectAccessible(el);
    // A peer comes on duty: the place is kept and the resources fold away.
    const peer = await peerConsole(relay.url);
    await signInOnDuty(peer, relay.token);
    await waitForText(() => role(root, 'status'), /^You are number 1 in the queue\.( About \d+ minutes?\.)?$/);
    expect(root.querySelector('details.help summary')).to.not.equal(null);
    await expectAccessible(el, { sharedPage: true });
    button(root, 'Leave the queue').click();
  });

  it('sends messages written while waiting, in order, once a peer accepts', async () => {
    const el = await survivor(relay.url);
    const peer = await peerConsole(relay.url);
    await signInOnDuty(peer, relay.token);
    const root = shadow(el);
    button(root, 'Start chat').click();
    await waitForText(() => role(root, 'status'), 'You are number 1 in the queue.');
    const box = field(root, 'Message');
    box.focus();
    await sendKeys({ type: 'first while waiting' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ type: 'second while waiting' });
    await sendKeys({ press: 'Enter' });
    await waitForText(() => root, 'You: first while waiting Waiting for a peer You: second while waiting Waiting for a peer');
    await expectAccessible(el, { sharedPage: true });
    await waitForText(() => shadow(peer), 'Waiting (1)');
    button(shadow(peer), /^Accept /).click();
    await waitForText(() => shadow(peer), ': first while waiting');
    await waitForText(() => shadow(peer), ': second while waiting');
    const seen = [...shadow(peer).querySelectorAll('.bubble .text')].map((each) => text(each));
    expect(seen).to.deep.equal(['first while waiting', 'second while waiting']);
    // Shown in the console, which has the chat on screen: delivered, then read.
    await waitUntil(() => root.querySelectorAll('[data-status="read"]').length === 2);
  });

  it('shows a resources card shared by the peer, with tel: and https links, and acknowledges it', async () => {
    const el = await survivor(relay.url);
    const peer = await peerConsole(relay.url);
    await signInOnDuty(peer, relay.token);
    await startAndAccept(el, peer);
    const select = field<HTMLSelectElement>(shadow(peer), 'Resource');
    expect([...select.options].map((option) => option.textContent)).to.deep.equal(['Samaritans', 'Victim Support']);
    select.value = 'samaritans';
    button(shadow(peer), 'Share').click();
    const log = role(shadow(el), 'log');
    await waitForText(() => log, 'Samaritans');
    const card = log.querySelector('.bubble.card')!;
    expect(text(card)).to.contain('Robin: Shared a resource Samaritans Someone to talk to, day or night. Call 116 123');
    expect(text(card)).to.contain('Hours: 24 hours, every day');
    expect(hrefs(card)).to.deep.equal(['tel:116123', 'https://www.samaritans.org/']);
    // The peer sees the same card in their own log.
    await waitForText(() => role(shadow(peer), 'log'), 'You: Shared a resource Samaritans');
    expect(hrefs(shadow(peer).querySelector('.bubble.card')!)).to.deep.equal(['tel:116123', 'https://www.samaritans.org/']);
    await expectAccessible(el, { sharedPage: true });
    await expectAccessible(peer, { sharedPage: true });
  });

  it('save a copy: warns first, then downloads the conversation as conversation.txt', async () => {
    const el = await survivor(relay.url);
    const peer = await peerConsole(relay.url);
    await signInOnDuty(peer, relay.token);
    await startAndAccept(el, peer);
    const root = shadow(el);
    field(root, 'Message').value = 'a line to keep';
    button(root, 'Send').click();
    await waitForText(() => role(root, 'log'), 'Read');

    const blobs: Blob[] = [];
    const clicked: Array<{ href: string; download: string }> = [];
    const originalCreate = URL.createObjectURL;
    const originalClick = HTMLAnchorElement.prototype.click;
    URL.createObjectURL = (blob: Blob | MediaSource) => {
      blobs.push(blob as Blob);
      return originalCreate.call(URL, blob);
    };
    // Only the click is stubbed (a headless download has nowhere to go); the anchor, its
    // blob: URL and download name are the production ones.
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download });
    };
    try {
      button(root, 'Save a copy').click();
      await el.updateComplete;
      expect(clicked).to.deep.equal([]);
      const warning = root.querySelector('.confirm')!;
      expect(text(warning)).to.contain('A saved copy stays on this device. Anyone who uses it may find it.');
      expect(root.activeElement).to.equal(warning);
      await expectAccessible(el, { sharedPage: true });
      button(root, 'Cancel').click();
      await el.updateComplete;
      expect(clicked).to.deep.equal([]);
      button(root, 'Save a copy').click();
      await el.updateComplete;
      button(root, 'Save copy').click();
    } finally {
      URL.createObjectURL = originalCreate;
      HTMLAnchorElement.prototype.click = originalClick;
    }
    expect(clicked.length).to.equal(1);
    expect(clicked[0]!.download).to.equal('conversation.txt');
    expect(clicked[0]!.href).to.match(/^blob:/);
    const saved = await blobs[0]!.text();
    expect(blobs[0]!.type).to.equal('text/plain;charset=utf-8');
    expect(saved).to.contain('Kindred chat with Robin');
    expect(saved).to.match(/You: a line to keep/);
    await waitForText(() => role(root, 'status'), 'A copy was saved to this device.');
  });

  it('the download works under the frame page CSP (no violation, a real anchor click)', async () => {
    const policy =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; require-trusted-types-for 'script'";
    const iframe = document.createElement('iframe');
    iframe.title = 'csp';
    iframe.srcdoc = `<!doctype html><html lang="en"><head><meta http-equiv="Content-Security-Policy" content="${policy}"><title>t</title></head><body></body></html>`;
    const loaded = new Promise((resolve) => iframe.addEventListener('load', resolve, { once: true }));
    document.body.append(iframe);
    await loaded;
    const doc = iframe.contentDocument!;
    const violations: string[] = [];
    doc.addEventListener('securitypolicyviolation', (event) => violations.push(event.violatedDirective));
    let clickedHref = '';
    // Watch the click go by and let the real one (the download) happen, under this page's CSP.
    const anchorProto = (iframe.contentWindow as unknown as { HTMLAnchorElement: typeof HTMLAnchorElement }).HTMLAnchorElement.prototype;
    const realClick = anchorProto.click;
    anchorProto.click = function (this: HTMLAnchorElement) {
      clickedHref = this.href;
      realClick.call(this);
    };
    downloadText('hello', 'conversation.txt', doc);
    await new Promise((resolve) => setTimeout(resolve, 300));
    iframe.remove();
    expect(clickedHref).to.match(/^blob:/);
    expect(violations).to.deep.equal([]);
  });

  describe('quick exit', () => {
    let parentFrame: HTMLIFrameElement;
    let posted: unknown[];

    beforeEach(() => {
      parentFrame = document.createElement('iframe');
      parentFrame.title = 'stand-in shell';
      document.body.append(parentFrame);
      posted = [];
      (parentFrame.contentWindow as Window).postMessage = ((message: unknown) => {
        posted.push(message);
      }) as Window['postMessage'];
    });

    afterEach(() => parentFrame.remove());

    function embedded(): Promise<KindredChatFrame> {
      return mountSurvivor(relay.url, { parent: parentFrame.contentWindow as Window, hash: `#origin=${encodeURIComponent(location.origin)}` });
    }

    async function expectErased(el: KindredChatFrame): Promise<void> {
      await el.updateComplete;
      expect(text(shadow(el))).to.equal('');
      expect(shadow(el).querySelectorAll('*:not(style)').length).to.equal(0);
      const state = el as unknown as { messages: unknown[]; connection: { active: boolean } };
      expect(state.messages).to.deep.equal([]);
      expect(state.connection.active).to.equal(false);
      // Nothing of the chat left in this tab's storage either (the console on this test page
      // keeps its own key).
      expect(sessionStorage.getItem('kindred-chat')).to.equal(null);
    }

    it('the button ends the chat (the peer is told at once), blanks the frame, wipes storage and asks the shell to exit', async () => {
      const el = await embedded();
      try {
        const peer = await peerConsole(relay.url);
        await signInOnDuty(peer, relay.token);
        const name = await startAndAccept(el, peer);
        await waitUntil(() => posted.some((each) => (each as { type: string }).type === 'exit-url'));
        expect(posted).to.deep.include({ kindred: 1, type: 'exit-url', url: 'https://www.bbc.co.uk/weather' });
        field(shadow(el), 'Message').value = 'a draft';
        // The chat is kept in this tab while it goes on (for a reload) ...
        expect(sessionStorage.getItem('kindred-chat')).to.contain('Robin');
        button(shadow(el), 'Quick exit').click();
        await expectErased(el);
        expect(posted.at(-1)).to.deep.equal({ kindred: 1, type: 'exit' });
        // Ended at once, not held for the grace period as a dropped connection would be.
        await waitForText(() => shadow(peer), `${name} ended the chat.`);
      } finally {
        el.remove();
      }
    });

    it('Shift three times counts down in a live region, then exits; other keys start again', async () => {
      const el = await embedded();
      try {
        const peer = await peerConsole(relay.url);
        await signInOnDuty(peer, relay.token);
        const name = await startAndAccept(el, peer);
        const live = shadow(el).querySelector('[aria-live="polite"]')!;
        await sendKeys({ press: 'Shift' });
        await waitForText(() => live, 'Shift, press 2 more times to exit.');
        await sendKeys({ press: 'a' });
        await waitUntil(() => text(live) === '');
        await sendKeys({ press: 'Shift' });
        await sendKeys({ press: 'Shift' });
        await waitForText(() => live, 'Shift, press 1 more time to exit.');
        await sendKeys({ press: 'Shift' });
        await expectErased(el);
        expect(posted.at(-1)).to.deep.equal({ kindred: 1, type: 'exit' });
        // Ended at once, not held for the grace period as a dropped connection would be.
        await waitForText(() => shadow(peer), `${name} ended the chat.`);
      } finally {
        el.remove();
      }
    });

    it('obeys exit from the shell: same erase, and does not post exit back', async () => {
      const el = await embedded();
      try {
        button(shadow(el), 'Start chat').click();
        await waitForText(() => role(shadow(el), 'status'), /queue/);
        window.dispatchEvent(new MessageEvent('message', { data: { kindred: 1, type: 'exit' }, origin: location.origin, source: parentFrame.contentWindow }));
        await expectErased(el);
        expect(posted).to.not.deep.include({ kindred: 1, type: 'exit' });
      } finally {
        el.remove();
      }
    });

    it('not embedded: navigates itself to the hospital exit URL', async () => {
      const el = await survivor(relay.url);
      await hospitalLoaded(el);
      const went: string[] = [];
      el.navigate = (url) => went.push(url);
      button(shadow(el), 'Quick exit').click();
      await expectErased(el);
      expect(went).to.deep.equal(['https://www.bbc.co.uk/weather']);
    });
  });
});
