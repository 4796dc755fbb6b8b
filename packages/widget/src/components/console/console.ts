// SPDX-License-Identifier: Apache-2.0
import {
  errorCodes,
  limits,
  namespaces,
  type EndReason,
  type PeerClientEvents,
  type PeerServerEvents,
  type QueueEntry,
  type Resource,
} from '@kindred/protocol';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { property, state } from 'lit/decorators.js';
import { ConnectionController, type ConnectionStatus } from '../../controllers/connection.js';
import { baseStyles } from '../../internal/base.styles.js';
import { newMessageId } from '../../internal/message-id.js';
import { strings } from '../../internal/strings.js';
import { parseResource } from '../../internal/hospital.js';
import { addIncoming, addOwn, addResource, setStatus, type TranscriptMessage } from '../../internal/transcript.js';
import { composerStyles } from '../composer/composer.styles.js';
import { ComposerController } from '../composer/composer.js';
import { messageListStyles } from '../message-list/message-list.styles.js';
import { renderMessageList, scrollLogToEnd } from '../message-list/message-list.js';
import { resourceStyles } from '../resource-card/resource-card.styles.js';
import { styles } from './console.styles.js';

/** How often waiting times count up on screen. */
export const waitTickMs = 15_000;

/** One of this peer's chats, as the console holds it (in memory only). */
interface ConsoleChat {
  chatId: string;
  survivorName: string;
  messages: TranscriptMessage[];
  unread: number;
  typing: boolean;
  ended: EndReason | undefined;
}

/** The waiting list as last sent, with the local time it arrived (for counting up). */
interface WaitingList {
  total: number;
  entries: QueueEntry[];
  receivedAt: number;
}

/**
 * @summary The peer volunteer's console, served by the relay at `/console`: sign in with a
 * token, go on duty, accept waiting survivors and hold several chats at once.
 *
 * The token comes from the sign-in link's `#token=` fragment (which never reaches a server
 * log, and is removed from the address bar at once) or from the form. It is kept in memory
 * only and sent in the Socket.IO handshake's `auth`, never in a URL.
 *
 * @cssproperty --kindred-color-accent - Buttons, the selected chat and own bubbles.
 * @cssproperty --kindred-color-on-accent - Text on the accent colour.
 * @cssproperty --kindred-color-surface - Background.
 * @cssproperty --kindred-color-text - Text colour.
 * @cssproperty --kindred-color-muted - Secondary text.
 * @cssproperty --kindred-radius - Corner radius.
 * @cssproperty --kindred-font-family - Font.
 */
export class KindredConsole extends LitElement {
  static override styles = [baseStyles, messageListStyles, composerStyles, resourceStyles, styles];

  private readonly connection = new ConnectionController<PeerServerEvents, PeerClientEvents>(this, {
    url: () => this.server,
    namespace: namespaces.peer,
    onStatus: (status) => this.handleConnectionStatus(status),
  });

  private readonly composer = new ComposerController(this, {
    onSend: (text) => void this.sendMessage(text),
    onTyping: (typing) => this.handleTyping(typing),
  });

  /** The relay's URL. Defaults to this page's origin, which is the relay that served it. */
  @property() server = location.origin;

  @state() private signedIn = false;
  @state() private name = '';
  @state() private onDuty = false;
  @state() private waiting: WaitingList = { total: 0, entries: [], receivedAt: 0 };
  @state() private chats: ConsoleChat[] = [];
  @state() private selectedId: string | undefined;
  @state() private notice = '';
  @state() private now = Date.now();
  /** What this peer can share, from `session:ready`. */
  @state() private resources: Resource[] = [];

  private tick: ReturnType<typeof setInterval> | undefined;
  // True once the relay has sent `session:ready`: every later one is a new connection.
  private hadSession = false;
  // The chat we last told "typing: true", so "false" goes to the same survivor even if the
  // peer switched chats in between.
  private typingChatId: string | undefined;

