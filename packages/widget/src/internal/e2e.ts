// SPDX-License-Identifier: Apache-2.0
/**
 * End-to-end encryption of one chat (issue #9; docs/protocol.md, "End-to-end encryption").
 * The relay, Redis, proxies and any debug output only ever see ciphertext. WebCrypto does all
 * the work: no crypto library, and no key ever leaves this object (every key is
 * non-extractable, and lives in memory only: never in `sessionStorage`).
 *
 * - Key agreement: on every connection that carries the chat, each side makes fresh ephemeral
 *   key pairs — P-256 always, X25519 too where `crypto.subtle` has it — and offers both public
 *   keys; the survivor offers (`key:offer`), the peer answers with its own (`key:answer`,
 *   naming the offer it answers, so a late answer to an older offer is ignored). Both use
 *   X25519 when both offered it, else P-256: the rule needs no negotiation round.
 * - Derivation: the shared secret goes through HKDF-SHA-256 with salt = SHA-256 of the
 *   transcript (a relay-independent context string, the curve, the survivor's offer, the
 *   peer's offer) and info = direction + transcript: one AES-256-GCM key per direction. The
 *   survivor never learns the chat id, so the binding is to both offers, which are fresh for
 *   every connection and hence for every chat.
 * - Sealing: nonce = direction byte + a per-key counter (96 bits; a key seals at most 2³² − 1
 *   times, and a fresh key comes with every connection), associated data = direction, kind
 *   (message or card) and `seq`. A box is base64url(key id ‖ counter ‖ ciphertext ‖ tag); the key
 *   id is 4 bytes of the transcript hash, so a box sealed under an earlier key of this chat is
 *   recognised and quietly dropped (the sender re-seals what is unconfirmed under the new key).
 * - Opening: a box whose tag fails, whose counter is not above the last one opened under its
 *   key (a replay, or a reordering), whose `seq` or kind was changed, or whose key id is
 *   neither this key's nor an earlier one of this chat (spliced from another chat) is refused:
 *   the caller does not show it and says "a message could not be verified".
 * - Verification code: 12 digits from the transcript hash, shown on demand; the same on both
 *   screens unless someone swapped keys in between. 12 digits rather than 6 because a relay
 *   that swaps keys chooses its own and could try a million of them for a 6-digit match.
 *
 * Message length is not hidden (nor was it before); typing, read marks and presence carry no
 * content and stay unencrypted.
 */
import type { PublicKeys } from '@kindred/protocol';

/** Which side of the chat this browser is. */
export type Role = 'survivor' | 'peer';
/** What a box holds: a message's text (`m`) or a shared resource's id (`r`). */
export type Kind = 'm' | 'r';

/** The keys of one chat after an exchange. `send` seals, `open` opens; `code` is for people to compare. */
export interface ChatKeys {
  send: CryptoKey;
  open: CryptoKey;
  kid: number;
  code: string;
}

/** One side's ephemeral private keys and the public keys it offered. */
export interface KeyPairs {
  keys: PublicKeys;
  p256: CryptoKey;
  x25519?: CryptoKey;
}

/** The context string every transcript starts with: ties keys to this protocol and version. */
export const context = 'kindred-e2e-v1';

/** True where the chat can be encrypted: WebCrypto exists only in secure contexts (https, localhost). */
export const canEncrypt = (): boolean => !!globalThis.crypto?.subtle;

const subtle = (): SubtleCrypto => crypto.subtle;
const utf8 = new TextEncoder();

/** base64url without padding. */
export const toB64 = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
/** Throws on anything that is not base64url. */
export const fromB64 = (text: string): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0));

const p256 = { name: 'ECDH', namedCurve: 'P-256' };
const x25519 = { name: 'X25519' };
const dirOf = (role: Role): string => (role === 'survivor' ? 's2p' : 'p2s');
const offerText = (keys: PublicKeys): string => `${keys.x25519 ?? '-'}.${keys.p256}`;

