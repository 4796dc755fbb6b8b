// SPDX-License-Identifier: Apache-2.0
/**
 * The messages of one conversation as the browser holds them: in memory, and in the tab's
 * `sessionStorage` only while the chat goes on (see `session-store.ts`; DESIGN.md privacy
 * rule 2). Pure functions returning new arrays, so Lit sees each change. Where our own
 * messages are on their way is `outbox.ts`'s business.
 */
import type { Resource } from '@kindred/protocol';
import { newMessageId } from './message-id.js';
import { strings } from './strings.js';

/**
 * Where one of our own messages is on its way to the other person. `queued`: written while
 * waiting for a peer, sent (in order) as soon as one joins. `sending`: handed to the socket,
 * or waiting for it to come back. `sent`: the relay has it. `delivered`: the other person's
 * screen shows it. `read`: they have seen it. `failed`: not delivered in time (or the chat
 * ended first); the person can retry while the chat goes on.
 */
export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed';

/** Every delivery status, for checking what comes back from storage. */
export const deliveryStatuses: readonly DeliveryStatus[] = ['queued', 'sending', 'sent', 'delivered', 'read', 'failed'];

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
  /**
   * Our own messages: the sequence number it goes out with, in the numbering of the person we
   * are writing to now (1, 2, 3 …). Gone once the message belongs to an earlier peer.
   */
  seq?: number;
  /** Our own messages on their way: this browser's time by which it should be delivered. */
  deadline?: number;
  /** Set when this is a resources card rather than text; `text` is then empty. */
  resource?: Resource;
  /** This browser's clock when the message was added, in ms (for a saved copy). */
  at: number;
  /**
   * Set on a line that is nobody's message but something that happened in the chat ("A
   * supervisor joined"): said in the log like a message, with no sender or delivery. Shown
   * while the chat is on screen only, never stored.
   */
  notice?: true;
  /** Our own message that a supervisor wrote, which this console passes on (`message:send { by }`). */
  by?: 'supervisor';
}

/** One of our messages or cards, as {@link addOwn} takes it. */
export interface OwnMessage {
  id: string;
  sender: string;
  text: string;
  status: DeliveryStatus;
  seq: number;
  deadline?: number;
  resource?: Resource;
  by?: 'supervisor';
}

/** Adds one of our messages (or cards); its `seq` comes from `outbox.nextSeq`. */
export function addOwn(messages: readonly TranscriptMessage[], message: OwnMessage): TranscriptMessage[] {
  const added: TranscriptMessage = { ...message, own: true, at: Date.now() };
  // No `undefined` keys: a message without a deadline or a card has none.
  if (added.deadline === undefined) delete added.deadline;
  if (added.resource === undefined) delete added.resource;
  if (added.by === undefined) delete added.by;
  return [...messages, added];
}

/** Adds a line saying what happened in the chat (see `TranscriptMessage.notice`). */
export function addNotice(messages: readonly TranscriptMessage[], text: string): TranscriptMessage[] {
  return [...messages, { id: newMessageId(), own: false, sender: '', text, status: 'delivered', notice: true, at: Date.now() }];
}

/** Adds a message from the other person; a repeat of an id we already show is dropped. */
export function addIncoming(messages: readonly TranscriptMessage[], id: string, sender: string, text: string): TranscriptMessage[] {
  if (messages.some((message) => !message.own && message.id === id)) return [...messages];
  return [...messages, { id, own: false, sender, text, status: 'delivered', at: Date.now() }];
}

/** Adds a resources card from the other person; a repeat of an id we already show is dropped. */
export function addResource(messages: readonly TranscriptMessage[], id: string, sender: string, resource: Resource): TranscriptMessage[] {
  if (messages.some((message) => !message.own && message.id === id)) return [...messages];
  return [...messages, { id, own: false, sender, text: '', status: 'delivered', resource, at: Date.now() }];
}

function resourceLines(resource: Resource): string[] {
  return [
    resource.name,
    resource.description,
    resource.phone ? strings.transcriptPhone({ phone: resource.phone }) : undefined,
    resource.url ? strings.transcriptWebsite({ url: resource.url }) : undefined,
    resource.hours ? strings.hours({ hours: resource.hours }) : undefined,
  ].filter((line): line is string => line !== undefined && line !== '');
}

/**
 * The conversation as plain text, for "Save a copy": built from memory in the browser, since
 * the relay never has a transcript. Each message is "[time] Name: text"; cards are indented.
 */
export function transcriptText(messages: readonly TranscriptMessage[], heading: string): string {
  const lines = [heading, ''];
  for (const message of messages) {
    // In the chat's language (the frame sets its document's), as the rest of the copy is.
    const time = new Date(message.at).toLocaleTimeString(document.documentElement.lang || [], { hour: '2-digit', minute: '2-digit' });
    if (message.notice) {
      lines.push(`[${time}] ${message.text}`);
    } else if (message.resource) {
      lines.push(`[${time}] ${message.sender}: ${strings.transcriptResource}`);
      for (const line of resourceLines(message.resource)) lines.push(`    ${line}`);
    } else {
      lines.push(`[${time}] ${message.sender}: ${message.text.replace(/\r?\n/g, '\n    ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
