// SPDX-License-Identifier: Apache-2.0
/**
 * End-to-end encryption (issue #9). PROTECTS: the relay — and whatever sits on its side, Redis,
 * proxies, debug output — never reads a message, and can neither change, replay, reorder,
 * re-label nor splice one in from another chat without the recipient noticing; a relay that
 * swaps keys is caught by the verification code. Every case below is load-bearing.
 *
 * 1. Known-answer vectors for the derivation: fixed private keys (JWK) → the key bytes, key id
 *    and code, computed once with Node's WebCrypto (OpenSSL) and checked here against
 *    Chromium's (BoringSSL), so the derivation is deterministic and the same in both.
 * 2. A relay simulator, pure (no sockets): what a hostile relay can do to a box, as a table.
 * 3. Without WebCrypto the chat refuses to start.
 */
import { expect, fixture, html } from '@open-wc/testing';
import type { PublicKeys } from '@kindred/protocol';
import { ChatCipher, deriveKeys, fromB64, toB64, type KeyPairs, type Kind } from './e2e.js';
import { KindredChatFrame } from '../components/chat-frame/chat-frame.js';
import { define } from '../define.js';
import { button, shadow, waitForText } from '../testing/harness.js';

define('kindred-chat-frame', KindredChatFrame);

interface TestJwks {
  p256: JsonWebKey;
  x25519: JsonWebKey;
}
// Test keys only: generated once for these vectors, never used anywhere else.
const survivorJwks: TestJwks = { p256: { kty: 'EC', crv: 'P-256', x: 'FZsufNrWOAYjDklECsFoR-a6s0pgzOz7l1I3YbAxheU', y: 'IZ_PI-vPD5FzNNaApKebYj4IAzHKqrnod1o8_OJl-po', d: 'xIulMsJZRHXKmIF_GUj2Og0KflT9eqfXv_SQv05AnWA' }, x25519: { kty: 'OKP', crv: 'X25519', x: 'zRmR3lQGhc3gl8-tK-rf4xQoS3-M4F8NQA2ir4D21Vs', d: 'MCUv6CRootfMTvlh7C9fXl2DdGcOdztLuL2uZ_sxe2M' } };
const peerJwks: TestJwks = { p256: { kty: 'EC', crv: 'P-256', x: 'do56bpHYvbTbauQYfJYX4Bo7bNIq4hPdPJ_j6QLmXos', y: 'WOBmZ68W0bv8QMkfHn2Lqhc7dKuJBWWrJQ3yf-tPG_4', d: 'AtIrYG4-BZe2zUFBrC5tPHQhRXbBmrm7tJNOOhrLb-M' }, x25519: { kty: 'OKP', crv: 'X25519', x: 'XPGTBNskrBzlaottP_u1i1UqHEpkbCDRIeQ9F-UBaF4', d: 'KIjeabNpOVgCWJc-M63V-jPowuyF68K8xQPYEJRV60I' } };

const vectors = [
  { title: 'X25519 (both offered it)', peerHasX25519: true, survivorToPeer: 'f0c7d2f55139bf759675e6a815884889a79793341d7db1b40b9c4f52ee7b6f47', peerToSurvivor: 'e1561ee8f753e42d6a4f08edfeaaf2ec7ab2baf67edb8586a4ef21be0721997d', kid: 1499683478, code: '1573 4632 9127' },
  { title: 'P-256 (the peer offered no X25519)', peerHasX25519: false, survivorToPeer: 'deab9de8dd66f5118bf2fdf9faa405852a2b1a1a12b3797306982b9906ddf3b9', peerToSurvivor: '5576d8ede858da1a2a5521d0a523e9b1fabffdd0a3fb76a109a03696dfa9db32', kid: 1870971140, code: '5760 4875 2434' },
];

const subtle = crypto.subtle;
const hex = async (key: CryptoKey) => [...new Uint8Array(await subtle.exportKey('raw', key))].map((b) => b.toString(16).padStart(2, '0')).join('');

async function load(jwks: TestJwks, withX25519: boolean): Promise<KeyPairs> {
  const curve = { name: 'ECDH', namedCurve: 'P-256' };
  const p256 = await subtle.importKey('jwk', jwks.p256, curve, false, ['deriveBits']);
  const { x, y } = jwks.p256;
  const pub = await subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x, y }, curve, true, []);
  const keys: PublicKeys = { p256: toB64(new Uint8Array(await subtle.exportKey('raw', pub))) };
  if (!withX25519) return { keys, p256 };
  keys.x25519 = jwks.x25519.x!;
  return { keys, p256, x25519: await subtle.importKey('jwk', jwks.x25519, { name: 'X25519' }, false, ['deriveBits']) };
}

