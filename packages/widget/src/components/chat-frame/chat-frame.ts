// SPDX-License-Identifier: Apache-2.0
import {
  errorCodes,
  namespaces,
  type EndReason,
  type HospitalInfo,
  type QueueStatus,
  type Resource,
  type SafetyAnswer,
  type SurvivorClientEvents,
  type SurvivorServerEvents,
} from '@kindred/protocol';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ConnectionController, type ConnectionStatus } from '../../controllers/connection.js';
import { baseStyles } from '../../internal/base.styles.js';
import type { ChatState } from '../../internal/bridge.js';
import { downloadText } from '../../internal/download.js';
import { FrameBridge } from '../../internal/frame-bridge.js';
import { loadHospital, parseResource, telHref } from '../../internal/hospital.js';
import { httpsHref, neutralExitUrl } from '../../internal/https-url.js';
import { newMessageId } from '../../internal/message-id.js';
import { strings } from '../../internal/strings.js';
import { addIncoming, addOwn, addResource, setStatus, transcriptText, type TranscriptMessage } from '../../internal/transcript.js';
import { composerStyles } from '../composer/composer.styles.js';
import { ComposerController } from '../composer/composer.js';
import { messageListStyles } from '../message-list/message-list.styles.js';
import { renderMessageList, scrollLogToEnd } from '../message-list/message-list.js';
import { resourceStyles } from '../resource-card/resource-card.styles.js';
import { ShiftExitController } from '../../controllers/shift-exit.js';
import { renderResourceList } from '../resource-card/resource-card.js';
import { styles } from './chat-frame.styles.js';

/** Why the chat ended, including leaving the queue before a peer came. */
type EndedBecause = EndReason | 'left-queue';


const safetyOrder: readonly SafetyAnswer[] = ['safe', 'unsafe', 'unsure'];

