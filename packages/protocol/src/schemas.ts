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
/** A colleague as `colleagues:list` names them: an opaque handle, valid while their session lasts. */
const colleagueHandle = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{22}$/));
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
  /**
   * `topic` and `language` are optional choices from the hospital's lists (`/hospital.json`):
   * the relay answers `topic-unknown` or `language-unknown` for any other. (Lazy: the two
   * schemas are defined further down, with the peer claims that share them.)
   */
  'chat:start': v.strictObject({
    safety: v.optional(v.picklist(safetyAnswers)),
    topic: v.optional(v.lazy(() => topicIdSchema)),
    language: v.optional(v.lazy(() => languageTagSchema)),
  }),
  'chat:end': emptySchema,
  'message:send': v.strictObject({ id: messageId, seq, box }),
  'message:read': v.strictObject({ seq }),
  'typing:set': v.strictObject({ typing: v.boolean() }),
  'key:offer': v.strictObject({ keys: publicKeysSchema }),
  /** The one-tap "Did this chat help?" after a chat ended: counted in aggregate, nothing else kept. */
  'feedback:send': v.strictObject({ helped: v.boolean() }),
} as const;

/** Peer → relay. */
export const peerSchemas = {
  /** `onBreak` (only with `onDuty: false`): signed in and resting; counted apart on the supervisors' board. */
  'duty:set': v.strictObject({ onDuty: v.boolean(), onBreak: v.optional(v.boolean()) }),
  'chat:accept': v.strictObject({ ticket: opaqueId }),
  'chat:end': v.strictObject({ chatId: opaqueId }),
  /** `by: 'supervisor'`: a supervisor's message, which this peer's console passes on (docs/protocol.md, "Supervision"). */
  'message:send': v.strictObject({ chatId: opaqueId, id: messageId, seq, box, by: v.optional(v.literal('supervisor')) }),
  'message:read': v.strictObject({ chatId: opaqueId, seq }),
  'typing:set': v.strictObject({ chatId: opaqueId, typing: v.boolean() }),
  'resource:share': v.strictObject({ chatId: opaqueId, id: messageId, seq, box }),
  'key:answer': v.strictObject({ chatId: opaqueId, keys: publicKeysSchema, offer: publicKeysSchema }),
  'offer:decline': v.strictObject({ ticket: opaqueId }),
  /** Who could take a transfer now: on-duty peers other than this one. */
  'colleagues:list': emptySchema,
  /** Hands the chat to a colleague, with a note only they see (passed on once, never kept). */
  'chat:transfer': v.strictObject({
    chatId: opaqueId,
    to: colleagueHandle,
    note: v.optional(v.pipe(v.string(), v.maxLength(limits.handoffNote))),
  }),
  /** Asks the on-duty supervisors for help with this chat. */
  'chat:escalate': v.strictObject({ chatId: opaqueId }),
  /** Ends the chat and refuses this survivor's new chats for the configured cooldown. */
  'chat:block': v.strictObject({ chatId: opaqueId }),
  /** Supervisors only: join a chat whose peer escalated it, and leave it. */
  'supervision:join': v.strictObject({ chatId: opaqueId }),
  'supervision:leave': v.strictObject({ chatId: opaqueId }),
  /**
   * Between the chat's peer and its supervisor only: their fresh public keys (the supervisor
   * offers, the peer answers naming the offer), then sealed messages. The survivor's frame
   * never changes: the peer's console opens what the survivor sends and seals it again for
   * the supervisor, and passes the supervisor's messages on as `message:send { by: 'supervisor' }`.
   */
  'supervision:key': v.strictObject({ chatId: opaqueId, keys: publicKeysSchema, offer: v.optional(publicKeysSchema) }),
  'supervision:send': v.strictObject({ chatId: opaqueId, id: messageId, seq, box }),
} as const;

/**
 * The handshake's `auth` object. `resume` is the session token from an earlier `session:ready`,
 * which takes the same chat (or, for a peer, every chat) back within the grace period.
 */
