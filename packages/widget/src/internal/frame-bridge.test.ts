// SPDX-License-Identifier: Apache-2.0
/**
 * What this protects: the frame tells its state and unread count only to the page that
 * embedded it, from the `#origin=` the shell wrote, and obeys only that page.
 */
import { expect } from '@open-wc/testing';
import { FrameBridge, originFromHash } from './frame-bridge.js';

const origins: Array<{ title: string; hash: string; expected: string | undefined }> = [
  { title: 'a plain https origin', hash: '#origin=https%3A%2F%2Fhospital.example', expected: 'https://hospital.example' },
  { title: 'an origin with a port', hash: '#origin=http%3A%2F%2Flocalhost%3A8000', expected: 'http://localhost:8000' },
  { title: 'missing', hash: '', expected: undefined },
  { title: 'the wildcard', hash: '#origin=*', expected: undefined },
  { title: 'the opaque origin "null"', hash: '#origin=null', expected: undefined },
  { title: 'a URL with a path (not an origin)', hash: '#origin=https%3A%2F%2Fhospital.example%2Fpage', expected: undefined },
  { title: 'a javascript: URL', hash: '#origin=javascript%3Aalert(1)', expected: undefined },
  { title: 'a data: URL', hash: '#origin=data%3Atext%2Fhtml%2Cx', expected: undefined },
];

describe('originFromHash', () => {
  for (const row of origins) {
    it(row.title, () => expect(originFromHash(row.hash)).to.equal(row.expected));
  }
});

describe('FrameBridge', () => {
  let parentFrame: HTMLIFrameElement;
  let posted: Array<[unknown, string]>;

  beforeEach(async () => {
    parentFrame = document.createElement('iframe');
    parentFrame.title = 'stand-in parent';
    document.body.append(parentFrame);
    posted = [];
    // A same-origin window stands in for the shell's, so we can see what is posted to it.
    (parentFrame.contentWindow as Window).postMessage = ((message: unknown, targetOrigin: string) => {
      posted.push([message, targetOrigin]);
    }) as Window['postMessage'];
  });

  afterEach(() => parentFrame.remove());

  function bridge(onVisibility: (open: boolean) => void = () => {}, onExit: () => void = () => {}) {
    return new FrameBridge({
      self: window,
      parent: parentFrame.contentWindow as Window,
      hash: '#origin=https%3A%2F%2Fhospital.example',
      onVisibility,
      onExit,
    });
  }

  it('says ready to the exact embedding origin, never "*"', () => {
    const b = bridge();
    b.connect();
    b.post({ kindred: 1, type: 'unread', count: 3 });
    b.disconnect();
    expect(posted).to.deep.equal([
      [{ kindred: 1, type: 'ready' }, 'https://hospital.example'],
      [{ kindred: 1, type: 'unread', count: 3 }, 'https://hospital.example'],
    ]);
  });

  it('is off when the frame is not embedded', () => {
    const b = new FrameBridge({ self: window, parent: window, hash: '#origin=https%3A%2F%2Fhospital.example', onVisibility: () => {} });
    expect(b.embedded).to.equal(false);
    b.connect();
    b.post({ kindred: 1, type: 'close' });
    expect(posted).to.deep.equal([]);
  });

  it('obeys visibility only from the parent window at the embedding origin', () => {
    const seen: boolean[] = [];
    const b = bridge((open) => seen.push(open));
    b.connect();
    const parent = parentFrame.contentWindow as Window;
    const data = { kindred: 1, type: 'visibility', open: false };
    window.dispatchEvent(new MessageEvent('message', { data, origin: 'https://evil.example', source: parent }));
    window.dispatchEvent(new MessageEvent('message', { data, origin: 'https://hospital.example', source: window }));
    window.dispatchEvent(new MessageEvent('message', { data: { ...data, open: 'no' }, origin: 'https://hospital.example', source: parent }));
    expect(seen).to.deep.equal([]);
    expect(b.open).to.equal(true);
    window.dispatchEvent(new MessageEvent('message', { data, origin: 'https://hospital.example', source: parent }));
    expect(seen).to.deep.equal([false]);
    expect(b.open).to.equal(false);
    b.disconnect();
  });

  it('obeys exit only from the parent window at the embedding origin', () => {
    let exits = 0;
    const b = bridge(undefined, () => exits++);
    b.connect();
    const parent = parentFrame.contentWindow as Window;
    const data = { kindred: 1, type: 'exit' };
    window.dispatchEvent(new MessageEvent('message', { data, origin: 'https://evil.example', source: parent }));
    window.dispatchEvent(new MessageEvent('message', { data, origin: 'https://hospital.example', source: window }));
    window.dispatchEvent(new MessageEvent('message', { data, origin: 'https://hospital.example.evil', source: parent }));
    window.dispatchEvent(new MessageEvent('message', { data: { kindred: 2, type: 'exit' }, origin: 'https://hospital.example', source: parent }));
    window.dispatchEvent(new MessageEvent('message', { data: 'exit', origin: 'https://hospital.example', source: parent }));
    expect(exits).to.equal(0);
    window.dispatchEvent(new MessageEvent('message', { data, origin: 'https://hospital.example', source: parent }));
    expect(exits).to.equal(1);
    b.disconnect();
  });

  it('posts exit and exit-url to the exact embedding origin', () => {
    const b = bridge();
    b.post({ kindred: 1, type: 'exit-url', url: 'https://www.bbc.co.uk/weather' });
    b.post({ kindred: 1, type: 'exit' });
    expect(posted).to.deep.equal([
      [{ kindred: 1, type: 'exit-url', url: 'https://www.bbc.co.uk/weather' }, 'https://hospital.example'],
      [{ kindred: 1, type: 'exit' }, 'https://hospital.example'],
    ]);
  });
});