/** Fresh key pairs with their public keys; X25519 only where this browser has it. */
export async function makeKeyPairs(): Promise<KeyPairs> {
  const raw = async (key: CryptoKey) => toB64(new Uint8Array(await subtle().exportKey('raw', key)));
  const p = (await subtle().generateKey(p256, false, ['deriveBits'])) as CryptoKeyPair;
  let x: CryptoKeyPair | undefined;
  try {
    x = (await subtle().generateKey(x25519, false, ['deriveBits'])) as CryptoKeyPair;
  } catch {
    // Not in this browser: offer P-256 alone, and both sides use it.
  }
  const keys: PublicKeys = { p256: await raw(p.publicKey) };
  if (x) keys.x25519 = await raw(x.publicKey);
  return x ? { keys, p256: p.privateKey, x25519: x.privateKey } : { keys, p256: p.privateKey };
}

/**
 * The keys both sides derive from `mine` and `theirs`: deterministic given the keys.
 * `extractable` is for the known-answer tests only.
 */
export async function deriveKeys(role: Role, mine: KeyPairs, theirs: PublicKeys, extractable = false): Promise<ChatKeys> {
  const useX = !!(mine.x25519 && mine.keys.x25519 && theirs.x25519);
  const curve = useX ? x25519 : p256;
  const peerKey = await subtle().importKey('raw', fromB64(useX ? theirs.x25519! : theirs.p256), curve, false, []);
  const secret = await subtle().deriveBits({ name: curve.name, public: peerKey } as EcdhKeyDeriveParams, useX ? mine.x25519! : mine.p256, 256);
  const [survivor, peer] = role === 'survivor' ? [mine.keys, theirs] : [theirs, mine.keys];
  const transcript = `${context} ${useX ? 'x25519' : 'p256'} ${offerText(survivor)} ${offerText(peer)}`;
  const hash = new Uint8Array(await subtle().digest('SHA-256', utf8.encode(transcript)));
  const ikm = await subtle().importKey('raw', secret, 'HKDF', false, ['deriveKey']);
  const key = (dir: string, usage: KeyUsage) =>
    subtle().deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: hash, info: utf8.encode(`${dir} ${transcript}`) },
      ikm,
      { name: 'AES-GCM', length: 256 },
      extractable,
      [usage],
    );
  const other: Role = role === 'survivor' ? 'peer' : 'survivor';
  const view = new DataView(hash.buffer);
  return {
    send: await key(dirOf(role), 'encrypt'),
    open: await key(dirOf(other), 'decrypt'),
    kid: view.getUint32(0),
    code: [4, 8, 12].map((at) => String(view.getUint32(at) % 10_000).padStart(4, '0')).join(' '),
  };
}

const nonce = (role: Role, counter: number): Uint8Array<ArrayBuffer> => {
  const bytes = new Uint8Array(12);
  bytes[3] = role === 'survivor' ? 1 : 2;
  new DataView(bytes.buffer).setUint32(8, counter);
  return bytes;
};
const aad = (role: Role, kind: Kind, seq: number): Uint8Array<ArrayBuffer> => utf8.encode(`${dirOf(role)} ${kind} ${seq}`);

/**
 * The encryption of one chat, on one side. Seals and opens run one at a time, in call order,
 * so counters follow the order messages leave and arrive in.
 */
export class ChatCipher {
  /** The keys of the current exchange, once there are some. */
  keys: ChatKeys | undefined;
  readonly #role: Role;
  #pairs: KeyPairs | undefined;
  #theirs = '';
  #sent = 0;
  #opened = 0;
  /** Key ids this chat used before: boxes under them are stale, not forged. */
  #old: number[] = [];
  #queue: Promise<unknown> = Promise.resolve();

  constructor(role: Role) {
    this.#role = role;
  }

  /** The code both people can compare, once keys are agreed. */
  get code(): string | undefined {
    return this.keys?.code;
  }

  /** Forgets every key (chat over, quick exit, page hidden, a new connection). */
  drop(): void {
    if (this.keys) this.#old = [this.keys.kid, ...this.#old].slice(0, 8);
    this.keys = undefined;
    this.#pairs = undefined;
    this.#theirs = '';
  }