export const survivorAuthSchema = v.strictObject({ resume: v.optional(opaqueId) });
/**
 * A peer's resume token: unlike a survivor's, it is signed by the relay (a compact JWT, three
 * base64url parts) because it carries the sign-in token's expiry, so that no relay takes a
 * session back after its sign-in has run out (docs/protocol.md, "Sessions and resuming").
 */
export const peerResumePattern = /^[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{43}$/;

export const peerAuthSchema = v.strictObject({
  token: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(limits.token))),
  resume: v.optional(v.pipe(v.string(), v.maxLength(limits.token), v.regex(peerResumePattern))),
});

/** What a peer may be. A supervisor is a peer who will also oversee the shift (issue 4). */
export const peerRoles = ['peer', 'supervisor'] as const;
export type PeerRole = (typeof peerRoles)[number];

/** A topic's id, as hospitals name topics and peers' tokens list them: `assault`, `road-injury`. */
export const topicIdSchema = v.pipe(v.string(), v.regex(/^[a-z0-9-]{1,40}$/, 'must be 1 to 40 of a-z, 0-9 and -'));

/** True when `tag` is a well-formed BCP 47 language tag. */
function isLanguageTag(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/**
 * A BCP 47 language tag (`en`, `es`, `ar`, `pt-BR`), written the canonical way (`pt-br` becomes
 * `pt-BR`) so that a token's languages and a survivor's compare as equal.
 */
export const languageTagSchema = v.pipe(
  v.string(),
  v.maxLength(limits.languageTag),
  v.regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'must be a language tag such as en or pt-BR'),
  v.check(isLanguageTag, 'must be a language tag such as en or pt-BR'),
  v.transform((tag) => Intl.getCanonicalLocales(tag)[0]!),
);

/**
 * A list claim: a JSON array, or one plain string for a single value (identity providers write a
 * one-valued attribute that way). Duplicates are dropped.
 */
function listClaim<S extends v.GenericSchema<string, string>>(item: S, max: number) {
  return v.optional(
    v.pipe(
      v.union([v.string(), v.array(v.string())]),
      v.transform((value) => (typeof value === 'string' ? [value] : value)),
      v.maxLength(max),
      v.array(item),
      v.transform((list) => [...new Set(list)]),
    ),
    [],
  );
}

/**
 * The claims a peer token must carry once its signature and expiry check out: the one place they
 * are validated, whichever way the token came (signed with KINDRED_SECRET, or by the hospital's
 * identity provider; docs/operate.md). Names are the relay's; an identity provider's own claim
 * names are mapped to these before this runs.
 *
 * - `name`: the display name survivors see, a pseudonym.
 * - `role`: `peer` (the default) or `supervisor`; a list of roles (Microsoft Entra's `roles`)
 *   counts as `supervisor` when it holds that word, otherwise `peer`.
 * - `topics`, `languages`: what this peer can talk about, and in which languages.
 * - `maxChats`: chats held at once, 1 to 8 (default 1); a string of digits counts, since
 *   identity providers often carry numbers as text.
 */
export const peerClaimsSchema = v.object({
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(limits.displayName)),
  maxChats: v.optional(
    v.pipe(
      v.union([v.number(), v.pipe(v.string(), v.regex(/^\d{1,2}$/), v.transform(Number))]),
      v.integer(),
      v.minValue(1),
      v.maxValue(limits.maxChatsPerPeer),
    ),
    1,
  ),
  role: v.optional(
    v.union([
      v.picklist(peerRoles),
      v.pipe(
        v.array(v.string()),
        v.maxLength(100),
        v.transform((list): PeerRole => (list.includes('supervisor') ? 'supervisor' : 'peer')),
      ),
    ]),
    'peer',
  ),
  topics: listClaim(topicIdSchema, limits.topicsPerPeer),
  languages: listClaim(languageTagSchema, limits.languagesPerPeer),
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
