// SPDX-License-Identifier: Apache-2.0
/**
 * The typed Socket.IO event maps. Names are `domain:verb`: what a client asks is imperative
 * (`message:send`), what the relay tells is past tense (`message:received`). Payload types of
 * client requests are inferred from the schemas, so the two can never drift apart.
 */
import type * as v from 'valibot';
import type { AckCallback } from './ack.js';
import type { PeerRole, peerSchemas, PublicKeys, survivorSchemas } from './schemas.js';

type In<S extends v.GenericSchema> = v.InferInput<S>;

/** Why a chat ended, as each side is told. */
export type EndReason =
  | 'survivor-ended' // the survivor pressed "End chat"
  | 'survivor-left' // the survivor's connection went away
  | 'peer-ended' // the peer pressed "End chat"
  | 'peer-left' // the peer's connection went away
  | 'relay-closing'; // the relay is shutting down

/**
 * A message as delivered to the other side. `seq` is the sender's per-chat sequence number
 * (1, 2, 3 … in the order written): the recipient shows each one once, in order, however
 * often a reconnecting sender resends it. `box` is the message sealed end to end (base64url;
 * docs/protocol.md, "End-to-end encryption"): the relay passes it on unread. `sentAt` is the
 * relay's clock, in ms.
 */
export interface RelayedMessage {
  id: string;
  seq: number;
  box: string;
  sentAt: number;
  /**
   * Set on a message a supervisor wrote, which the peer's console sealed and sent on their
   * behalf (see `supervision:send`): the survivor's frame labels it "Supervisor".
   */
  by?: 'supervisor';
}

/**
 * A resources card as delivered to the survivor: one step of the peer's sequence, like a
 * message. `box` seals the resource's id; the survivor's frame shows the card from its own
 * copy of the hospital's resources (`/hospital.json`).
 */
export type SharedResource = RelayedMessage;

/**
 * A place to get help, from the hospital's configuration: shown to survivors while they wait
 * or when no peer is on duty, and sent by peers as a card. Phone numbers become `tel:` links;
 * `url` is always https.
 */
export interface Resource {
  id: string;
  name: string;
  description?: string;
  phone?: string;
  url?: string;
  hours?: string;
}

/**
 * What the relay publishes about its hospital at `/hospital.json`, for the chat frame's first
 * screen. Public information only: the same for every visitor.
 */
export interface HospitalInfo {
  name: string;
  /** "In immediate danger? Call {label} on {phone}"; `phone` may be empty when not configured. */
  emergency: { label: string; phone: string };
  /** The limits of confidentiality, in the hospital's words. */
  confidentiality: string;
  /** When peers are usually on duty, e.g. "Every day, 9:00 to 21:00". May be empty. */
  peerHours: string;
  /** Where quick exit goes unless the page sets `exit-url`. */
  exitUrl: string;
  resources: Resource[];
  /** What survivors may choose to talk about before waiting (optional for them); may be empty. */
  topics: Topic[];
  /**
   * The languages peers chat in, as BCP 47 tags (`en`, `es`, `ar`), the hospital's main one
   * first; may be empty. A survivor may choose one before waiting; a peer whose token lists
   * no languages is taken to speak the first.
   */
  languages: string[];
  /**
   * Ready-made replies for peers (the console's "Canned responses"), the hospital's own words;
   * absent or empty when it configures none. Public like the resources: they are not secret.
   */
  cannedResponses?: CannedResponse[];
}

/**
 * A ready-made reply a peer may insert into their message and edit before sending. `texts`
 * holds the text in other languages, by BCP 47 tag; `text` is used where none fits.
 */
export interface CannedResponse {
  id: string;
  title: string;
  text: string;
  texts?: Record<string, string>;
}

/**
 * A topic a hospital offers, e.g. `{ id: 'injury', label: 'After an injury' }`. `labels` holds
 * the label in other languages, by BCP 47 tag (`{ es: 'Después de una lesión' }`); `label` is
 * shown where none fits.
 */
export interface Topic {
  id: string;
  label: string;
  labels?: Record<string, string>;
}

/**
 * The supervisors' live board: counts, and the chats whose peer asked for help. Nothing a
 * survivor wrote, and no chat is listed unless its peer escalated it.
 */
export interface Board {
  waiting: number;
  /** How long the survivor who has waited longest had waited when this was sent; 0 when nobody waits. */
  longestWaitMs: number;
  activeChats: number;
  /** Peers (and supervisors) on duty and connected. */
  peersOnDuty: number;
  /** Signed in and on a break. */
  peersOnBreak: number;
  escalations: Escalation[];
}