/**
 * @summary The survivor's chat: runs inside the relay's `/frame` page, in the iframe the
 * shell creates, so the hospital page never sees the conversation.
 *
 * Nothing connects until the survivor presses "Start chat"; before that the frame fetches
 * only the hospital's public `/hospital.json` (confidentiality, emergency line, resources).
 * The transcript lives in memory only and goes when a new chat starts, on quick exit, or
 * when the frame closes; nothing is put in cookies or any storage. When embedded (a parent
 * window and an `#origin=` fragment), it tells the shell its state and unread count over the
 * bridge, and asks it to leave the page on quick exit.
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
  static override styles = [baseStyles, messageListStyles, composerStyles, resourceStyles, styles];

  private readonly connection = new ConnectionController<SurvivorServerEvents, SurvivorClientEvents>(this, {
    url: () => this.server,
    namespace: namespaces.survivor,
    onStatus: (status, previous) => this.handleConnectionStatus(status, previous),
  });

  private readonly composer = new ComposerController(this, {
    onSend: (text) => this.sendMessage(text),
    onTyping: (typing) => {
      if (this.chatState === 'chatting') void this.connection.request('typing:set', { typing });
    },
  });

  /** The relay's URL. Defaults to this page's origin, which is the relay that served it. */
  @property() server = location.origin;

  /**
   * Leaves the page when quick exit is used and no shell is there to do it. Replaces the
   * history entry, so Back does not return to the chat. Settable for tests.
   */
  navigate: (url: string) => void = (url) => location.replace(url);

  /**
   * The window that embeds this frame and the fragment naming its origin. Read once when the
   * element connects; defaults to `window.parent` and `location.hash`. Settable for tests.
   */
  embedding: { parent: Window; hash: string } | undefined;

  @state() private chatState: ChatState = 'idle';
  @state() private queue: QueueStatus | undefined;
  @state() private peerName = '';
  @state() private messages: TranscriptMessage[] = [];
  @state() private peerTyping = false;
  @state() private endedBecause: EndedBecause | undefined;
  @state() private problem = '';
  @state() private notice = '';
  @state() private hospital: HospitalInfo | undefined;
  @state() private safety: SafetyAnswer | undefined;
  @state() private confirmingSave = false;
  @state() private exited = false;

  private bridge: FrameBridge | undefined;
  private unread = 0;
  // Each press of "Start chat" is one attempt; answers to an older attempt are ignored.
  private attempt = 0;
  // Quick exit must work wherever focus is in the frame, including outside this element.
  private readonly shiftExit = new ShiftExitController(this, window, () => this.quickExit(true));

  constructor() {
    super();
    this.connection.on('queue:updated', (status) => {
      if (this.chatState !== 'connecting' && this.chatState !== 'waiting') return;
      this.queue = status;
      this.chatState = 'waiting';
    });
    this.connection.on('peer:joined', ({ peerName }) => {
      if (this.chatState !== 'connecting' && this.chatState !== 'waiting') return;
      this.peerName = peerName;
      this.chatState = 'chatting';
      this.sendQueued();
    });
    this.connection.on('message:received', (message, ack) => void this.handleMessageReceived(message.id, message.text, ack));
    this.connection.on('resource:shared', (payload, ack) => void this.handleResourceShared(payload?.id, payload?.resource, ack));
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
    const embedding = this.embedding ?? { parent: window.parent, hash: location.hash };
    this.bridge = new FrameBridge({
      self: window,
      parent: embedding.parent,
      hash: embedding.hash,
      onVisibility: (open) => void this.handleVisibility(open),
      onExit: () => this.quickExit(false),
    });
    this.bridge.connect();
    this.addEventListener('keydown', this.handleKeydown);
    if (!this.hospital) void this.fetchHospital();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.bridge?.disconnect();
    this.removeEventListener('keydown', this.handleKeydown);
  }

  protected override updated(changed: PropertyValues): void {
    if (this.exited) return;
    if (changed.has('messages')) scrollLogToEnd(this.renderRoot);
    if (changed.has('chatState')) {
      this.bridge?.post({ kindred: 1, type: 'state', state: this.chatState });
      if (changed.get('chatState') !== undefined) void this.focusCurrentControl(false);
    }
  }

  /**
   * Starts a new chat: connects (the first time) and joins the queue with the survivor's
   * answer to the safety question, if they gave one. `again` keeps what they wrote while
   * waiting, for when a lost connection takes the place in the queue again.
   */
  async start({ again = false } = {}): Promise<void> {
    if (this.exited) return;
    const attempt = ++this.attempt;
    if (!again) this.messages = [];
    this.peerName = '';
    this.peerTyping = false;
    this.queue = undefined;
    this.endedBecause = undefined;
    this.problem = '';
    this.notice = '';
    this.confirmingSave = false;
    this.chatState = 'connecting';
    this.connection.connect();
    const ack = await this.connection.request('chat:start', this.safety ? { safety: this.safety } : {});
    if (attempt !== this.attempt || this.chatState !== 'connecting') return;
    if (!ack.ok) {
      this.problem = ack.error.message;
      this.chatState = 'idle';
      return;
    }
    this.queue = ack.data;
    this.chatState = 'waiting';
  }

  /** Leaves the queue or ends the chat, at once; the relay is told without waiting. */
  leave(): void {
    if (this.chatState === 'chatting') this.end('survivor-ended');
    else if (this.chatState === 'connecting' || this.chatState === 'waiting') this.end('left-queue');
    else return;
    void this.connection.request('chat:end', {});
  }

  /**
   * Quick exit: closes the socket at once (the relay tells the peer the survivor left),
   * erases everything held in memory, leaves a blank frame, and has the page left — by the
   * shell when embedded, else by navigating this window. `tellShell` is false when the shell
   * asked for it.
   */
  quickExit(tellShell = true): void {
    if (this.exited) return;
    const exitUrl = httpsHref(this.hospital?.exitUrl) ?? neutralExitUrl;
    this.exited = true;
    this.attempt++;
    this.connection.disconnect();
    // A draft lives in the textarea, not in our state: empty it before it leaves the DOM.
    for (const box of this.renderRoot.querySelectorAll('textarea')) box.value = '';
    this.messages = [];
    this.peerName = '';
    this.queue = undefined;
    this.safety = undefined;
    this.hospital = undefined;
    this.problem = '';
    this.notice = '';
    this.confirmingSave = false;
    this.peerTyping = false;
    this.chatState = 'idle';
    this.unread = 0;
    this.shiftExit.reset();
    if (this.bridge?.embedded) {
      if (tellShell) this.bridge.post({ kindred: 1, type: 'exit' });
    } else {
      this.navigate(exitUrl);
    }
  }

  private async fetchHospital(): Promise<void> {
    const hospital = await loadHospital(this.server);
    if (!hospital || this.exited) return;
    this.hospital = hospital;
    const url = httpsHref(hospital.exitUrl);
    if (url) this.bridge?.post({ kindred: 1, type: 'exit-url', url });
  }

  private end(because: EndedBecause): void {
    this.attempt++;
    this.endedBecause = because;
    this.peerTyping = false;
    this.chatState = 'ended';
  }

  private sendMessage(text: string): void {
    const id = newMessageId();
    if (this.chatState === 'connecting' || this.chatState === 'waiting') {
      // Held in memory and sent as soon as a peer joins (see sendQueued).
      this.messages = addOwn(this.messages, id, strings.you, text, 'queued');
      return;
    }
    if (this.chatState !== 'chatting') return;
    this.messages = addOwn(this.messages, id, strings.you, text);
    void this.deliver(id, text);
  }

  /** Sends what the survivor wrote while waiting, in the order they wrote it. */
  private sendQueued(): void {
    const queued = this.messages.filter((message) => message.own && message.status === 'queued');
    if (queued.length === 0) return;
    this.messages = this.messages.map((message) => (message.own && message.status === 'queued' ? { ...message, status: 'sending' } : message));
    // Each request is emitted synchronously, so they leave on the one socket in this order.
    for (const message of queued) void this.deliver(message.id, message.text);
  }

  private async deliver(id: string, text: string): Promise<void> {
    const ack = await this.connection.request('message:send', { id, text });
    if (this.exited) return;
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
        : this.renderRoot.querySelector<HTMLElement>('main .actions button');
    target?.focus();
  }

  private countUnread(): void {
    if (this.bridge && !this.bridge.open) {
      this.unread++;
      this.bridge.post({ kindred: 1, type: 'unread', count: this.unread });
    }
  }

  private async handleMessageReceived(id: string, text: string, ack: (shown: true) => void): Promise<void> {
    if (this.chatState !== 'chatting') return;
    this.messages = addIncoming(this.messages, id, this.peerName, text);
    this.peerTyping = false;
    // Delivered means shown: acknowledge only once the bubble is in the DOM.
    await this.updateComplete;
    ack(true);
    this.countUnread();
  }

  private async handleResourceShared(id: unknown, value: unknown, ack: (shown: true) => void): Promise<void> {
    const resource: Resource | undefined = parseResource(value);
    if (this.chatState !== 'chatting' || typeof id !== 'string' || !resource) return;
    this.messages = addResource(this.messages, id, false, this.peerName, resource);
    await this.updateComplete;
    if (typeof ack === 'function') ack(true);
    this.countUnread();
  }

  private async handleVisibility(open: boolean): Promise<void> {
    if (!open || this.exited) return;
    this.unread = 0;
    this.bridge?.post({ kindred: 1, type: 'unread', count: 0 });
    await this.focusCurrentControl(true);
  }

  private handleConnectionStatus(status: ConnectionStatus, previous: ConnectionStatus): void {
    if (this.exited) return;
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
      else if (this.chatState === 'waiting' || this.chatState === 'connecting') void this.start({ again: true });
    }
    if (status === 'idle' && (this.chatState === 'waiting' || this.chatState === 'chatting')) {
      // The relay closed the connection on purpose.
      this.end(this.chatState === 'chatting' ? 'survivor-left' : 'left-queue');
    }
  }

  private readonly handleKeydown = (event: KeyboardEvent): void => {
    // Escape inside the frame never reaches the shell's document, so the frame passes it on.
    if (event.key !== 'Escape' || !this.bridge?.embedded || this.exited) return;
    if (this.confirmingSave) {
      this.handleSaveCancel();
      event.preventDefault();
      return;
    }
    event.preventDefault();
    this.bridge.post({ kindred: 1, type: 'close' });
  };

  private readonly handleQuickExitClick = (): void => {
    this.quickExit(true);
  };

  private readonly handleSafetyChange = (event: Event): void => {
    const value = (event.target as HTMLInputElement).value as SafetyAnswer;
    if (safetyOrder.includes(value)) this.safety = value;
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

  private readonly handleSaveClick = async (): Promise<void> => {
    this.notice = '';
    this.confirmingSave = true;
    await this.updateComplete;
    // Focus the warning itself, so it is read before either choice (WCAG 3.3.4 spirit: a
    // step that leaves a trace on the device is confirmed first).
    this.renderRoot.querySelector<HTMLElement>('.confirm')?.focus();
  };

  private readonly handleSaveConfirm = async (): Promise<void> => {
    downloadText(transcriptText(this.messages, strings.transcriptHeading(this.peerName)), strings.transcriptFileName);
    this.confirmingSave = false;
    this.notice = strings.savedCopy;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.save')?.focus();
  };

  private readonly handleSaveCancel = async (): Promise<void> => {
    this.confirmingSave = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.save')?.focus();
  };

  private get emergencyProminent(): boolean {
    return this.safety === 'unsafe' || this.safety === 'unsure';
  }

  private statusText(): string {
    if (this.problem) return this.problem;
    const status = this.connection.status;
    if (status === 'reconnecting' && this.chatState !== 'idle' && this.chatState !== 'ended') return strings.reconnecting;
    switch (this.chatState) {
      case 'connecting':
        return strings.connecting;
      case 'waiting': {
        const queue = this.queue;
        if (!queue || queue.position <= 0) return strings.connecting;
        const position = strings.queuePosition(queue.position);
        // Nobody can answer: say so first, at once, in the same polite status.
        if (queue.peersOnDuty === 0) return `${strings.noPeerOnDuty} ${position}`;
        return typeof queue.estimateMinutes === 'number' ? `${position} ${strings.estimate(Math.round(queue.estimateMinutes))}` : position;
      }
      case 'ended':
        return this.notice || (this.endedBecause === 'left-queue' ? strings.leftQueue : strings.ended[this.endedBecause ?? 'survivor-ended']);
      default:
        return this.notice;
    }
  }

  private renderEmergencyLine() {
    const emergency = this.hospital?.emergency;
    if (!emergency?.phone) return strings.emergencyLocal;
    const href = telHref(emergency.phone);
    const label = emergency.label || 'emergency services';
    return html`${strings.emergencyCall} ${label} ${strings.emergencyOn}
    ${href ? html`<a href=${href}>${emergency.phone}</a>` : emergency.phone}`;
  }

  private renderEmergencyBlock() {
    if (!this.emergencyProminent) return nothing;
    return html`<section class="emergency" aria-labelledby="emergency-heading">
      <h2 id="emergency-heading">${strings.emergencyHeading}</h2>
      <p>${this.renderEmergencyLine()}</p>
    </section>`;
  }

  private renderSafetyQuestion() {
    return html`<fieldset class="safety" aria-describedby="safety-hint">
      <legend>${strings.safetyQuestion}</legend>
      <p id="safety-hint" class="hint">${strings.safetyOptional}</p>
      <div class="choices">
        ${safetyOrder.map(
          (answer) => html`<label class="choice"
            ><input type="radio" name="safety" .value=${answer} .checked=${this.safety === answer} @change=${this.handleSafetyChange} />
            ${strings.safetyAnswers[answer]}</label
          >`,
        )}
      </div>
    </fieldset>`;
  }

  private renderIntro() {
    const confidentiality = this.hospital?.confidentiality;
    return html`<h1>${strings.idleHeading}</h1>
      <p>${strings.idleIntro} ${strings.idleWhatHappens}</p>
      ${confidentiality
        ? html`<h2>${strings.privacyHeading}</h2>
            <p class="confidentiality">${confidentiality}</p>`
        : nothing}
      <p class="tip">${strings.deviceSafety}</p>`;
  }

  /** The first screen, also shown again when a chat ends before any peer joined. */
  private renderStartScreen(startLabel: string) {
    return html`${this.renderIntro()} ${this.renderSafetyQuestion()} ${this.renderEmergencyBlock()}
      <div class="actions">
        <button type="button" @click=${this.handleStartClick}>${startLabel}</button>
      </div>`;
  }

  private renderHelp() {
    const hospital = this.hospital;
    const resources = hospital?.resources ?? [];
    const hours = hospital?.peerHours ? html`<p class="peer-hours">${strings.peerHours(hospital.peerHours)}</p>` : nothing;
    if (this.queue?.peersOnDuty === 0) {
      // Never a dead queue: where else to turn, and when peers are usually here, at once.
      return html`<section class="no-peer" aria-labelledby="help-heading">
        <h2 id="help-heading">${strings.resourcesHeading}</h2>
        <p>${strings.noPeerStay}</p>
        ${hours} ${renderResourceList(resources)}
      </section>`;
    }
    if (resources.length === 0) return hours;
    return html`<details class="help">
      <summary>${strings.resourcesWhileWaiting}</summary>
      ${renderResourceList(resources)} ${hours}
    </details>`;
  }

  private renderWaiting() {
    return html`<h1>${strings.waitingHeading}</h1>
      <p>${strings.keepPlace}</p>
      ${this.renderEmergencyBlock()}
      <div class="actions">
        <button type="button" class="secondary" @click=${this.handleLeaveClick}>${strings.leaveQueue}</button>
      </div>
      ${this.renderHelp()}
      <p class="hint">${strings.writeWhileWaiting}</p>
      ${renderMessageList(this.messages, { typingName: '' })}`;
  }

  private renderSaveCopy() {
    if (this.messages.length === 0) return nothing;
    if (!this.confirmingSave) {
      return html`<button type="button" class="secondary save" @click=${this.handleSaveClick}>${strings.saveCopy}</button>`;
    }
    return html`<div class="confirm" role="group" aria-labelledby="save-warning" tabindex="-1">
      <p id="save-warning">${strings.saveCopyWarning}</p>
      <button type="button" @click=${this.handleSaveConfirm}>${strings.saveCopyConfirm}</button>
      <button type="button" class="secondary" @click=${this.handleSaveCancel}>${strings.cancel}</button>
    </div>`;
  }

  private renderConversation() {
    return html`<h1>${strings.talkingWith(this.peerName)}</h1>
      ${this.renderEmergencyBlock()}
      ${renderMessageList(this.messages, { typingName: this.peerTyping ? this.peerName : '' })}`;
  }

  /** What follows the composer in a conversation: End chat, or Start a new chat, and Save a copy. */
  private renderConversationActions() {
    const chatting = this.chatState === 'chatting';
    return html`<div class="actions">
      ${chatting
        ? html`<button type="button" class="secondary" @click=${this.handleLeaveClick}>${strings.endChat}</button>`
        : html`<button type="button" @click=${this.handleStartClick}>${strings.startNewChat}</button>`}
      ${this.renderSaveCopy()}
    </div>`;
  }

  /**
   * The composer, always at this one place in the template: waiting and chatting render
   * around it rather than each holding its own, so the textarea — and a draft the survivor
   * typed while waiting, which lives only in it — survives the peer joining.
   */
  private renderComposer() {
    const writing = this.chatState === 'connecting' || this.chatState === 'waiting' || this.chatState === 'chatting';
    return writing ? this.composer.render() : nothing;
  }

  private renderAfterComposer() {
    const conversation = this.chatState === 'chatting' || (this.chatState === 'ended' && this.peerName !== '');
    return conversation ? this.renderConversationActions() : nothing;
  }

  private renderMain() {
    switch (this.chatState) {
      case 'idle':
        return this.renderStartScreen(strings.startChat);
      case 'connecting':
      case 'waiting':
        return this.renderWaiting();
      case 'chatting':
        return this.renderConversation();
      case 'ended':
        return this.peerName ? this.renderConversation() : this.renderStartScreen(strings.startNewChat);
    }
  }

  protected override render() {
    // After quick exit: a blank frame, nothing to read, nothing to focus.
    if (this.exited) return nothing;
    return html`
      <header>
        <button type="button" class="quick-exit" @click=${this.handleQuickExitClick}>${strings.quickExit}</button>
        <p class="brand">${this.hospital?.name ?? strings.idleHeading}</p>
        ${this.bridge?.embedded
          ? html`<button type="button" class="secondary" @click=${this.handleMinimiseClick}>${strings.minimise}</button>`
          : nothing}
      </header>
      <p class="visually-hidden" aria-live="polite">${this.shiftExit.announcement}</p>
      <main>
        <p class="status" role="status">${this.statusText()}</p>
        ${this.renderMain()} ${this.renderComposer()} ${this.renderAfterComposer()}
      </main>
      ${this.emergencyProminent
        ? nothing
        : html`<footer>
            <p class="emergency-line">${this.renderEmergencyLine()}</p>
          </footer>`}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kindred-chat-frame': KindredChatFrame;
  }
}
