// SPDX-License-Identifier: Apache-2.0
import {
  errorCodes,
  namespaces,
  type EndReason,
  type SurvivorClientEvents,
  type SurvivorServerEvents,
} from '@kindred/protocol';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ConnectionController, type ConnectionStatus } from '../../controllers/connection.js';
import { baseStyles } from '../../internal/base.styles.js';
import type { ChatState } from '../../internal/bridge.js';
import { FrameBridge } from '../../internal/frame-bridge.js';
import { newMessageId } from '../../internal/message-id.js';
import { strings } from '../../internal/strings.js';
import { addIncoming, addOwn, setStatus, type TranscriptMessage } from '../../internal/transcript.js';
import { composerStyles } from '../composer/composer.styles.js';
import { ComposerController } from '../composer/composer.js';
import { messageListStyles } from '../message-list/message-list.styles.js';
import { renderMessageList, scrollLogToEnd } from '../message-list/message-list.js';
import { styles } from './chat-frame.styles.js';

/** Why the chat ended, including leaving the queue before a peer came. */
type EndedBecause = EndReason | 'left-queue';

/**
 * @summary The survivor's chat: runs inside the relay's `/frame` page, in the iframe the
 * shell creates, so the hospital page never sees the conversation.
 *
 * Nothing connects until the survivor presses "Start chat". The transcript lives in memory
 * only and goes when a new chat starts or the frame closes. When embedded (a parent window
 * and an `#origin=` fragment), it tells the shell its state and unread count over the bridge.
 *
 * @cssproperty --kindred-color-accent - Header, buttons and own bubbles.
 * @cssproperty --kindred-color-on-accent - Text on the accent colour.
 * @cssproperty --kindred-color-surface - Background.
 * @cssproperty --kindred-color-text - Text colour.
 * @cssproperty --kindred-color-muted - Secondary text (typing line, borders).
 * @cssproperty --kindred-radius - Corner radius of bubbles and buttons.
 * @cssproperty --kindred-font-family - Font.
 */
export class KindredChatFrame extends LitElement {
  static override styles = [baseStyles, messageListStyles, composerStyles, styles];

  private readonly connection = new ConnectionController<SurvivorServerEvents, SurvivorClientEvents>(this, {
    url: () => this.server,
    namespace: namespaces.survivor,
    onStatus: (status, previous) => this.handleConnectionStatus(status, previous),
  });

  private readonly composer = new ComposerController(this, {
    onSend: (text) => void this.sendMessage(text),
    onTyping: (typing) => void this.connection.request('typing:set', { typing }),
  });

  /** The relay's URL. Defaults to this page's origin, which is the relay that served it. */
  @property() server = location.origin;

  @state() private chatState: ChatState = 'idle';
  @state() private position = 0;
  @state() private peerName = '';
  @state() private messages: TranscriptMessage[] = [];
  @state() private peerTyping = false;
  @state() private endedBecause: EndedBecause | undefined;
  @state() private problem = '';

  private bridge: FrameBridge | undefined;
  private unread = 0;
  // Each press of "Start chat" is one attempt; answers to an older attempt are ignored.
  private attempt = 0;

