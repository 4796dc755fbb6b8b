// SPDX-License-Identifier: Apache-2.0
/**
 * Every bound the relay enforces on what crosses the wire. One place, so the widget can
 * enforce the same numbers before sending and the docs can quote them.
 */
export const limits = {
  /** Longest message a person may send, in UTF-16 code units (what `maxlength` counts). */
  messageText: 2_000,
  /**
   * A sealed message or card (`box`), in base64url characters: the largest message (2,000
   * UTF-16 code units, at most 6,000 bytes of UTF-8) plus 4 bytes of key id, 4 of counter and a
   * 16-byte tag is 6,024 bytes, 8,032 characters. The relay checks only this bound and the
   * alphabet: it cannot read what is inside.
   */
  box: 8_032,
  /** Client-made message ids: short, URL-safe, unique within a chat. */
  messageId: 64,
  /** Opaque ids the relay hands out (chat ids, queue tickets): 16 random bytes as 22 base64url characters. */
  opaqueId: 22,
  /** Per-chat, per-direction sequence numbers start at 1 and stay below this. */
  seq: 2 ** 31 - 1,
  /** Canned responses a hospital may configure, and the longest title of one (its text is a message: `messageText`). */
  cannedResponses: 30,
  cannedResponseTitle: 80,
  /**
   * A transfer's hand-off note, in UTF-16 code units: a few lines for the next peer, passed on
   * once and never kept.
   */
  handoffNote: 500,
  /**
   * Sealed lines between a chat's peer console and its supervisor's that one side keeps
   * unacknowledged (and resends together after fresh keys): also the relay's burst for
   * `supervision:send`, so that a resend never trips the rate limit.
   */
  supervisionBacklog: 100,
  /** Peer display names, from the token. */
  displayName: 40,
  /** A peer token (JWT) as sent in the handshake. */
  token: 4_096,
  /** Most chats one peer may hold at once, whatever a token says. */
  maxChatsPerPeer: 8,
  /** Topics one peer's token may list (each an id such as `assault`, 1 to 40 of `a-z 0-9 -`). */
  topicsPerPeer: 20,
  /** Languages one peer's token may list (BCP 47 tags such as `en`, `pt-BR`). */
  languagesPerPeer: 10,
  /** One BCP 47 language tag, in characters. */
  languageTag: 35,
  /** Waiting-list entries sent to peers in one update (the total is always sent). */
  queueEntriesShown: 50,
  /**
   * Largest inbound Socket.IO packet the relay accepts, in bytes (maxHttpBufferSize): the
   * largest sealed message (see `box`) with its chat id, message id and framing fits.
   */
  packetBytes: 10_240,
} as const;

/** The Socket.IO namespaces: survivors and peers never share one. */
export const namespaces = {
  survivor: '/survivor',
  peer: '/peer',
} as const;

/** Socket.IO path on the relay. */
export const socketPath = '/socket.io';