  constructor() {
    super();
    this.connection.on('session:ready', ({ name, onDuty, resources }) => {
      this.signedIn = true;
      this.name = name;
      this.onDuty = onDuty;
      this.resources = Array.isArray(resources)
        ? resources.map(parseResource).filter((each): each is Resource => each !== undefined)
        : [];
      this.notice = '';
      if (this.hadSession) this.endLostChats();
      this.hadSession = true;
    });
    this.connection.on('queue:updated', ({ total, entries }) => {
      this.waiting = { total, entries, receivedAt: Date.now() };
      this.now = Date.now();
    });
    this.connection.on('message:received', (message, ack) =>
      void this.handleMessageReceived(message.chatId, message.id, message.text, ack),
    );
    this.connection.on('message:delivered', ({ chatId, id }) => {
      this.updateChat(chatId, (chat) => ({ ...chat, messages: setStatus(chat.messages, id, 'delivered') }));
    });
    this.connection.on('typing:changed', ({ chatId, typing }) => {
      this.updateChat(chatId, (chat) => ({ ...chat, typing: chat.ended === undefined && typing }));
    });
    this.connection.on('chat:ended', ({ chatId, reason }) => {
      const chat = this.chats.find((each) => each.chatId === chatId);
      if (!chat || chat.ended) return;
      this.updateChat(chatId, (each) => ({ ...each, ended: reason, typing: false }));
      this.notice = strings.survivorEnded[reason](chat.survivorName);
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.tick = setInterval(() => {
      this.now = Date.now();
    }, waitTickMs);
    const token = this.takeTokenFromAddress();
    if (token) this.signIn(token);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.tick);
    this.tick = undefined;
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('chats') || changed.has('selectedId')) scrollLogToEnd(this.renderRoot);
  }

  /** Signs in with a peer token: opens the connection; the relay answers with `session:ready`. */
  signIn(token: string): void {
    this.connection.disconnect();
    this.notice = '';
    this.connection.connect({ token });
  }

  /**
   * Reads `#token=` from the address and removes it at once (`history.replaceState`), so it
   * is not left in the address bar, the history entry, or a screenshot.
   */
  private takeTokenFromAddress(): string | undefined {
    const token = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
    if (token === null) return undefined;
    history.replaceState(history.state, '', location.pathname + location.search);
    return token.length > 0 && token.length <= limits.token ? token : undefined;
  }

  private get selected(): ConsoleChat | undefined {
    return this.chats.find((chat) => chat.chatId === this.selectedId);
  }

  private updateChat(chatId: string, change: (chat: ConsoleChat) => ConsoleChat): void {
    this.chats = this.chats.map((chat) => (chat.chatId === chatId ? change(chat) : chat));
  }

  private select(chatId: string): void {
    this.selectedId = chatId;
    this.updateChat(chatId, (chat) => ({ ...chat, unread: 0 }));
  }

  private async accept(ticket: string): Promise<void> {
    const ack = await this.connection.request('chat:accept', { ticket });
    if (!ack.ok) {
      this.notice = errorCodes[ack.error.code];
      return;
    }
    const { chatId, survivorName } = ack.data;
    this.chats = [...this.chats, { chatId, survivorName, messages: [], unread: 0, typing: false, ended: undefined }];
    this.notice = '';
    this.select(chatId);
    await this.updateComplete;
    this.renderRoot.querySelector('textarea')?.focus();
  }

  private async sendMessage(text: string): Promise<void> {
    const chat = this.selected;
    if (!chat || chat.ended) return;
    const { chatId } = chat;
    const id = newMessageId();
    this.updateChat(chatId, (each) => ({ ...each, messages: addOwn(each.messages, id, strings.you, text) }));
    const ack = await this.connection.request('message:send', { chatId, id, text });
    this.updateChat(chatId, (each) => ({ ...each, messages: setStatus(each.messages, id, ack.ok ? 'sent' : 'failed') }));
  }

  /** Shares one of the configured resources; the card shows in our log once the relay has it. */
  private async shareResource(resourceId: string): Promise<void> {
    const chat = this.selected;
    if (!chat || chat.ended) return;
    const { chatId } = chat;
    const id = newMessageId();
    const ack = await this.connection.request('resource:share', { chatId, id, resourceId });
    if (!ack.ok) {
      this.notice = errorCodes[ack.error.code];
      return;
    }
    const resource = parseResource(ack.data.resource);
    if (!resource) return;
    // Sent: the relay has it. A later `message:delivered` for this id moves it on.
    this.updateChat(chatId, (each) => ({ ...each, messages: addResource(each.messages, id, true, strings.you, resource, 'sent') }));
  }