  /** Survivor: drops the keys and makes fresh ones; returns the public keys to offer. */
  async offer(): Promise<PublicKeys> {
    this.drop();
    const pairs = await makeKeyPairs();
    this.#pairs = pairs;
    return pairs.keys;
  }

  /**
   * Survivor: the peer answered `offer` with `theirs`. True when that gives new keys (the caller
   * re-seals what is unconfirmed); false for an answer to an older offer, a repeat, or garbage.
   */
  async answered(theirs: PublicKeys, offer: PublicKeys): Promise<boolean> {
    const pairs = this.#pairs;
    try {
      if (!pairs || offerText(offer) !== offerText(pairs.keys) || offerText(theirs) === this.#theirs) return false;
      const keys = await deriveKeys(this.#role, pairs, theirs);
      if (pairs !== this.#pairs) return false;
      this.#use(keys, theirs);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Peer: the survivor offered `theirs`. Returns the public keys to answer with, and whether
   * they are new (the caller then re-seals what is unconfirmed); a repeated offer gets the
   * same answer again. Undefined for garbage.
   */
  async offered(theirs: PublicKeys): Promise<{ keys: PublicKeys; fresh: boolean } | undefined> {
    try {
      if (this.#pairs && this.keys && offerText(theirs) === this.#theirs) return { keys: this.#pairs.keys, fresh: false };
      this.drop();
      const pairs = await makeKeyPairs();
      this.#pairs = pairs;
      const keys = await deriveKeys(this.#role, pairs, theirs);
      if (pairs !== this.#pairs) return undefined;
      this.#use(keys, theirs);
      return { keys: pairs.keys, fresh: true };
    } catch {
      return undefined;
    }
  }

  /** Seals one message (`m`, its text) or card (`r`, the resource id); undefined while there are no keys. */
  seal(kind: Kind, seq: number, text: string): Promise<string | undefined> {
    return this.#serial(async () => {
      const keys = this.keys;
      if (!keys || this.#sent >= 0xffff_ffff) return undefined;
      const counter = ++this.#sent;
      const sealed = await subtle().encrypt(
        { name: 'AES-GCM', iv: nonce(this.#role, counter), additionalData: aad(this.#role, kind, seq) },
        keys.send,
        utf8.encode(text),
      );
      const box = new Uint8Array(8 + sealed.byteLength);
      const head = new DataView(box.buffer);
      head.setUint32(0, keys.kid);
      head.setUint32(4, counter);
      box.set(new Uint8Array(sealed), 8);
      return toB64(box);
    });
  }

  /**
   * Opens one box: its text; `undefined` when it was sealed under an earlier key of this chat
   * or before keys were agreed (drop it quietly: it comes again under the new key); `false`
   * when it cannot be verified (forged, changed, replayed, reordered, from another chat).
   */
  open(kind: Kind, seq: number, box: unknown): Promise<string | false | undefined> {
    return this.#serial(async () => {
      const keys = this.keys;
      let bytes: Uint8Array<ArrayBuffer>;
      try {
        bytes = fromB64(String(box));
      } catch {
        return false;
      }
      if (bytes.length < 24) return false;
      const head = new DataView(bytes.buffer);
      const kid = head.getUint32(0);
      const counter = head.getUint32(4);
      // Before keys are agreed nothing can be checked, and nothing is shown: it comes again.
      if (!keys) return undefined;
      if (kid !== keys.kid) return this.#old.includes(kid) ? undefined : false;
      if (counter <= this.#opened) return false;
      const other: Role = this.#role === 'survivor' ? 'peer' : 'survivor';
      try {
        const plain = await subtle().decrypt(
          { name: 'AES-GCM', iv: nonce(other, counter), additionalData: aad(other, kind, seq) },
          keys.open,
          bytes.subarray(8),
        );
        if (this.keys !== keys) return undefined;
        this.#opened = counter;
        return new TextDecoder('utf-8', { fatal: true }).decode(plain);
      } catch {
        return false;
      }
    });
  }

  #use(keys: ChatKeys, theirs: PublicKeys): void {
    this.keys = keys;
    this.#theirs = offerText(theirs);
    this.#sent = 0;
    this.#opened = 0;
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