  constructor() {
    super();
    this.connection.on('queue:updated', ({ position }) => {
      if (this.chatState !== 'connecting' && this.chatState !== 'waiting') return;
      this.position = position;
      this.chatState = 'waiting';
    });
    this.connection.on('peer:joined', ({ peerName }) => {
      if (this.chatState !== 'connecting' && this.chatState !== 'waiting') return;
      this.peerName = peerName;
      this.chatState = 'chatting';
    });
    this.connection.on('message:received', (message, ack) => void this.handleMessageReceived(message.id, message.text, ack));
    this.connection.on('message:delivered', ({ id }) => {
      this.messages = setStatus(this.messages, id, 'delivered');
    });
    this.connection.on('typing:changed', ({ typing }) => {
      this.peerTyping = this.chatState === 'chatting' && typing;
    });
    this.connection.on('chat:ended', ({ reason }) => {
      if (this.chatState === 'idle' || this.chatState === 'ended') return;
      this.end(reason);
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.bridge = new FrameBridge({
      self: window,
      parent: window.parent,
      hash: location.hash,
      onVisibility: (open) => void this.handleVisibility(open),
    });
    this.bridge.connect();
    this.addEventListener('keydown', this.handleKeydown);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.bridge?.disconnect();
    this.removeEventListener('keydown', this.handleKeydown);
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('messages')) scrollLogToEnd(this.renderRoot);
    if (changed.has('chatState')) {
      this.bridge?.post({ kindred: 1, type: 'state', state: this.chatState });
      if (changed.get('chatState') !== undefined) this.focusCurrentControl(false);
    }
  }

  /** Starts a new chat: connects (the first time) and joins the queue. */
  async start(): Promise<void> {
    const attempt = ++this.attempt;
    this.messages = [];
    this.peerName = '';
    this.peerTyping = false;
    this.position = 0;
    this.endedBecause = undefined;
    this.problem = '';
    this.chatState = 'connecting';
    this.connection.connect();
    const ack = await this.connection.request('chat:start', {});
    if (attempt !== this.attempt || this.chatState !== 'connecting') return;
    if (!ack.ok) {
      this.problem = ack.error.message;
      this.chatState = 'idle';
      return;
    }
    this.position = ack.data.position;
    this.chatState = 'waiting';
  }

  /** Leaves the queue or ends the chat, at once; the relay is told without waiting. */
  leave(): void {
    if (this.chatState === 'chatting') this.end('survivor-ended');
    else if (this.chatState === 'connecting' || this.chatState === 'waiting') this.end('left-queue');
    else return;
    void this.connection.request('chat:end', {});
  }

  private end(because: EndedBecause): void {
    this.attempt++;
    this.endedBecause = because;
    this.peerTyping = false;
    this.chatState = 'ended';
  }

  private async sendMessage(text: string): Promise<void> {
    if (this.chatState !== 'chatting') return;
    const id = newMessageId();
    this.messages = addOwn(this.messages, id, strings.you, text);
    const ack = await this.connection.request('message:send', { id, text });
    this.messages = setStatus(this.messages, id, ack.ok ? 'sent' : 'failed');
  }

  /** Focuses the control a person most likely wants next, unless they are elsewhere. */
  private async focusCurrentControl(force: boolean): Promise<void> {
    await this.updateComplete;
    const active = this.shadowRoot?.activeElement;
    // Do not pull focus away from something the person is using (WCAG 3.2.1/3.2.2); the
    // button they pressed is gone, though, which leaves focus on the body.
    if (!force && active && active.isConnected) return;
    const target =
      this.chatState === 'chatting'
        ? this.renderRoot.querySelector('textarea')
        : this.renderRoot.querySelector<HTMLElement>('main button');
    target?.focus();
  }

  private async handleMessageReceived(id: string, text: string, ack: (shown: true) => void): Promise<void> {
    if (this.chatState !== 'chatting') return;
    this.messages = addIncoming(this.messages, id, this.peerName, text);
    this.peerTyping = false;
    // Delivered means shown: acknowledge only once the bubble is in the DOM.
    await this.updateComplete;
    ack(true);
    if (this.bridge && !this.bridge.open) {
      this.unread++;
      this.bridge.post({ kindred: 1, type: 'unread', count: this.unread });
    }
  }

  private async handleVisibility(open: boolean): Promise<void> {
    if (!open) return;
    this.unread = 0;
    this.bridge?.post({ kindred: 1, type: 'unread', count: 0 });
    await this.focusCurrentControl(true);
  }

  private handleConnectionStatus(status: ConnectionStatus, previous: ConnectionStatus): void {
    if (status === 'refused') {
      this.problem = errorCodes[this.connection.refusal ?? 'internal'];
      if (this.chatState === 'connecting' || this.chatState === 'waiting') this.chatState = 'idle';
      else if (this.chatState === 'chatting') this.end('survivor-left');
      return;
    }
    if (status === 'connected' && previous === 'reconnecting') {
      // The relay treats a new connection as a new survivor: a chat cannot continue on it,
      // but a place in the queue can be taken again.
      if (this.chatState === 'chatting') this.end('survivor-left');
      else if (this.chatState === 'waiting' || this.chatState === 'connecting') void this.start();
    }
    if (status === 'idle' && (this.chatState === 'waiting' || this.chatState === 'chatting')) {
      // The relay closed the connection on purpose.
      this.end(this.chatState === 'chatting' ? 'survivor-left' : 'left-queue');
    }
  }

  private readonly handleKeydown = (event: KeyboardEvent): void => {
    // Escape inside the frame never reaches the shell's document, so the frame passes it on.
    if (event.key !== 'Escape' || !this.bridge?.embedded) return;
    event.preventDefault();
    this.bridge.post({ kindred: 1, type: 'close' });
  };

  private readonly handleStartClick = (): void => {
    void this.start();
  };

  private readonly handleLeaveClick = (): void => {
    this.leave();
  };

  private readonly handleMinimiseClick = (): void => {
    this.bridge?.post({ kindred: 1, type: 'close' });
  };

  private statusText(): string {
    if (this.problem) return this.problem;
    const status = this.connection.status;
    if (status === 'reconnecting' && this.chatState !== 'idle' && this.chatState !== 'ended') return strings.reconnecting;
    switch (this.chatState) {
      case 'connecting':
        return strings.connecting;
      case 'waiting':
        return this.position > 0 ? strings.queuePosition(this.position) : strings.connecting;
      case 'ended':
        return this.endedBecause === 'left-queue' ? strings.leftQueue : strings.ended[this.endedBecause ?? 'survivor-ended'];
      default:
        return '';
    }
  }

  private renderIntro() {
    return html`<h1>${strings.idleHeading}</h1>
      <p>${strings.idleIntro}</p>`;
  }

  private renderIdle() {
    return html`${this.renderIntro()}
      <div class="actions">
        <button type="button" @click=${this.handleStartClick}>${strings.startChat}</button>
      </div>`;
  }

  private renderWaiting() {
    return html`${this.renderIntro()}
      <div class="actions">
        <button type="button" class="secondary" @click=${this.handleLeaveClick}>${strings.leaveQueue}</button>
      </div>`;
  }

  private renderConversation() {
    const chatting = this.chatState === 'chatting';
    return html`<h1>${strings.talkingWith(this.peerName)}</h1>
      ${renderMessageList(this.messages, { typingName: this.peerTyping ? this.peerName : '' })}
      ${chatting ? this.composer.render() : nothing}
      <div class="actions">
        ${chatting
          ? html`<button type="button" class="secondary" @click=${this.handleLeaveClick}>${strings.endChat}</button>`
          : html`<button type="button" @click=${this.handleStartClick}>${strings.startNewChat}</button>`}
      </div>`;
  }

  private renderEndedWithoutPeer() {
    return html`${this.renderIntro()}
      <div class="actions">
        <button type="button" @click=${this.handleStartClick}>${strings.startNewChat}</button>
      </div>`;
  }

  private renderMain() {
    switch (this.chatState) {
      case 'idle':
        return this.renderIdle();
      case 'connecting':
      case 'waiting':
        return this.renderWaiting();
      case 'chatting':
        return this.renderConversation();
      case 'ended':
        return this.peerName ? this.renderConversation() : this.renderEndedWithoutPeer();
    }
  }

  protected override render() {
    return html`
      <header>
        <p class="brand">Kindred</p>
        ${this.bridge?.embedded
          ? html`<button type="button" class="secondary" @click=${this.handleMinimiseClick}>${strings.minimise}</button>`
          : nothing}
      </header>
      <main>
        <p class="status" role="status">${this.statusText()}</p>
        ${this.renderMain()}
      </main>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kindred-chat-frame': KindredChatFrame;
  }
}
