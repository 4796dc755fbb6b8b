// SPDX-License-Identifier: Apache-2.0
/**
 * The table of error codes. Codes are stable lower-kebab strings; the message is fixed text
 * a person can read, and never includes anything from the request (privacy rule 1).
 * `docs/protocol.md` quotes this table and a test checks the two agree.
 */
export const errorCodes = {
  'payload-invalid': 'The request did not match the protocol.',
  'event-unknown': 'The relay does not know this event.',
  'auth-failed': 'Sign-in failed. Ask your coordinator for a new link.',
  'origin-refused': 'This site is not allowed to use the chat.',
  'not-found': 'There is no such chat or waiting survivor for you.',
  'already-started': 'A chat is already under way on this connection.',
  'no-chat': 'There is no chat under way on this connection.',
  'feedback-closed': 'There is no ended chat to answer about on this connection, or it was already answered.',
  'not-on-duty': 'Go on duty first.',
  'capacity-reached': 'You are already in as many chats as you can hold.',
  'not-supervisor': 'Only a supervisor can do that.',
  'colleague-unavailable': 'That colleague cannot take this chat now: they are off duty, away or full. Choose another.',
  'topic-unknown': 'This service does not offer that topic. Choose another, or none.',
  'language-unknown': 'This service does not offer that language. Choose another, or none.',
  'rate-limited': 'Too many requests in a short time. Wait a moment and try again.',
  'relay-full': 'The chat service is very busy right now. Please try again in a few minutes.',
  unavailable: 'The chat service cannot start new chats just now. Please try again in a few minutes.',
  internal: 'Something went wrong on the relay.',
} as const;

/** A stable error code from the table above. */
export type ErrorCode = keyof typeof errorCodes;

/** True when `value` is one of the codes in the table. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCodes, value);
}