/** A chat whose peer asked the supervisors for help (`chat:escalate`), until a supervisor joins or it ends. */
export interface Escalation {
  chatId: string;
  peerName: string;
  survivorName: string;
  /** Since the peer asked, when this was sent. */
  waitedMs: number;
}

/** An on-duty colleague who could take a transfer (`colleagues:list`). */
export interface Colleague {
  /** Opaque; names this colleague for `chat:transfer` while their session lasts. */
  handle: string;
  name: string;
  /** Chats they could still take (0: full; the console shows them, unavailable). */
  free: number;
}

/** Looking after the people who staff the queue (the hospital's `wellbeing` setting). */
export interface Wellbeing {
  /** Remind a peer on duty this long without a break to take one; null: no reminder. */
  breakReminderMinutes: number | null;
  /** Offer a private debrief prompt after each chat (kept nowhere, not even in the console's memory once closed). */
  debrief: boolean;
}

/** Where the survivor stands while waiting. */
export interface QueueStatus {
  /** 1 = next. */
  position: number;
  /** Peers on duty right now; 0 means nobody can answer yet (the survivor is told at once). */
  peersOnDuty: number;
  /** A rough wait in minutes from recent waits, or null when the relay has nothing to go on. */
  estimateMinutes: number | null;
  /**
   * Set when the survivor chose a topic or language and no peer on duty matches it: the first
   * peer free will answer instead (the survivor is told so, rather than wait for nobody).
   */
  noMatch?: true;
}

/** One waiting survivor as a peer sees it: no content, no id that reaches the chat. */
export interface QueueEntry {
  /** Opaque, single-use handle for `chat:accept`. */
  ticket: string;
  /** Random pseudonym the relay gave this survivor. */
  survivorName: string;
  /** How long the survivor had waited when this update was made. */
  waitedMs: number;
  /** The topic id the survivor chose, if any. */
  topic?: string;
  /** The language the survivor chose (a BCP 47 tag), if any. */
  language?: string;
  /**
   * Whether this peer fits the survivor: their topic and language match this peer's, or the
   * survivor has waited past the match time (or no peer on duty matches them), so any peer
   * may take them. Each peer's list comes in its own order: "not safe" first, then those that
   * fit this peer, then the rest, each longest-waiting first.
   */
  matches: boolean;
}

/** A waiting survivor offered to one peer, to accept (`chat:accept`) or decline before it runs out. */
export interface Offer extends QueueEntry {
  /** How long the peer has to answer, from when the relay sent it; then it moves on. */
  expiresInMs: number;
}

/**
 * Why an offer went away unanswered: another peer accepted the survivor (`taken`), the
 * survivor left the queue (`ended`), nobody answered in time (`expired`), or this peer took
 * another chat and is now full (`released`).
 */
export type OfferEndReason = 'taken' | 'ended' | 'expired' | 'released';

/** A survivor's chat as the relay holds it when their connection (re)starts. */
export type SurvivorChatView =
  | { state: 'waiting'; queue: QueueStatus }
  | {
      state: 'chatting';
      peerName: string;
      peerPresent: boolean;
      /** A supervisor is in the chat: said again on every connection, so nobody misses it while away. */
      supervised?: true;
    };

/** What a survivor connection learns first, every time it connects. */
export interface SurvivorSession {
  /** Token to resume this session after a dropped connection or a reload, within the grace period. */
  resume: string;
  /** True when the handshake's `auth.resume` named a session the relay still had. */
  resumed: boolean;
  /** The chat this session is in, if any. */
  chat: SurvivorChatView | null;
  /** Set when the chat ended while this survivor was away. */
  ended?: EndReason;
}

// ---------------------------------------------------------------- survivor namespace

export interface SurvivorClientEvents {
  'chat:start': (payload: In<typeof survivorSchemas['chat:start']>, ack: AckCallback<QueueStatus>) => void;
  'chat:end': (payload: In<typeof survivorSchemas['chat:end']>, ack: AckCallback) => void;
  'message:send': (payload: In<typeof survivorSchemas['message:send']>, ack: AckCallback<{ sentAt: number }>) => void;
  /** Every peer message up to `seq` has been seen. Not sent when the survivor turned read marks off. */
  'message:read': (payload: In<typeof survivorSchemas['message:read']>) => void;
  'typing:set': (payload: In<typeof survivorSchemas['typing:set']>) => void;
  /** This connection's fresh public keys for the chat, passed on to the peer (never kept). */
  'key:offer': (payload: In<typeof survivorSchemas['key:offer']>, ack: AckCallback) => void;
  /**
   * "Did this chat help?", answered once after a chat with a peer ended on this connection.
   * The relay only adds one to an aggregate counter; `feedback-closed` otherwise.
   */
  'feedback:send': (payload: In<typeof survivorSchemas['feedback:send']>, ack: AckCallback) => void;
}