describe('end-to-end encryption: known-answer vectors', () => {
  for (const vector of vectors) {
    it(`derives the checked-in keys, key id and code: ${vector.title}`, async () => {
      const survivor = await load(survivorJwks, true);
      const peer = await load(peerJwks, vector.peerHasX25519);
      const mine = await deriveKeys('survivor', survivor, peer.keys, true);
      expect(await hex(mine.send)).to.equal(vector.survivorToPeer);
      expect(await hex(mine.open)).to.equal(vector.peerToSurvivor);
      expect(mine.kid).to.equal(vector.kid);
      expect(mine.code).to.equal(vector.code);
      const theirs = await deriveKeys('peer', peer, survivor.keys, true);
      expect(await hex(theirs.send)).to.equal(vector.peerToSurvivor);
      expect(await hex(theirs.open)).to.equal(vector.survivorToPeer);
      expect(theirs.code).to.equal(vector.code);
    });
  }

  it('keys are not extractable outside the tests', async () => {
    const survivor = await load(survivorJwks, true);
    const peer = await load(peerJwks, true);
    const keys = await deriveKeys('survivor', survivor, peer.keys);
    expect(keys.send.extractable).to.equal(false);
    expect(keys.open.extractable).to.equal(false);
  });
});

/** A survivor and a peer who agreed keys through an honest relay. */
async function chat(): Promise<{ survivor: ChatCipher; peer: ChatCipher }> {
  const survivor = new ChatCipher('survivor');
  const peer = new ChatCipher('peer');
  const offer = await survivor.offer();
  const answer = (await peer.offered(offer))!;
  expect(await survivor.answered(answer.keys, offer)).to.equal(true);
  return { survivor, peer };
}

const flip = (box: string, at: number): string => {
  const bytes = fromB64(box);
  bytes[at < 0 ? bytes.length + at : at]! ^= 0x01;
  return toB64(bytes);
};

/** What a hostile relay does to the peer's messages before the survivor opens them: each must come out `false`. */
const attacks: Array<{ title: string; run(c: { survivor: ChatCipher; peer: ChatCipher }): Promise<string | false | undefined> }> = [
  { title: 'a bit flipped in the ciphertext', run: async (c) => c.survivor.open('m', 1, flip((await c.peer.seal('m', 1, 'hello'))!, 9)) },
  { title: 'a bit flipped in the tag', run: async (c) => c.survivor.open('m', 1, flip((await c.peer.seal('m', 1, 'hello'))!, -1)) },
  { title: 'a bit flipped in the counter (the nonce)', run: async (c) => c.survivor.open('m', 1, flip((await c.peer.seal('m', 1, 'hello'))!, 7)) },
  { title: 'a bit flipped in the key id', run: async (c) => c.survivor.open('m', 1, flip((await c.peer.seal('m', 1, 'hello'))!, 0)) },
  { title: 'truncated', run: async (c) => c.survivor.open('m', 1, (await c.peer.seal('m', 1, 'hello'))!.slice(0, 20)) },
  { title: 'not base64url at all', run: async (c) => c.survivor.open('m', 1, '!!!') },
  {
    title: 'replayed',
    run: async (c) => {
      const box = (await c.peer.seal('m', 1, 'hello'))!;
      expect(await c.survivor.open('m', 1, box)).to.equal('hello');
      return c.survivor.open('m', 1, box);
    },
  },
  {
    title: 'reordered (the later one first)',
    run: async (c) => {
      const first = (await c.peer.seal('m', 1, 'first'))!;
      const second = (await c.peer.seal('m', 2, 'second'))!;
      expect(await c.survivor.open('m', 2, second)).to.equal('second');
      return c.survivor.open('m', 1, first);
    },
  },
  { title: 'relabelled with another seq', run: async (c) => c.survivor.open('m', 2, (await c.peer.seal('m', 1, 'hello'))!) },
  { title: 'a message passed off as a card', run: async (c) => c.survivor.open('r' as Kind, 1, (await c.peer.seal('m', 1, 'helpline'))!) },
  { title: "reflected: the survivor's own box sent back", run: async (c) => c.survivor.open('m', 1, (await c.survivor.seal('m', 1, 'mine'))!) },
  {
    title: 'spliced in from another chat',
    run: async (c) => {
      const other = await chat();
      return c.survivor.open('m', 1, (await other.peer.seal('m', 1, 'from elsewhere'))!);
    },
  },
];