  private endChat(chatId: string): void {
    const chat = this.chats.find((each) => each.chatId === chatId);
    if (!chat || chat.ended) return;
    this.updateChat(chatId, (each) => ({ ...each, ended: 'peer-ended', typing: false }));
    void this.connection.request('chat:end', { chatId });
  }

  private async closeChat(chatId: string): Promise<void> {
    const index = this.chats.findIndex((chat) => chat.chatId === chatId);
    this.chats = this.chats.filter((chat) => chat.chatId !== chatId);
    if (this.selectedId === chatId) {
      const next = this.chats[Math.min(index, this.chats.length - 1)];
      this.selectedId = undefined;
      if (next) this.select(next.chatId);
    }
    await this.updateComplete;
    // The Close button went with its chat; without this, focus falls back to the start of the
    // page (WCAG 2.4.3 focus order). The chat now shown, else the list's heading.
    const target =
      this.renderRoot.querySelector<HTMLElement>('.chat-tab[aria-current="true"]') ??
      this.renderRoot.querySelector<HTMLElement>('#chats-heading');
    target?.focus();
  }

  /**
   * The relay treats a new connection as a new peer: by the time the socket is back, it has
   * ended every chat of the old one and put it off duty. Say so rather than show dead chats
   * as live.
   */
  private endLostChats(): void {
    this.chats = this.chats.map((chat) => (chat.ended ? chat : { ...chat, ended: 'peer-left', typing: false }));
    this.typingChatId = undefined;
    this.waiting = { total: 0, entries: [], receivedAt: 0 };
    this.notice = strings.connectionDropped;
  }

  private async handleMessageReceived(chatId: string, id: string, text: string, ack: (shown: true) => void): Promise<void> {
    const chat = this.chats.find((each) => each.chatId === chatId);
    if (!chat || chat.ended) return;
    const unseen = this.selectedId !== chatId;
    this.updateChat(chatId, (each) => ({
      ...each,
      messages: addIncoming(each.messages, id, each.survivorName, text),
      unread: unseen ? each.unread + 1 : 0,
      typing: false,
    }));
    // Delivered means shown (or counted as unread on screen): acknowledge after rendering.
    await this.updateComplete;
    ack(true);
  }

  private handleTyping(typing: boolean): void {
    const chatId = typing ? this.selectedId : this.typingChatId;
    this.typingChatId = typing ? chatId : undefined;
    if (chatId) void this.connection.request('typing:set', { chatId, typing });
  }

  private handleConnectionStatus(status: ConnectionStatus): void {
    if (status === 'refused') {
      this.signedIn = false;
      this.notice = errorCodes[this.connection.refusal ?? 'internal'];
    } else if (status === 'reconnecting') {
      this.notice = strings.reconnecting;
    } else if (status === 'connected' && this.notice === strings.reconnecting) {
      this.notice = '';
    }
  }

