// SPDX-License-Identifier: Apache-2.0
/**
 * Supervision's encryption: a supervisor who joins a chat reads and writes it through the
 * chat's peer, hub and spoke (docs/protocol.md, "Supervision"). The survivor's end-to-end
 * encryption never changes, and the survivor's frame never learns a supervisor's keys:
 *
 *   survivor ⇄ (chat keys) ⇄ peer's console ⇄ (supervision keys) ⇄ supervisor's console
 *
 * - Keys: the supervisor and the peer make their own exchange, exactly as a survivor and a
 *   peer do (`e2e.ts`: fresh ephemeral keys on each side, one AES-GCM key per direction,
 *   counters against replay). The supervisor offers (`supervision:key { keys }`), the peer
 *   answers naming the offer (`supervision:key { keys, offer }`); the relay passes each on as
 *   `supervision:keyed`. The supervisor takes the offering side of `ChatCipher`, the peer the
 *   answering one; the keys are bound to both fresh offers, so they can open nothing of the
 *   survivor's chat, nor it anything of theirs.
 * - Messages: everything between the two is sealed (`supervision:send`, passed on as
 *   `supervision:received` and acknowledged once opened). Who wrote a line is inside the seal,
 *   never beside it: the relay sees one opaque box per line, as in the chat itself.
 * - The peer's console opens each survivor message it shows and seals it again for the
 *   supervisor, and each of its own messages too. The supervisor's messages it opens and passes
 *   on to the survivor as its own `message:send { by: 'supervisor' }`, sealed with the chat's keys.
 * - Delivery: each side numbers its lines (`seq` 1, 2, 3 … under each pair of keys) and keeps
 *   those not yet acknowledged, to seal again and resend after its connection comes back, or
 *   numbered afresh under fresh keys; the receiver shows each number once, in order
 *   (`inbox.ts`). Fresh keys start the numbering again on both sides, because either console
 *   may be a new page that knows nothing of the old count (a peer who reloaded): the line's id,
 *   sealed with it, is what stops a line acknowledged too late from being shown twice.
 *
 * Keys live in memory only, and go when the supervisor leaves or the chat ends. A supervisor's
 * console keeps nothing of a supervised chat in storage at all.
 */
import { limits, type PublicKeys } from '@kindred/protocol';
import { ChatCipher } from './e2e.js';
import { arrival } from './inbox.js';
import { newMessageId } from './message-id.js';

/** Who wrote a line that passes between a chat's peer and its supervisor. */
export type Author = 'survivor' | 'peer' | 'supervisor';

/** One line of a supervised chat, as sealed between the peer and the supervisor. */
export interface SupervisedLine {
  author: Author;
  /** The message's text; empty for a shared resource. */
  text: string;
  /** A shared resource's id (the supervisor's console names it from its own list). */
  resourceId?: string;
}

/** A sealed line as it goes on the wire (`supervision:send`). */
export interface SealedLine {
  id: string;
  seq: number;
  box: string;
}

/** What became of a line that arrived (`supervision:received`). */
export type Arrival =
  /** Opened and new: show it, then acknowledge it. */
  | { what: 'show'; line: SupervisedLine }
  /** Shown before: acknowledge it again, show nothing. */
  | { what: 'repeat' }
  /** Not now (an earlier one is missing, or it was sealed under keys given up): it comes again. */
  | { what: 'later' }
  /** Forged, changed or replayed: never shown, never acknowledged. */
  | { what: 'refused' };

/** How many unacknowledged lines one side keeps: a supervisor who never answers cannot make the other grow without bound. */
export const maxUnconfirmed = limits.supervisionBacklog;

/** How many shown lines' ids one side remembers, to recognise a line that comes again. */
const maxSeen = 1_000;

const idPattern = /^[A-Za-z0-9_-]{1,64}$/;

const authors: readonly Author[] = ['survivor', 'peer', 'supervisor'];

/** A line from its sealed text, with its id; undefined when it is not one. */
export function parseLine(text: string): { id: string; line: SupervisedLine } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { i, a, t, r } = value as Record<string, unknown>;
  if (typeof i !== 'string' || !idPattern.test(i)) return undefined;
  if (!authors.includes(a as Author) || typeof t !== 'string' || t.length > limits.messageText) return undefined;
  if (r !== undefined && (typeof r !== 'string' || r.length === 0 || r.length > 64)) return undefined;
  if (t === '' && r === undefined) return undefined;
  return { id: i, line: r === undefined ? { author: a as Author, text: t } : { author: a as Author, text: t, resourceId: r as string } };
}

const lineText = (id: string, line: SupervisedLine): string =>
  JSON.stringify(line.resourceId === undefined ? { i: id, a: line.author, t: line.text } : { i: id, a: line.author, t: line.text, r: line.resourceId });

/**
 * The sealed link between one chat's peer and its supervisor, on one side. `supervisor`: the
 * supervisor's console (it offers keys); `hub`: the chat's peer's console (it answers).
 */
