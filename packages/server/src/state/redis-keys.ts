// SPDX-License-Identifier: Apache-2.0
/**
 * What the Redis state writes instead of the secrets it must not hold. PROTECTS privacy rule 1:
 * a copy of Redis (a dump, a replica, a snapshot on a disk) must not let anyone take a chat.
 *
 * - A resume token is never stored: a session lives under `HMAC(k, "survivor" | "peer", token)`,
 *   which a relay recomputes from the token a client presents, and nobody can turn back.
 * - A chat id or queue ticket is never stored either. A chat holds a random `seed`; its id and
 *   its ticket are `HMAC(k', seed)`, which only relays (holding KINDRED_SECRET) can compute,
 *   and the chat lives under `HMAC(k, "chat", id)` so that a peer's request finds it.
 *
 * Both keys come from KINDRED_SECRET through HKDF, so every relay of a deployment derives the
 * same ones (the secret must be the same on all of them, as it already must be for peer tokens).
 */
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** 22 base64url characters (128 bits), like every opaque id the relay hands out. */
const cut = (digest: Buffer) => digest.toString('base64url').slice(0, 22);

export interface RedisKeys {
  /** The reference a survivor session is stored under. */
  survivorRef(resume: string): string;
  /** The reference a peer session is stored under. */
  peerRef(resume: string): string;
  /** The reference a chat is stored under, from its id. */
  chatRef(chatId: string): string;
  /** The reference a waiting chat's ticket is stored under. */
  ticketRef(ticket: string): string;
  /** A chat's id, from its seed. */
  chatId(seed: string): string;
  /** A chat's ticket, from its seed. */
  ticket(seed: string): string;
  /** A new chat: its seed, and the id, ticket and references that follow from it. */
  newChat(): { seed: string; chatId: string; chatRef: string; ticket: string; ticketRef: string };
}

export function createRedisKeys(secret: string): RedisKeys {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', secret, 'kindred', info, 32));
  const refKey = derive('redis references');
  const idKey = derive('chat ids from seeds');
  const mac = (key: Buffer, label: string, value: string) => cut(createHmac('sha256', key).update(`${label}\0${value}`).digest());

  const keys: RedisKeys = {
    survivorRef: (resume) => mac(refKey, 'survivor', resume),
    peerRef: (resume) => mac(refKey, 'peer', resume),
    chatRef: (chatId) => mac(refKey, 'chat', chatId),
    ticketRef: (ticket) => mac(refKey, 'ticket', ticket),
    chatId: (seed) => mac(idKey, 'chat', seed),
    ticket: (seed) => mac(idKey, 'ticket', seed),
    newChat() {
      const seed = randomBytes(16).toString('base64url');
      const chatId = keys.chatId(seed);
      const ticket = keys.ticket(seed);
      return { seed, chatId, chatRef: keys.chatRef(chatId), ticket, ticketRef: keys.ticketRef(ticket) };
    },
  };
  return keys;
}