export interface SurvivorServerEvents {
  /** The peer's public keys, answering the survivor's offer `offer`. */
  'key:answered': (payload: { keys: PublicKeys; offer: PublicKeys }) => void;
  /** Sent first on every connection: the session token and the chat, if one goes on. */
  'session:ready': (payload: SurvivorSession) => void;
  /** Where the survivor stands in the queue. Sent whenever any part of it changes. */
  'queue:updated': (payload: QueueStatus) => void;
  /** A peer accepted; the chat has begun. */
  'peer:joined': (payload: { peerName: string }) => void;
  /** A message from the peer; acknowledge it with `true` once shown, which marks it delivered. */
  'message:received': (payload: RelayedMessage, ack: (shown: true) => void) => void;
  /** The peer's client acknowledged one of this survivor's messages. */
  'message:delivered': (payload: { id: string }) => void;
  /** The peer has seen this survivor's messages up to `seq`. */
  'message:read': (payload: { seq: number }) => void;
  'typing:changed': (payload: { typing: boolean }) => void;
  /** The peer shared a resources card; acknowledge with `true` once shown. */
  'resource:shared': (payload: SharedResource, ack: (shown: true) => void) => void;
  /** The peer's connection dropped (`false`) or came back (`true`): on `true`, resend what is undelivered. */
  'chat:presence': (payload: { present: boolean }) => void;
  /** The peer did not come back within the grace period: the survivor is first in line again. */
  'chat:requeued': (payload: { queue: QueueStatus }) => void;
  /**
   * The peer handed the chat to a colleague, `peerName`: "You are now talking with …". The new
   * peer's messages count from `seq` 1 again, and the survivor's frame offers fresh keys
   * (`key:offer`), resending what the first peer had not confirmed.
   */
  'chat:transferred': (payload: { peerName: string }) => void;
  /** A supervisor joined (`true`) or left (`false`) the chat. Never their name. */
  'supervision:changed': (payload: { present: boolean }) => void;
  'chat:ended': (payload: { reason: EndReason }) => void;
}

// ---------------------------------------------------------------- peer namespace

/** One chat as its peer sees it. */
export interface PeerChat {
  chatId: string;
  survivorName: string;
}

/** What a peer connection learns first, every time it connects. */
export interface PeerSession {
  name: string;
  maxChats: number;
  /** From the sign-in token: `peer` or `supervisor`. */
  role: PeerRole;
  /** From the sign-in token: topic ids this peer takes (empty: none listed). */
  topics: string[];
  /** From the sign-in token: BCP 47 tags of the languages this peer chats in (empty: none listed). */
  languages: string[];
  onDuty: boolean;
  /** Signed in, off duty, on a break (counted apart on the supervisors' board). */
  onBreak: boolean;
  resources: Resource[];
  wellbeing: Wellbeing;
  /**
   * Token to resume this session (all its chats) after a dropped connection or a reload. Signed
   * by the relay; it stops working when the sign-in token expires.
   */
  resume: string;
  /** True when the handshake's `auth.resume` named a session the relay still had. */
  resumed: boolean;
  /** The chats this session is in, with whether each survivor is connected right now. */
  chats: Array<PeerChat & { survivorPresent: boolean }>;
  /** Chats that ended while this peer was away. */
  ended: Array<{ chatId: string; reason: EndReason }>;
}

