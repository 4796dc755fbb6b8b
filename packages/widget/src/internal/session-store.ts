// SPDX-License-Identifier: Apache-2.0
/**
 * Everything the widget ever puts in browser storage goes through here (DESIGN.md privacy rule 2):
 * `sessionStorage` only — scoped to one tab, gone when the tab closes — holding a chat that
 * is going on, so a reload, a dropped network or a move to another page of the hospital site
 * in the same tab takes it back within the relay's grace period. Wiped by quick exit, when
 * the chat ends, and (console) on sign-out and when the last chat closes. Never cookies,
 * never `localStorage`, never a peer's sign-in token.
 *
 * Storage is input too: another script of the same origin, an extension or a hand in the
 * developer tools can put anything there. So what comes back is checked field by field, and
 * anything that does not fit is wiped and ignored rather than trusted.
 *
 * Two keys exist: `kindred-chat` (the survivor's frame, below) and `kindred-console` (the peer
 * console, `session-store-console.ts`, a module of its own so the frame does not carry it).
 */
import { limits, type SafetyAnswer } from '@kindred/protocol';
import { parseResource } from './hospital.js';
import { deliveryStatuses, type DeliveryStatus, type TranscriptMessage } from './transcript.js';

/** Load, save and wipe one value in `sessionStorage`. */
export interface SessionStore<T> {
  /** The stored value if there is one and it checks out; a bad one is wiped. */
  load(): T | undefined;
  save(value: T): void;
  wipe(): void;
}

/**
 * A store under `key`, read back through `parse`. Storage that throws (blocked for a
 * third-party frame, full, disabled) behaves as empty: the chat then simply does not survive
 * a reload.
 */
export function sessionStore<T>(key: string, parse: (value: unknown) => T | undefined, storage = (): Storage => sessionStorage): SessionStore<T> {
  const wipe = (): void => {
    try {
      storage().removeItem(key);
    } catch {
      // Nothing stored, or nothing we can reach: nothing to wipe.
    }
  };
  return {
    load() {
      let value: T | undefined;
      try {
        const raw = storage().getItem(key);
        if (raw === null) return undefined;
        value = parse(JSON.parse(raw));
      } catch {
        value = undefined;
      }
      if (value === undefined) wipe();
      return value;
    },
    save(value) {
      try {
        storage().setItem(key, JSON.stringify(value));
      } catch {
        // Full or blocked: keep going without; the chat itself does not depend on it.
      }
    },
    wipe,
  };
}

/** What the survivor's frame keeps while a chat goes on. */
export interface FrameSnapshot {
  /** The session token from the relay's last `session:ready`. */
  resume: string;
  state: 'waiting' | 'chatting';
  /** The peer's pseudonym (empty while waiting for the first one). */
  peerName: string;
  messages: TranscriptMessage[];
  /** The peer's next sequence number to show. */
  expectedSeq: number;
  /** Whether the survivor lets the peer see read marks. */
  readMarks: boolean;
  /** The survivor's answer to the safety question, kept for "Start again". */
  safety?: SafetyAnswer;
}

// ---------------------------------------------------------------- checking what comes back

/** Most messages a stored transcript may hold; more means it is not ours. */
export const maxMessages = 5_000;
/** Resume tokens and chat ids: 22 base64url characters. */
export const opaqueIdPattern = /^[A-Za-z0-9_-]{22}$/;
const messageIdPattern = new RegExp(`^[A-Za-z0-9_-]{1,${limits.messageId}}$`);
// The protocol's own list lives with its schemas, which the widget bundle does not carry.
const safetyAnswers: readonly SafetyAnswer[] = ['safe', 'unsafe', 'unsure'];

type Fields = Record<string, unknown>;

/** A plain object (not an array). */
export function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string of at most `max` characters. */
export function isString(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length <= max;
}

/** A sequence number as the protocol allows it. */
export function isSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= limits.seq;
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** One stored message, or undefined when any field is off. */
function parseMessage(value: unknown): TranscriptMessage | undefined {
  if (!isRecord(value)) return undefined;
  const { id, own, sender, text, status, seq, deadline, resource, at } = value;
  if (!isString(id, limits.messageId) || !messageIdPattern.test(id)) return undefined;
  if (typeof own !== 'boolean' || !isString(sender, 100) || !isString(text, limits.messageText) || !isTime(at)) return undefined;
  if (!deliveryStatuses.includes(status as DeliveryStatus)) return undefined;
  if (seq !== undefined && !isSeq(seq)) return undefined;
  if (deadline !== undefined && !isTime(deadline)) return undefined;
  const card = resource === undefined ? undefined : parseResource(resource);
  if (resource !== undefined && !card) return undefined;
  const message: TranscriptMessage = { id, own, sender, text, status: status as DeliveryStatus, at };
  if (seq !== undefined) message.seq = seq;
  if (deadline !== undefined) message.deadline = deadline;
  if (card) message.resource = card;
  return message;
}

/** A stored transcript, or undefined when it, or any message in it, is off. */
export function parseMessages(value: unknown): TranscriptMessage[] | undefined {
  if (!Array.isArray(value) || value.length > maxMessages) return undefined;
  const messages = value.map(parseMessage);
  return messages.every((message): message is TranscriptMessage => message !== undefined) ? messages : undefined;
}

/** A stored frame snapshot, checked; undefined when anything is off. */
export function parseFrameSnapshot(value: unknown): FrameSnapshot | undefined {
  if (!isRecord(value)) return undefined;
  const { resume, state, peerName, expectedSeq, readMarks, safety } = value;
  const messages = parseMessages(value['messages']);
  if (!isString(resume, 22) || !opaqueIdPattern.test(resume) || (state !== 'waiting' && state !== 'chatting')) return undefined;
  if (!isString(peerName, limits.displayName) || !isSeq(expectedSeq) || typeof readMarks !== 'boolean' || !messages) return undefined;
  if (safety !== undefined && !safetyAnswers.includes(safety as SafetyAnswer)) return undefined;
  return { resume, state, peerName, messages, expectedSeq, readMarks, ...(safety === undefined ? {} : { safety: safety as SafetyAnswer }) };
}

/** The survivor frame's store. */
export const frameStore = sessionStore('kindred-chat', parseFrameSnapshot);