export class SupervisionLink {
  readonly side: 'hub' | 'supervisor';
  readonly #cipher: ChatCipher;
  #nextSeq = 1;
  #expected = 1;
  #unconfirmed: Array<{ id: string; seq: number; text: string }> = [];
  /** Ids of lines shown, oldest first. */
  #seen = new Set<string>();
  /**
   * When this console's offer still unanswered was made (supervisor), by its clock; 0 once
   * answered. The console offers again when the peer's console stops confirming lines (it may
   * be a new page): at once after an answered offer, and not too often while one is unanswered.
   */
  offeredAt = 0;

  constructor(side: 'hub' | 'supervisor') {
    this.side = side;
    // The offering side of the chat's exchange is the survivor's, the answering side the peer's.
    this.#cipher = new ChatCipher(side === 'supervisor' ? 'survivor' : 'peer');
  }

  /** True once the two sides have agreed keys. */
  get keyed(): boolean {
    return this.#cipher.keys !== undefined;
  }

  /** The code both people could compare (the same on both screens unless someone swapped keys). */
  get code(): string | undefined {
    return this.#cipher.code;
  }

  /** Supervisor: fresh keys to offer (each offer replaces the keys before it). */
  offer(): Promise<PublicKeys> {
    this.offeredAt = Date.now();
    return this.#cipher.offer();
  }

  /** Supervisor: the peer answered `offer`. True when that gives new keys: resend {@link unconfirmed}. */
  async answered(theirs: PublicKeys, offer: PublicKeys): Promise<boolean> {
    const fresh = await this.#cipher.answered(theirs, offer);
    if (fresh) {
      this.offeredAt = 0;
      this.#renumber();
    }
    return fresh;
  }

  /** Peer: the supervisor offered `theirs`. The keys to answer with, and whether they are new (then resend {@link unconfirmed}). */
  async offered(theirs: PublicKeys): Promise<{ keys: PublicKeys; fresh: boolean } | undefined> {
    const answer = await this.#cipher.offered(theirs);
    if (answer?.fresh) this.#renumber();
    return answer;
  }

  /**
   * Numbers one line for the other side and keeps it until acknowledged; returns it sealed, or
   * undefined while there are no keys yet (it goes with {@link unconfirmed} once there are) or
   * too much is unacknowledged already. `id`: the line's id in the writer's transcript, if any.
   */
  async write(line: SupervisedLine, id = newMessageId()): Promise<SealedLine | undefined> {
    if (this.#unconfirmed.length >= maxUnconfirmed) return undefined;
    const kept = { id, seq: this.#nextSeq++, text: lineText(id, line) };
    this.#unconfirmed.push(kept);
    const box = await this.#cipher.seal('m', kept.seq, kept.text);
    return box ? { id: kept.id, seq: kept.seq, box } : undefined;
  }

  /** Every line not yet acknowledged, sealed again under the current keys, in order. */
  async unconfirmed(): Promise<SealedLine[]> {
    const sealed: SealedLine[] = [];
    for (const { id, seq, text } of [...this.#unconfirmed]) {
      const box = await this.#cipher.seal('m', seq, text);
      if (!box) return [];
      sealed.push({ id, seq, box });
    }
    return sealed;
  }

  /** The other side has the line `id`. */
  confirm(id: string): void {
    this.#unconfirmed = this.#unconfirmed.filter((line) => line.id !== id);
  }

  /** Opens a line from the other side. Call one at a time, in arrival order. */
  async receive(seq: unknown, box: unknown): Promise<Arrival> {
    const what = arrival(this.#expected, seq);
    if (what === 'repeat') return { what: 'repeat' };
    if (what !== 'show') return { what: 'later' };
    const text = await this.#cipher.open('m', seq as number, box);
    if (text === undefined) return { what: 'later' };
    const parsed = text === false ? undefined : parseLine(text);
    const line = parsed?.line;
    if (!parsed || !line || (this.side === 'hub' && line.author !== 'supervisor') || (this.side === 'supervisor' && line.author === 'supervisor')) {
      return { what: 'refused' };
    }
    this.#expected += 1;
    // Shown before under earlier keys (its acknowledgement was lost): confirmed again, not shown twice.
    if (this.#seen.has(parsed.id)) return { what: 'repeat' };
    this.#seen.add(parsed.id);
    if (this.#seen.size > maxSeen) this.#seen.delete(this.#seen.values().next().value!);
    return { what: 'show', line };
  }

  /** Forgets the keys and every line kept: the supervisor left, or the chat ended. */
  drop(): void {
    this.#cipher.drop();
    this.#unconfirmed = [];
    this.#seen.clear();
  }

  /** Fresh keys: both sides count from 1 again, and what is unacknowledged goes first. */
  #renumber(): void {
    this.#unconfirmed = this.#unconfirmed.map((kept, index) => ({ ...kept, seq: index + 1 }));
    this.#nextSeq = this.#unconfirmed.length + 1;
    this.#expected = 1;
  }
}