describe('end-to-end encryption: a hostile relay', () => {
  it('an honest relay: both read every message, each way', async () => {
    const c = await chat();
    expect(await c.survivor.open('m', 1, await c.peer.seal('m', 1, 'I am here.'))).to.equal('I am here.');
    expect(await c.peer.open('m', 1, await c.survivor.seal('m', 1, 'Thank you. 🌱'))).to.equal('Thank you. 🌱');
    expect(await c.survivor.open('r', 2, await c.peer.seal('r', 2, 'helpline'))).to.equal('helpline');
    expect(c.survivor.code).to.match(/^\d{4} \d{4} \d{4}$/);
    expect(c.survivor.code).to.equal(c.peer.code);
  });

  for (const attack of attacks) {
    it(`detects a box ${attack.title}`, async () => {
      expect(await attack.run(await chat())).to.equal(false);
    });
  }

  it('detects swapped keys: nothing opens across the swap, and the codes differ', async () => {
    const survivor = new ChatCipher('survivor');
    const peer = new ChatCipher('peer');
    // The relay answers the survivor itself, and offers the peer keys of its own.
    const towardsSurvivor = new ChatCipher('peer');
    const towardsPeer = new ChatCipher('survivor');
    const offer = await survivor.offer();
    const fake = (await towardsSurvivor.offered(offer))!;
    expect(await survivor.answered(fake.keys, offer)).to.equal(true);
    const fakeOffer = await towardsPeer.offer();
    await peer.offered(fakeOffer);
    // Passing the peer's box on untouched does not work …
    expect(await survivor.open('m', 1, await peer.seal('m', 1, 'hello'))).to.equal(false);
    // … and the two people see different codes.
    expect(survivor.code).to.not.equal(peer.code);
  });

  it('an answer to an older offer, or garbage, gives no keys', async () => {
    const survivor = new ChatCipher('survivor');
    const peer = new ChatCipher('peer');
    const old = await survivor.offer();
    const current = await survivor.offer();
    const late = (await peer.offered(old))!;
    expect(await survivor.answered(late.keys, old)).to.equal(false);
    expect(await survivor.answered({ p256: 'A'.repeat(87) }, current)).to.equal(false);
    expect(await new ChatCipher('peer').offered({ p256: 'not a key' })).to.equal(undefined);
    expect(survivor.keys).to.equal(undefined);
    expect(await survivor.seal('m', 1, 'never in the clear')).to.equal(undefined);
  });

  it('re-keys: a box under the earlier key is dropped quietly (it is re-sealed), and the new key works', async () => {
    const survivor = new ChatCipher('survivor');
    const peer = new ChatCipher('peer');
    const first = await survivor.offer();
    await survivor.answered((await peer.offered(first))!.keys, first);
    const stale = (await peer.seal('m', 1, 'under the old key'))!;
    const second = await survivor.offer();
    const answer = (await peer.offered(second))!;
    expect(answer.fresh).to.equal(true);
    await survivor.answered(answer.keys, second);
    expect(await survivor.open('m', 1, stale)).to.equal(undefined);
    expect(await survivor.open('m', 1, await peer.seal('m', 1, 'under the new key'))).to.equal('under the new key');
    // The same offer again gets the same answer, and keeps the keys.
    const again = (await peer.offered(second))!;
    expect(again).to.deep.equal({ keys: answer.keys, fresh: false });
  });

  it('a dropped cipher seals nothing', async () => {
    const { survivor } = await chat();
    survivor.drop();
    expect(survivor.code).to.equal(undefined);
    expect(await survivor.seal('m', 1, 'after quick exit')).to.equal(undefined);
  });

  it("the longest message fits the relay's bound", async () => {
    const { peer } = await chat();
    // 2,000 UTF-16 code units, each 3 bytes of UTF-8: the worst case.
    const box = (await peer.seal('m', 1, '€'.repeat(2_000)))!;
    expect(box.length).to.be.at.most(8_032);
  });
});

describe('end-to-end encryption: without WebCrypto', () => {
  it('the chat refuses to start and says why, rather than send plaintext', async () => {
    const real = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
    Object.defineProperty(globalThis, 'crypto', { value: {}, configurable: true });
    try {
      const el = await fixture<KindredChatFrame>(html`<kindred-chat-frame .server=${'http://127.0.0.1:9'}></kindred-chat-frame>`);
      button(shadow(el), 'Start chat').click();
      await waitForText(() => shadow(el), 'The chat cannot start here: this browser cannot encrypt it.');
      expect(shadow(el).textContent).to.not.include('Connecting');
    } finally {
      if (real) Object.defineProperty(globalThis, 'crypto', real);
      else delete (globalThis as { crypto?: unknown }).crypto;
    }
  });
});
