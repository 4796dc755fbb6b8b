// SPDX-License-Identifier: Apache-2.0
/**
 * The messages of one conversation as the browser holds them: in memory only, never stored
 * (DESIGN.md privacy rule 2). Pure functions returning new arrays, so Lit sees each change.
 */
import type { Resource } from '@kindred/protocol';

/**
 * Where one of our own messages is on its way to the other person. `queued`: written while
 * waiting for a peer, held in memory and sent (in order) as soon as one joins.
 */
export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed';

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
  /** Set when this is a resources card rather than text; `text` is then empty. */
  resource?: Resource;
  /** This browser's clock when the message was added, in ms (for a saved copy). */
  at: number;
}

/** Adds one of our messages, not yet acknowledged by the relay. */
export function addOwn(
  messages: readonly TranscriptMessage[],
  id: string,
  sender: string,
  text: string,
  status: DeliveryStatus = 'sending',
): TranscriptMessage[] {
  return [...messages, { id, own: true, sender, text, status, at: Date.now() }];
}

/** Adds a message from the other person; a repeat of an id we already show is dropped. */
export function addIncoming(messages: readonly TranscriptMessage[], id: string, sender: string, text: string): TranscriptMessage[] {
  if (messages.some((message) => !message.own && message.id === id)) return [...messages];
  return [...messages, { id, own: false, sender, text, status: 'delivered', at: Date.now() }];
}

/** Adds a resources card, ours (peer side) or theirs; a repeat of an id we already show is dropped. */
export function addResource(
  messages: readonly TranscriptMessage[],
  id: string,
  own: boolean,
  sender: string,
  resource: Resource,
  status: DeliveryStatus = 'delivered',
): TranscriptMessage[] {
  if (messages.some((message) => message.own === own && message.id === id)) return [...messages];
  return [...messages, { id, own, sender, text: '', status, resource, at: Date.now() }];
}

/**
 * Moves one of our messages forward. Delivery can be reported before the relay's ack arrives,
 * so a message never goes back from `delivered` to `sent`.
 */
export function setStatus(messages: readonly TranscriptMessage[], id: string, status: DeliveryStatus): TranscriptMessage[] {
  return messages.map((message) => {
    if (!message.own || message.id !== id) return message;
    if (message.status === 'delivered' && status !== 'delivered') return message;
    if (message.status === status) return message;
    return { ...message, status };
  });
}

function resourceLines(resource: Resource): string[] {
  return [
    resource.name,
    resource.description,
    resource.phone ? `Phone: ${resource.phone}` : undefined,
    resource.url ? `Website: ${resource.url}` : undefined,
    resource.hours ? `Hours: ${resource.hours}` : undefined,
  ].filter((line): line is string => line !== undefined && line !== '');
}

/**
 * The conversation as plain text, for "Save a copy": built from memory in the browser, since
 * the relay never has a transcript. Each message is "[time] Name: text"; cards are indented.
 */
export function transcriptText(messages: readonly TranscriptMessage[], heading: string): string {
  const lines = [heading, ''];
  for (const message of messages) {
    const time = new Date(message.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    if (message.resource) {
      lines.push(`[${time}] ${message.sender}: (shared a resource)`);
      for (const line of resourceLines(message.resource)) lines.push(`    ${line}`);
    } else {
      lines.push(`[${time}] ${message.sender}: ${message.text.replace(/\r?\n/g, '\n    ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
