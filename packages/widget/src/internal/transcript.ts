// SPDX-License-Identifier: Apache-2.0
/**
 * The messages of one conversation as the browser holds them: in memory only, never stored
 * (DESIGN.md privacy rule 2). Pure functions returning new arrays, so Lit sees each change.
 */

/** Where one of our own messages is on its way to the other person. */
export type DeliveryStatus = 'sending' | 'sent' | 'delivered' | 'failed';

/** One message in a conversation. */
export interface TranscriptMessage {
  /** The client-made id (ours) or the sender's id (theirs). */
  id: string;
  /** Whether we wrote it. */
  own: boolean;
  /** Name shown with the bubble: "You" or the other person's pseudonym. */
  sender: string;
  text: string;
  /** Only meaningful for our own messages. */
  status: DeliveryStatus;
}

/** Adds one of our messages, not yet acknowledged by the relay. */
export function addOwn(messages: readonly TranscriptMessage[], id: string, sender: string, text: string): TranscriptMessage[] {
  return [...messages, { id, own: true, sender, text, status: 'sending' }];
}

/** Adds a message from the other person; a repeat of an id we already show is dropped. */
export function addIncoming(messages: readonly TranscriptMessage[], id: string, sender: string, text: string): TranscriptMessage[] {
  if (messages.some((message) => !message.own && message.id === id)) return [...messages];
  return [...messages, { id, own: false, sender, text, status: 'delivered' }];
}

/**
 * Moves one of our messages forward. Delivery can be reported before the relay's ack arrives,
 * so a message never goes back from `delivered` to `sent`.
 */
export function setStatus(messages: readonly TranscriptMessage[], id: string, status: DeliveryStatus): TranscriptMessage[] {
  return messages.map((message) => {
    if (!message.own || message.id !== id) return message;
    if (message.status === 'delivered' && status !== 'delivered') return message;
    return { ...message, status };
  });
}