  private readonly handleSignInSubmit = (event: SubmitEvent): void => {
    // The CSP says form-action 'none': this form never navigates.
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).querySelector('input');
    const token = input?.value.trim() ?? '';
    if (input) input.value = '';
    if (token) this.signIn(token);
  };

  private readonly handleShareSubmit = (event: SubmitEvent): void => {
    // The CSP says form-action 'none': this form never navigates.
    event.preventDefault();
    const select = (event.currentTarget as HTMLFormElement).querySelector('select');
    if (select?.value) void this.shareResource(select.value);
  };

  private readonly handleDutyClick = async (): Promise<void> => {
    const ack = await this.connection.request('duty:set', { onDuty: !this.onDuty });
    if (!ack.ok) {
      this.notice = errorCodes[ack.error.code];
      return;
    }
    this.onDuty = ack.data.onDuty;
    if (!this.onDuty) this.waiting = { total: 0, entries: [], receivedAt: 0 };
  };

  private renderSignIn() {
    const busy = this.connection.status === 'connecting';
    return html`<section class="sign-in" aria-labelledby="sign-in-heading">
      <h2 id="sign-in-heading">${strings.signIn}</h2>
      <form @submit=${this.handleSignInSubmit}>
        <label for="token">${strings.peerToken}</label>
        <input id="token" type="text" autocomplete="off" spellcheck="false" maxlength=${limits.token} required />
        <button type="submit" ?disabled=${busy}>${strings.signIn}</button>
      </form>
    </section>`;
  }

  private renderWaiting() {
    if (!this.onDuty) return nothing;
    const elapsed = this.waiting.receivedAt ? Math.max(0, this.now - this.waiting.receivedAt) : 0;
    return html`<section aria-labelledby="waiting-heading">
      <h2 id="waiting-heading">${strings.waiting(this.waiting.total)}</h2>
      ${this.waiting.entries.length === 0
        ? html`<p class="muted">${strings.nobodyWaiting}</p>`
        : html`<ul>
            ${this.waiting.entries.map(
              (entry) => html`<li class="entry">
                <span
                  >${entry.survivorName}
                  <span class="waited">${strings.waitedFor(Math.floor((entry.waitedMs + elapsed) / 60_000))}</span></span
                >
                <button type="button" @click=${() => void this.accept(entry.ticket)}>
                  ${strings.acceptShort}<span class="visually-hidden"> ${entry.survivorName}</span>
                </button>
              </li>`,
            )}
          </ul>`}
    </section>`;
  }

  private renderChatList() {
    return html`<section aria-labelledby="chats-heading">
      <h2 id="chats-heading" tabindex="-1">${strings.activeChats}</h2>
      ${this.chats.length === 0
        ? html`<p class="muted">${strings.noChats}</p>`
        : html`<ul>
            ${this.chats.map(
              (chat) => html`<li>
                <button
                  type="button"
                  class="chat-tab"
                  aria-current=${chat.chatId === this.selectedId ? 'true' : 'false'}
                  @click=${() => this.select(chat.chatId)}
                >
                  ${chat.survivorName}${chat.unread > 0 ? ` (${strings.unreadShort(chat.unread)})` : ''}${chat.ended
                    ? ` (${strings.chatEndedShort})`
                    : ''}
                </button>
              </li>`,
            )}
          </ul>`}
    </section>`;
  }

  private renderShare() {
    if (this.resources.length === 0) return nothing;
    return html`<form class="share" aria-labelledby="share-heading" @submit=${this.handleShareSubmit}>
      <h3 id="share-heading">${strings.shareResources}</h3>
      <label for="share-resource">${strings.resource}</label>
      <select id="share-resource">
        ${this.resources.map((resource) => html`<option .value=${resource.id}>${resource.name}</option>`)}
      </select>
      <button type="submit">${strings.share}</button>
    </form>`;
  }

  private renderConversation() {
    const chat = this.selected;
    if (!chat) return html`<section class="conversation"></section>`;
    // Keyed by chat, so switching chats gives a fresh composer: a draft meant for one
    // survivor can never be sent to another.
    return keyed(
      chat.chatId,
      html`<section class="conversation" aria-labelledby="conversation-heading">
        <h2 id="conversation-heading">${strings.chatWith(chat.survivorName)}</h2>
        ${renderMessageList(chat.messages, { typingName: chat.typing ? chat.survivorName : '' })}
        ${chat.ended
          ? html`<p class="ended">${strings.survivorEnded[chat.ended](chat.survivorName)}</p>
              <div class="actions">
                <button type="button" @click=${() => void this.closeChat(chat.chatId)}>${strings.close}</button>
              </div>`
          : html`${this.composer.render()} ${this.renderShare()}
              <div class="actions">
                <button type="button" class="secondary" @click=${() => this.endChat(chat.chatId)}>${strings.endChat}</button>
              </div>`}
      </section>`,
    );
  }

  protected override render() {
    return html`
      <header>
        <h1>${strings.consoleHeading}</h1>
        ${this.signedIn
          ? html`<p>${strings.signedInAs(this.name)}</p>
              <p>${this.onDuty ? strings.onDuty : strings.offDuty}</p>
              <button type="button" class=${this.onDuty ? 'secondary' : ''} @click=${this.handleDutyClick}>
                ${this.onDuty ? strings.goOffDuty : strings.goOnDuty}
              </button>`
          : nothing}
      </header>
      <p class="status" role="status">${this.notice}</p>
      ${this.signedIn
        ? html`<div class="columns">
            <div class="side">${this.renderWaiting()} ${this.renderChatList()}</div>
            ${this.renderConversation()}
          </div>`
        : this.renderSignIn()}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kindred-console': KindredConsole;
  }
}