export interface PeerClientEvents {
  'duty:set': (payload: In<typeof peerSchemas['duty:set']>, ack: AckCallback<{ onDuty: boolean; onBreak: boolean }>) => void;
  'chat:accept': (payload: In<typeof peerSchemas['chat:accept']>, ack: AckCallback<PeerChat>) => void;
  'chat:end': (payload: In<typeof peerSchemas['chat:end']>, ack: AckCallback) => void;
  'message:send': (payload: In<typeof peerSchemas['message:send']>, ack: AckCallback<{ sentAt: number }>) => void;
  /** Every survivor message in this chat up to `seq` has been seen. */
  'message:read': (payload: In<typeof peerSchemas['message:read']>) => void;
  'typing:set': (payload: In<typeof peerSchemas['typing:set']>) => void;
  /** Sends one of the configured resources to the survivor as a card: `box` seals its id. */
  'resource:share': (payload: In<typeof peerSchemas['resource:share']>, ack: AckCallback<{ sentAt: number }>) => void;
  /** This peer's fresh public keys for one chat, answering the survivor's `offer`. */
  'key:answer': (payload: In<typeof peerSchemas['key:answer']>, ack: AckCallback) => void;
  /** Passes on the survivor offered to this peer: the relay offers them to the next peer. */
  'offer:decline': (payload: In<typeof peerSchemas['offer:decline']>, ack: AckCallback) => void;
  'colleagues:list': (payload: In<typeof peerSchemas['colleagues:list']>, ack: AckCallback<{ colleagues: Colleague[] }>) => void;
  /** Hands the chat over; on success it is no longer this peer's (`colleague-unavailable` when `to` cannot take it). */
  'chat:transfer': (payload: In<typeof peerSchemas['chat:transfer']>, ack: AckCallback) => void;
  /**
   * `supervisorsOnDuty`: supervisors signed in and connected, on duty or not, whose board now
   * lists the chat (0: nobody will see it; the console says whom else to ask).
   */
  'chat:escalate': (payload: In<typeof peerSchemas['chat:escalate']>, ack: AckCallback<{ supervisorsOnDuty: number }>) => void;
  'chat:block': (payload: In<typeof peerSchemas['chat:block']>, ack: AckCallback) => void;
  /** Supervisors only (`not-supervisor`), and only an escalated chat (`not-found`). */
  'supervision:join': (payload: In<typeof peerSchemas['supervision:join']>, ack: AckCallback<{ chatId: string; peerName: string; survivorName: string }>) => void;
  'supervision:leave': (payload: In<typeof peerSchemas['supervision:leave']>, ack: AckCallback) => void;
  'supervision:key': (payload: In<typeof peerSchemas['supervision:key']>, ack: AckCallback) => void;
  'supervision:send': (payload: In<typeof peerSchemas['supervision:send']>, ack: AckCallback) => void;
}

export interface PeerServerEvents {
  /** Sent first on every connection: who the relay thinks this peer is, their chats, what they can share. */
  'session:ready': (payload: PeerSession) => void;
  /**
   * The sign-in token expired: the relay closes this connection right after, and the session's
   * resume token no longer works. Its chats go on for the grace period, then each survivor is
   * first in line again. Sign in again to go on.
   */
  'session:expired': (payload: Record<string, never>) => void;
  /** The waiting list, to on-duty peers, whenever it changes, in this peer's order (see `QueueEntry.matches`). */
  'queue:updated': (payload: { total: number; entries: QueueEntry[] }) => void;
  /** A survivor offered to this peer (who has room): accept with `chat:accept`, or `offer:decline`. */
  'offer:made': (payload: Offer) => void;
  /** The offer of `ticket` is over without this peer answering it. */
  'offer:withdrawn': (payload: { ticket: string; reason: OfferEndReason }) => void;
  /** A message from a survivor; acknowledge it with `true` once shown, which marks it delivered. */
  'message:received': (payload: RelayedMessage & { chatId: string }, ack: (shown: true) => void) => void;
  'message:delivered': (payload: { chatId: string; id: string }) => void;
  /** The survivor has seen this peer's messages up to `seq` (only if they allow read marks). */
  'message:read': (payload: { chatId: string; seq: number }) => void;
  'typing:changed': (payload: { chatId: string; typing: boolean }) => void;
  /** The survivor's connection dropped (`false`) or came back (`true`): on `true`, resend what is undelivered. */
  'chat:presence': (payload: { chatId: string; present: boolean }) => void;
  'chat:ended': (payload: { chatId: string; reason: EndReason }) => void;
  /** The survivor's public keys for one chat: answer with `key:answer`. */
  'key:offered': (payload: { chatId: string; keys: PublicKeys }) => void;
  /**
   * A colleague handed this peer a chat (`chat:transfer`): it is now theirs. `note` is the
   * colleague's hand-off note, for this peer only; the relay keeps no copy.
   */
  'chat:transferred': (payload: { chatId: string; survivorName: string; fromName: string; note?: string; survivorPresent: boolean }) => void;
  /** To supervisors, whenever any figure or escalation changes (and every few seconds while anyone waits). */
  'board:updated': (payload: Board) => void;
  /** To a chat's peer: a supervisor (`name`) joined or left it. */
  'supervision:changed': (payload: { chatId: string; present: boolean; name: string }) => void;
  /** The other side's keys, between a chat's peer and its supervisor: the peer answers an offer (no `offer` field) with `supervision:key { offer }`. */
  'supervision:keyed': (payload: { chatId: string; keys: PublicKeys; offer?: PublicKeys }) => void;
  /** A sealed message between a chat's peer and its supervisor; acknowledge with `true` once opened. */
  'supervision:received': (payload: { chatId: string; id: string; seq: number; box: string }, ack: (shown: true) => void) => void;
}
