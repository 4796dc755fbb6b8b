// SPDX-License-Identifier: Apache-2.0
/**
 * What this protects: browser storage is input. Whatever another script, an extension or a
 * hand in the developer tools puts under our keys must never reach the screen unchecked: a
 * snapshot comes back exactly as saved, or not at all (and is then wiped). Also: nothing but
 * `sessionStorage` is touched, and storage that throws does not break the chat.
 */
import { expect } from '@open-wc/testing';
import { consoleStore, parseConsoleSnapshot, type ConsoleSnapshot } from './session-store-console.js';
import { frameStore, parseFrameSnapshot, sessionStore, type FrameSnapshot } from './session-store.js';

const token = 'AbCdEfGhIjKlMnOpQrStUv';
/** A peer's resume token is a relay-signed JWT (protocol `peerResumePattern`). */
const peerResume = 'eyJhbGciOiJIUzI1NiJ9.eyJzaWQiOiJBYkNkRWZHaElqS2xNbk9wUXJTdFV2In0.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ';
const chatId = 'ZyXwVuTsRqPoNmLkJiHgFe';

const frame: FrameSnapshot = {
  resume: token,
  state: 'chatting',
  peerName: 'Robin',
  expectedSeq: 3,
  readMarks: false,
  safety: 'unsure',
  messages: [
    { id: 'peer-1', own: false, sender: 'Robin', text: 'Hello', status: 'delivered', at: 1 },
    { id: 'own-1', own: true, sender: 'You', text: 'Hi <b>there</b>', status: 'sent', seq: 1, deadline: 20_000, at: 2 },
    {
      id: 'card-1',
      own: false,
      sender: 'Robin',
      text: '',
      status: 'delivered',
      at: 3,
      resource: { id: 'samaritans', name: 'Samaritans', phone: '116 123', url: 'https://www.samaritans.org' },
    },
  ],
};

const consoleSnapshot: ConsoleSnapshot = {
  resume: peerResume,
  selectedId: chatId,
  chats: [{ chatId, survivorName: 'Blue Heron', expectedSeq: 2, unread: 1, messages: [frame.messages[1]!] }],
};

function withMessage(change: Record<string, unknown>): unknown {
  return { ...frame, messages: [{ ...frame.messages[1], ...change }] };
}

const badFrames: Array<{ title: string; value: unknown }> = [
  { title: 'not an object', value: 'chatting' },
  { title: 'an array', value: [frame] },
  { title: 'null', value: null },
  { title: 'resume token of the wrong shape', value: { ...frame, resume: 'short' } },
  { title: 'resume token with a slash', value: { ...frame, resume: 'AbCdEfGhIjKlMnOpQrSt/v' } },
  { title: 'unknown state', value: { ...frame, state: 'ended' } },
  { title: 'expectedSeq of 0', value: { ...frame, expectedSeq: 0 } },
  { title: 'expectedSeq as a string', value: { ...frame, expectedSeq: '3' } },
  { title: 'readMarks as a string', value: { ...frame, readMarks: 'yes' } },
  { title: 'an unknown safety answer', value: { ...frame, safety: 'maybe' } },
  { title: 'peer name past the display-name limit', value: { ...frame, peerName: 'x'.repeat(41) } },
  { title: 'messages not an array', value: { ...frame, messages: {} } },
  { title: 'a message that is not an object', value: { ...frame, messages: ['hi'] } },
  { title: 'a message id with markup', value: withMessage({ id: '<img src=x>' }) },
  { title: 'a message text past the limit', value: withMessage({ text: 'x'.repeat(2_001) }) },
  { title: 'a message text that is not a string', value: withMessage({ text: { toString: 'x' } }) },
  { title: 'an unknown delivery status', value: withMessage({ status: 'seen' }) },
  { title: 'own as a string', value: withMessage({ own: 'true' }) },
  { title: 'a fractional seq', value: withMessage({ seq: 1.5 }) },
  { title: 'a deadline that is not a number', value: withMessage({ deadline: 'soon' }) },
  { title: 'a time that is not finite', value: withMessage({ at: Number.POSITIVE_INFINITY }) },
  { title: 'a resource that is not one', value: withMessage({ resource: { id: 'x' } }) },
  { title: 'too many messages', value: { ...frame, messages: Array.from({ length: 5_001 }, () => frame.messages[0]) } },
];

