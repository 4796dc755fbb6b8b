// SPDX-License-Identifier: Apache-2.0
/**
 * Validation schemas for every event a client sends. The relay runs each inbound payload
 * through the schema of its event before anything else happens; objects are strict, so an
 * unknown key (including `__proto__` and `constructor`) makes the payload invalid.
 */
import * as v from 'valibot';
import { limits } from './limits.js';

const opaqueId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{22}$/));
const messageId = v.pipe(v.string(), v.regex(new RegExp(`^[A-Za-z0-9_-]{1,${limits.messageId}}$`)));
const seq = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(limits.seq));
/**
 * A sealed message or card (end-to-end encrypted in the browsers, `widget/src/internal/e2e.ts`):
 * base64url, bounded. The relay cannot check more than that, and passes it on as it came.
 */
const box = v.pipe(v.string(), v.regex(new RegExp(`^[A-Za-z0-9_-]{1,${limits.box}}$`)));
/**
 * A person's ephemeral public keys for one chat (a fresh pair on every connection): P-256
 * always (65-byte raw point), X25519 as well where the browser has it (32 bytes). Both sides
 * use X25519 when both offered it.
 */
export const publicKeysSchema = v.strictObject({
  p256: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{87}$/)),
  x25519: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/))),
});

/** `{}`: events that carry no data still send an empty object, so every event has one shape. */
export const emptySchema = v.strictObject({});

/**
 * The optional answer to "Are you safe to talk right now?". `unsafe` and `unsure` move the
 * survivor ahead in the live queue; the answer lives in relay memory only while they wait.
 */
export const safetyAnswers = ['safe', 'unsafe', 'unsure'] as const;

/**
 * Events sent without an acknowledgement: signals whose loss costs nothing (typing is sent
 * volatile; a read mark is repeated by the next one). Every other event is a request.
 */
export const signalEvents: ReadonlySet<string> = new Set(['typing:set', 'message:read']);

/** Survivor → relay. */
export const survivorSchemas = {
  'chat:start': v.strictObject({ safety: v.optional(v.picklist(safetyAnswers)) }),
  'chat:end': emptySchema,
  'message:send': v.strictObject({ id: messageId, seq, box }),
  'message:read': v.strictObject({ seq }),
  'typing:set': v.strictObject({ typing: v.boolean() }),
  'key:offer': v.strictObject({ keys: publicKeysSchema }),
} as const;

/** Peer → relay. */
export const peerSchemas = {
  'duty:set': v.strictObject({ onDuty: v.boolean() }),
  'chat:accept': v.strictObject({ ticket: opaqueId }),
  'chat:end': v.strictObject({ chatId: opaqueId }),
  'message:send': v.strictObject({ chatId: opaqueId, id: messageId, seq, box }),
  'message:read': v.strictObject({ chatId: opaqueId, seq }),
  'typing:set': v.strictObject({ chatId: opaqueId, typing: v.boolean() }),
  'resource:share': v.strictObject({ chatId: opaqueId, id: messageId, seq, box }),
  'key:answer': v.strictObject({ chatId: opaqueId, keys: publicKeysSchema, offer: publicKeysSchema }),
} as const;

/**
 * The handshake's `auth` object. `resume` is the session token from an earlier `session:ready`,
 * which takes the same chat (or, for a peer, every chat) back within the grace period.
 */
export const survivorAuthSchema = v.strictObject({ resume: v.optional(opaqueId) });
export const peerAuthSchema = v.strictObject({
  token: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(limits.token))),
  resume: v.optional(opaqueId),
});

/** The claims a peer token must carry once its signature and expiry check out. */
export const peerClaimsSchema = v.object({
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(limits.displayName)),
  maxChats: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(limits.maxChatsPerPeer)), 1),
});

/** A person's ephemeral public keys, as offered. */
export type PublicKeys = v.InferOutput<typeof publicKeysSchema>;
export type SafetyAnswer = (typeof safetyAnswers)[number];
export type PeerClaims = v.InferOutput<typeof peerClaimsSchema>;

/** Result of validating one payload: the typed value or nothing. */
export function parsePayload<S extends v.GenericSchema>(schema: S, payload: unknown): v.InferOutput<S> | undefined {
  const result = v.safeParse(schema, payload);
  return result.success ? result.output : undefined;
}
