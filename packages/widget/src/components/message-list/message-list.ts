// SPDX-License-Identifier: Apache-2.0
/**
 * The conversation as bubbles, shared by the survivor's frame and the peer console so both
 * sides show messages, names and delivery the same way. A render function rather than an
 * element: it lives in its host's shadow root, so labels and live regions need no
 * cross-root references, and there is no second element to register.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { linkify } from '../../internal/linkify.js';
import { strings } from '../../internal/strings.js';
import { renderResource } from '../resource-card/resource-card.js';
import type { DeliveryStatus, TranscriptMessage } from '../../internal/transcript.js';

/** Options of {@link renderMessageList}. */
export interface MessageListOptions {
  /** Name of the other person while they type, or empty. */
  typingName: string;
  /**
   * Sends every undelivered message again. When given, each "Not delivered" message has a
   * Retry button; without it (the chat is over) the status alone stays.
   */
  onRetry?: () => void;
}

/** A delivery status in words, in the language shown now (so looked up at render time). */
const statusText = (status: DeliveryStatus): string => (status === 'failed' ? strings.notDelivered : strings[status]);

const statusMark: Partial<Record<DeliveryStatus, string>> = { delivered: '✓ ', read: '✓✓ ', failed: '! ' };

function renderText(text: string): TemplateResult {
  // Text goes in through Lit's text bindings, so nothing in a message can become markup.
  return html`${linkify(text).map((part) =>
    part.kind === 'link'
      ? html`<a href=${part.href} target="_blank" rel="noopener noreferrer nofollow" referrerpolicy="no-referrer"
          >${part.text}<span class="visually-hidden"> ${strings.opensInNewTab}</span></a
        >`
      : part.text,
  )}`;
}

function renderStatus(message: TranscriptMessage, onRetry: (() => void) | undefined): TemplateResult | typeof nothing {
  if (!message.own) return nothing;
  // Retry resends everything undelivered, in order: the recipient shows messages in order
  // only, so resending one alone would not get it shown.
  const retry =
    message.status === 'failed' && onRetry
      ? html` <button type="button" class="retry secondary" @click=${onRetry}>${strings.retry}</button>`
      : nothing;
  return html`<span class="delivery" data-status=${message.status}
    ><span aria-hidden="true">${statusMark[message.status] ?? ''}</span>${statusText(message.status)}${retry}</span
  >`;
}

/**
 * Renders the message log (`role="log"`, which is polite by default, so new messages are read
 * out without interrupting) and, below it, the typing line. The sender's name is real text
 * in each bubble, so screen readers hear who said what (WCAG 1.3.1).
 */
export function renderMessageList(messages: readonly TranscriptMessage[], options: MessageListOptions): TemplateResult {
  return html`
    <div class="log" role="log" aria-label=${strings.messages} tabindex="0">
      <ol class="messages">
        ${repeat(
          messages,
          (message) => `${message.own ? 'o' : 'p'}:${message.id}`,
          (message) =>
            message.notice
              ? // Something that happened in the chat: read out in its place in the log, nobody's bubble.
                html`<li class="notice">${message.text}</li>`
              : message.resource
              ? // A resources card: a distinct bubble, its name as the label.
                html`<li class="bubble card ${message.own ? 'own' : 'peer'}">
                  <span class="sender">${strings.saidBy({ name: message.sender })} ${strings.sharedResource}</span>
                  ${renderResource(message.resource)} ${renderStatus(message, options.onRetry)}
                </li>`
              : html`<li class="bubble ${message.own ? 'own' : 'peer'}">
                  <span class="sender">${strings.saidBy({ name: message.sender })}</span>
                  <p class="text">${renderText(message.text)}</p>
                  ${renderStatus(message, options.onRetry)}
                </li>`,
        )}
      </ol>
    </div>
    <p class="typing">${options.typingName ? strings.isTyping({ name: options.typingName }) : ''}</p>
  `;
}

/** Keeps the newest message in view; call from the host's `updated()` when messages change. */
export function scrollLogToEnd(root: ParentNode): void {
  const log = root.querySelector('.log');
  if (log) log.scrollTop = log.scrollHeight;
}
