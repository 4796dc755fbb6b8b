// SPDX-License-Identifier: Apache-2.0
/**
 * The typed Socket.IO event maps. Names are `domain:verb`: what a client asks is imperative
 * (`message:send`), what the relay tells is past tense (`message:received`). Payload types of
 * client requests are inferred from the schemas, so the two can never drift apart.
 */
import type * as v from 'valibot';
import type { AckCallback } from './ack.js';
import type { peerSchemas, survivorSchemas } from './schemas.js';

type In<S extends v.GenericSchema> = v.InferInput<S>;

/** Why a chat ended, as each side is told. */
export type EndReason =
  | 'survivor-ended' // the survivor pressed "End chat"
  | 'survivor-left' // the survivor's connection went away
  | 'peer-ended' // the peer pressed "End chat"
  | 'peer-left' // the peer's connection went away
  | 'relay-closing'; // the relay is shutting down

/** A message as delivered to the other side. `sentAt` is the relay's clock, in ms. */
export interface RelayedMessage {
  id: string;
  text: string;
  sentAt: number;
}

/** One waiting survivor as a peer sees it: no content, no id that reaches the chat. */
export interface QueueEntry {
  /** Opaque, single-use handle for `chat:accept`. */
  ticket: string;
  /** Random pseudonym the relay gave this survivor. */
  survivorName: string;
  /** How long the survivor had waited when this update was made. */
  waitedMs: number;
}

// ---------------------------------------------------------------- survivor namespace

export interface SurvivorClientEvents {
  'chat:start': (payload: In<typeof survivorSchemas['chat:start']>, ack: AckCallback<{ position: number }>) => void;
  'chat:end': (payload: In<typeof survivorSchemas['chat:end']>, ack: AckCallback) => void;
  'message:send': (payload: In<typeof survivorSchemas['message:send']>, ack: AckCallback<{ sentAt: number }>) => void;
  'typing:set': (payload: In<typeof survivorSchemas['typing:set']>, ack: AckCallback) => void;
}

export interface SurvivorServerEvents {
  /** Position in the queue (1 = next). Sent whenever it changes. */
  'queue:updated': (payload: { position: number }) => void;
  /** A peer accepted; the chat has begun. */
  'peer:joined': (payload: { peerName: string }) => void;
  /** A message from the peer; acknowledge it with `true` once shown, which marks it delivered. */
  'message:received': (payload: RelayedMessage, ack: (shown: true) => void) => void;
  /** The peer's client acknowledged one of this survivor's messages. */
  'message:delivered': (payload: { id: string }) => void;
  'typing:changed': (payload: { typing: boolean }) => void;
  'chat:ended': (payload: { reason: EndReason }) => void;
}

// ---------------------------------------------------------------- peer namespace

/** One chat as its peer sees it. */
export interface PeerChat {
  chatId: string;
  survivorName: string;
}

export interface PeerClientEvents {
  'duty:set': (payload: In<typeof peerSchemas['duty:set']>, ack: AckCallback<{ onDuty: boolean }>) => void;
  'chat:accept': (payload: In<typeof peerSchemas['chat:accept']>, ack: AckCallback<PeerChat>) => void;
  'chat:end': (payload: In<typeof peerSchemas['chat:end']>, ack: AckCallback) => void;
  'message:send': (payload: In<typeof peerSchemas['message:send']>, ack: AckCallback<{ sentAt: number }>) => void;
  'typing:set': (payload: In<typeof peerSchemas['typing:set']>, ack: AckCallback) => void;
}

export interface PeerServerEvents {
  /** Sent once on connection: who the relay thinks this peer is. */
  'session:ready': (payload: { name: string; maxChats: number; onDuty: boolean }) => void;
  /** The waiting list, to on-duty peers, whenever it changes. */
  'queue:updated': (payload: { total: number; entries: QueueEntry[] }) => void;
  /** A message from a survivor; acknowledge it with `true` once shown, which marks it delivered. */
  'message:received': (payload: RelayedMessage & { chatId: string }, ack: (shown: true) => void) => void;
  'message:delivered': (payload: { chatId: string; id: string }) => void;
  'typing:changed': (payload: { chatId: string; typing: boolean }) => void;
  'chat:ended': (payload: { chatId: string; reason: EndReason }) => void;
}