const badConsoles: Array<{ title: string; value: unknown }> = [
  { title: 'resume token missing', value: { ...consoleSnapshot, resume: undefined } },
  { title: "a survivor's resume token (a peer's is signed)", value: { ...consoleSnapshot, resume: token } },
  { title: 'chats not an array', value: { ...consoleSnapshot, chats: 'all' } },
  { title: 'more chats than a peer may hold', value: { ...consoleSnapshot, chats: Array.from({ length: 9 }, () => consoleSnapshot.chats[0]) } },
  { title: 'a chat id of the wrong shape', value: { ...consoleSnapshot, selectedId: undefined, chats: [{ ...consoleSnapshot.chats[0], chatId: '../x' }] } },
  { title: 'a negative unread count', value: { ...consoleSnapshot, chats: [{ ...consoleSnapshot.chats[0], unread: -1 }] } },
  { title: 'a selected chat that is not there', value: { ...consoleSnapshot, selectedId: token } },
  { title: 'a bad message in a chat', value: { ...consoleSnapshot, chats: [{ ...consoleSnapshot.chats[0], messages: [{ id: 1 }] }] } },
];

describe('session store', () => {
  afterEach(() => sessionStorage.clear());

  it('gives back a frame snapshot exactly as saved, in sessionStorage only', () => {
    const local = localStorage.length;
    frameStore.save(frame);
    expect(frameStore.load()).to.deep.equal(frame);
    expect(Object.keys(sessionStorage)).to.deep.equal(['kindred-chat']);
    expect(localStorage.length).to.equal(local);
    expect(document.cookie).to.equal('');
  });

  it('gives back a console snapshot exactly as saved, without any sign-in token', () => {
    consoleStore.save(consoleSnapshot);
    expect(consoleStore.load()).to.deep.equal(consoleSnapshot);
    // The session's resume token and its chats, and nothing else: there is no place for a sign-in token.
    expect(Object.keys(JSON.parse(sessionStorage.getItem('kindred-console')!) as object)).to.have.members(['resume', 'selectedId', 'chats']);
  });

  it('wipe removes it', () => {
    frameStore.save(frame);
    frameStore.wipe();
    expect(frameStore.load()).to.equal(undefined);
    expect(sessionStorage.length).to.equal(0);
  });

  it('nothing stored loads as nothing', () => {
    expect(frameStore.load()).to.equal(undefined);
    expect(consoleStore.load()).to.equal(undefined);
  });

  it('text that is not JSON loads as nothing, and is wiped', () => {
    sessionStorage.setItem('kindred-chat', '{"resume":');
    expect(frameStore.load()).to.equal(undefined);
    expect(sessionStorage.getItem('kindred-chat')).to.equal(null);
  });

  for (const row of badFrames) {
    it(`refuses and wipes a frame snapshot with ${row.title}`, () => {
      expect(parseFrameSnapshot(row.value)).to.equal(undefined);
      sessionStorage.setItem('kindred-chat', JSON.stringify(row.value));
      expect(frameStore.load()).to.equal(undefined);
      expect(sessionStorage.getItem('kindred-chat')).to.equal(null);
    });
  }

  for (const row of badConsoles) {
    it(`refuses a console snapshot with ${row.title}`, () => {
      expect(parseConsoleSnapshot(row.value)).to.equal(undefined);
    });
  }

  it('drops keys it does not know, such as __proto__, rather than copying them', () => {
    const raw = `{"__proto__":{"polluted":1},${JSON.stringify(frame).slice(1)}`;
    sessionStorage.setItem('kindred-chat', raw);
    const loaded = frameStore.load() as unknown as Record<string, unknown>;
    expect(loaded).to.deep.equal(frame);
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
    expect(Object.getPrototypeOf(loaded)).to.equal(Object.prototype);
  });

  it('storage that throws behaves as empty and never throws into the chat', () => {
    const broken = sessionStore('kindred-chat', parseFrameSnapshot, () => {
      throw new DOMException('Access is denied for this document.', 'SecurityError');
    });
    expect(() => broken.save(frame)).to.not.throw();
    expect(broken.load()).to.equal(undefined);
    expect(() => broken.wipe()).to.not.throw();
  });
});
