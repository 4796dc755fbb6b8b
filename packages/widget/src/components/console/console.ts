// SPDX-License-Identifier: Apache-2.0
import {
  limits,
  namespaces,
  type CannedResponse,
  type EndReason,
  type PeerClientEvents,
  type PeerServerEvents,
  type PeerSession,
  type PublicKeys,
  type QueueEntry,
  type RelayedMessage,
  type Resource,
  type Topic,
} from '@kindred/protocol';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { property, state } from 'lit/decorators.js';
import { ConnectionController, type ConnectionStatus } from '../../controllers/connection.js';
import { TimersController } from '../../controllers/timers.js';
import { loadSoundOn, playChime, prepareSound, saveSoundOn } from '../../internal/alert-sound.js';
import { baseStyles } from '../../internal/base.styles.js';
import { canEncrypt, ChatCipher } from '../../internal/e2e.js';
import { parseResource } from '../../internal/hospital.js';
import { arrival } from '../../internal/inbox.js';
import { newMessageId } from '../../internal/message-id.js';
import {
  abandon,
  deliveryTimeoutMs,
  expire,
  markDelivered,
  markRead,
  markRefused,
  markSent,
  nextDeadline,
  nextSeq,
  pause,
  resendAll,
} from '../../internal/outbox.js';
import { consoleStore, type ConsoleChatSnapshot, type ConsoleSnapshot } from '../../internal/session-store-console.js';
import type { SessionStore } from '../../internal/session-store.js';
import { loadHospital } from '../../internal/hospital.js';
import { pageLanguage, setLanguage } from '../../internal/i18n.js';
import { loadConsoleStrings, strings } from '../../internal/strings-console.js';
import { addIncoming, addNotice, addOwn, addResource, type TranscriptMessage } from '../../internal/transcript.js';
import { SupervisionLink, type SealedLine, type SupervisedLine } from '../../internal/supervision.js';
import { composerStyles } from '../composer/composer.styles.js';
import { ComposerController, typingExpiryMs } from '../composer/composer.js';
import { messageListStyles } from '../message-list/message-list.styles.js';
import { renderMessageList, scrollLogToEnd } from '../message-list/message-list.js';
import { resourceStyles } from '../resource-card/resource-card.styles.js';
import { styles } from './console.styles.js';
import { choiceText, OfferController, renderOffer } from '../console-offer/console-offer.js';
import { consoleOfferStyles } from '../console-offer/console-offer.styles.js';
import { renderTransfer, TransferController } from '../console-transfer/console-transfer.js';
import { consoleTransferStyles } from '../console-transfer/console-transfer.styles.js';
import { renderBlockConfirm, renderChatActions } from '../console-actions/console-actions.js';
import { consoleActionsStyles } from '../console-actions/console-actions.styles.js';
import { renderBreakReminder, renderDebrief, renderDuty, ShiftController } from '../console-shift/console-shift.js';
import { consoleShiftStyles } from '../console-shift/console-shift.styles.js';
import { BoardController, renderBoard } from '../console-board/console-board.js';
import { consoleBoardStyles } from '../console-board/console-board.styles.js';

/** Why a chat ended, as the peer reads it: most reasons name the survivor. */
function endedText(reason: EndReason, name: string): string {
  const message = strings.survivorEnded[reason];
  return typeof message === 'string' ? message : message({ name });
}

/** A canned response's text in `language` (exact tag, then its primary subtag), else its own `text`. */
function cannedText(canned: CannedResponse, language: string): string {
  const texts = canned.texts ?? {};
  return texts[language] ?? texts[language.split('-')[0] ?? ''] ?? canned.text;
}

/** Whether the console's tab is out of sight (another tab, a minimised window). */
function tabHidden(): boolean {
  return document.visibilityState === 'hidden';
}

/**
 * How often waiting times count up on screen. Exported for the tests.
 * @internal
 */
export const waitTickMs = 15_000;

/** How long the peer's console waits before sending the supervisor again what they have not confirmed. */
const lineRetryMs = 3_000;

/** One of this peer's chats, as the console holds it. */
interface ConsoleChat extends ConsoleChatSnapshot {
  typing: boolean;
  ended: EndReason | undefined;
  /** The survivor's connection dropped; the relay holds the chat for them for a while. */
  away: boolean;
  /** A colleague's hand-off (`chat:transferred`): shown at the top while the chat lasts; memory only. */
  handoff?: { from: string; note?: string };
  /** The peer's side: the supervisor with them in this chat, by name. */
  supervisor?: string;
  /** A supervisor's side: a chat they joined (`supervision:join`), not theirs; read, write and Leave only. */
  supervising?: { peerName: string };
}

/** The waiting list as last sent, with the local time it arrived (for counting up). */
interface WaitingList {
  total: number;
  entries: QueueEntry[];
  receivedAt: number;
}

const noneWaiting: WaitingList = { total: 0, entries: [], receivedAt: 0 };

function openChat(snapshot: ConsoleChatSnapshot): ConsoleChat {
  return { ...snapshot, typing: false, ended: undefined, away: false };
}

/**
 * @summary The peer volunteer's console, served by the relay at `/console`: sign in with a
 * token, go on duty, accept waiting survivors and hold several chats at once.
 *
 * The token comes from the sign-in link's `#token=` fragment (which never reaches a server
 * log, and is removed from the address bar at once) or from the form. It is kept in memory
 * only and sent in the Socket.IO handshake's `auth`, never in a URL, never stored.
 *
 * Staying in the conversation: the relay answers every connection with a resume token, which
 * the console keeps in this tab's `sessionStorage` with its open chats (transcripts and
 * delivery state; `internal/session-store.ts`). A dropped connection or a reload takes every
 * chat back within the relay's grace period with that token alone; when the relay no longer
 * knows it, the console says so and shows the sign-in form. Storage is wiped on sign-out and
 * on refusal, and an ended chat leaves it.
 *
 * Encryption: each chat is sealed end to end (`internal/e2e.ts`). The survivor offers fresh
 * keys on every connection and whenever this console comes back; the console answers each new
 * offer with fresh keys of its own and re-seals what is unconfirmed. Keys live in memory only
 * and go with the chat, on sign-out and on every new connection. Without WebCrypto the
 * console does not sign in, rather than send plaintext.
 *
 * Delivery works as in the survivor's frame (`internal/outbox.ts`, `internal/inbox.ts`);
 * read marks are always sent, for the chat on screen while the page is in view.
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
  static override styles = [baseStyles, messageListStyles, composerStyles, resourceStyles, styles, consoleOfferStyles, consoleShiftStyles, consoleBoardStyles, consoleTransferStyles, consoleActionsStyles];

  private readonly connection = new ConnectionController<PeerServerEvents, PeerClientEvents>(this, {
    url: () => this.server,
    namespace: namespaces.peer,
    onStatus: (status) => this.handleConnectionStatus(status),
  });

  private readonly composer = new ComposerController(this, {
    onSend: (text) => this.sendMessage(text),
    onTyping: (typing) => this.handleTyping(typing),
  });

  private readonly timers = new TimersController(this);

  /** The survivor offered to this peer, with its countdown (components/console-offer). */
  private readonly offers = new OfferController(this, (offer) => {
    this.notice = strings.offerEnded.expired({ name: offer.survivorName });
  });

  /** The transfer dialog (components/console-transfer). */
  private readonly transfer = new TransferController(this, {
    list: () => this.connection.request('colleagues:list', {}),
    transfer: (chatId, to, note) => this.connection.request('chat:transfer', note ? { chatId, to, note } : { chatId, to }),
    transferred: (chatId, colleague) => void this.handleTransferredOut(chatId, colleague),
  });

  /** Duty, break, the shift's time, the break reminder and the debrief (components/console-shift). */
  private readonly shift = new ShiftController(this);

  /** A supervisor's live board (components/console-board); a new escalation sounds like a new survivor. */
  private readonly board = new BoardController(this, () => {
    if (this.soundOn) playChime();
  });

  /**
   * The relay's URL. Defaults to this page's origin, which is the relay that served it.
   * @type {string}
   */
  @property() server = location.origin;

  /**
   * How long a message may go undelivered before it shows "Not delivered". Settable for tests.
   * @internal
   */
  deliveryTimeout = deliveryTimeoutMs;

  /**
   * How long one of the break reminder's minutes lasts (components/console-shift). Settable for tests.
   * @internal
   */
  get breakMinuteMs(): number {
    return this.shift.minuteMs;
  }
  set breakMinuteMs(ms: number) {
    this.shift.minuteMs = ms;
  }

  /**
   * Where the session is kept: this tab's `sessionStorage`. Read when the element connects.
   * Settable for tests that put several consoles on one page.
   * @internal
   */
  store: SessionStore<ConsoleSnapshot> = consoleStore;

  @state() private signedIn = false;
  @state() private name = '';
  @state() private onDuty = false;
  /** `supervisor` sees the live board (`board:updated`). */
  @state() private peerRole: PeerSession['role'] = 'peer';
  @state() private waiting: WaitingList = noneWaiting;
  @state() private chats: ConsoleChat[] = [];
  @state() private selectedId: string | undefined;
  @state() private notice = '';
  @state() private now = Date.now();
  /** What this peer can share, from `session:ready`. */
  @state() private resources: Resource[] = [];
  /** The hospital's topics (`/hospital.json`), to name what each waiting survivor chose. */
  @state() private topics: Topic[] = [];
  /** The hospital's canned responses (`/hospital.json`), inserted into the message box on demand. */
  @state() private cannedResponses: CannedResponse[] = [];
  /** The peer's choice of an alert sound, for this tab only (internal/alert-sound.ts). */
  @state() private soundOn = loadSoundOn();
  /** The waiting survivors already seen: a ticket not among them is someone new (for the sound). */
  private knownTickets = new Set<string>();
  /** The waiting survivors when the tab was hidden: the title badge counts those who came after. */
  private ticketsWhenHidden: Set<string> | undefined;
  /** The page's own title while the console shows a badge in it. */
  private titleWithoutBadge: string | undefined;

  private tick: ReturnType<typeof setInterval> | undefined;
  /** Settles once the strings (with the hospital's overrides) are in: the first render waits for it. */
  private ready: Promise<void> | undefined;
  /** The sign-in token: memory only. A reloaded console comes back with `resume` alone. */
  private token: string | undefined;
  /** The session token of the relay's last `session:ready`. */
  private resume: string | undefined;
  /** Chats from this tab's storage, shown once the relay confirms the session. */
  private restoring: ConsoleSnapshot | undefined;
  // True once the relay has sent `session:ready`: every later one is a new connection.
  private hadSession = false;
  // The chat we last told "typing: true", so "false" goes to the same survivor even if the
  // peer switched chats in between.
  private typingChatId: string | undefined;
  /** Per chat, the highest of the survivor's sequence numbers we told them was read. */
  private readonly readSent = new Map<string, number>();
  private armedDeadline: number | undefined;
  /** Per chat, its end-to-end encryption (keys in memory only). */
  private readonly ciphers = new Map<string, ChatCipher>();
  /** Offers for a chat this console has not heard of yet (its accept's answer is on its way). */
  private readonly earlyOffers = new Map<string, PublicKeys>();
  /** Arrivals are handled one at a time, in order: opening a box takes a moment. */
  private inbox: Promise<void> = Promise.resolve();
  /** Per supervised chat, the sealed link between its peer and its supervisor (internal/supervision.ts). */
  private readonly links = new Map<string, SupervisionLink>();
  /** The chat whose block is being confirmed (components/console-actions). */
  @state() private blocking: string | undefined;

  constructor() {
    super();
    this.connection.on('session:ready', (session) => this.handleSessionReady(session));
    this.connection.on('queue:updated', ({ total, entries }) => {
      this.waiting = { total, entries, receivedAt: Date.now() };
      this.now = Date.now();
      const someoneNew = entries.some((entry) => !this.knownTickets.has(entry.ticket));
      this.knownTickets = new Set(entries.map((entry) => entry.ticket));
      if (someoneNew && this.soundOn) playChime();
    });
    this.connection.on('message:received', (message, ack) => {
      this.inbox = this.inbox.then(() => this.handleMessageReceived(message, ack)).catch(() => undefined);
    });
    this.connection.on('key:offered', ({ chatId, keys }) => void this.handleKeyOffered(chatId, keys));
    this.connection.on('message:delivered', ({ chatId, id }) => {
      this.updateChat(chatId, (chat) => ({ ...chat, messages: markDelivered(chat.messages, id) }));
    });
    this.connection.on('message:read', ({ chatId, seq }) => {
      if (typeof seq === 'number') this.updateChat(chatId, (chat) => ({ ...chat, messages: markRead(chat.messages, seq) }));
    });
    this.connection.on('typing:changed', ({ chatId, typing }) => this.setTyping(chatId, typing === true));
    this.connection.on('chat:presence', ({ chatId, present }) => this.handlePresence(chatId, present === true));
    this.connection.on('chat:ended', ({ chatId, reason }) => {
      const chat = this.findChat(chatId);
      if (!chat || chat.ended) return;
      this.closeOut(chatId, reason);
      this.notice = chat.supervising
        ? strings.supervisionEnded({ peer: chat.supervising.peerName, survivor: chat.survivorName })
        : endedText(reason, chat.survivorName);
    });
    // The sign-in token ran out: the relay closes this connection right after, and the resume
    // token in storage no longer works on any relay. The chats' survivors go back to the queue.
    this.connection.on('session:expired', () => this.forgetSession(strings.sessionExpired));
    // Transfers and supervision (components/console-transfer, internal/supervision.ts).
    this.connection.on('chat:transferred', (handoff) => this.handleTransferredIn(handoff));
    this.connection.on('supervision:changed', ({ chatId, present, name }) => this.handleSupervisionChanged(chatId, present === true, name));
    // Keys and lines in arrival order: a line sealed under new keys follows the answer that made them.
    this.connection.on('supervision:keyed', ({ chatId, keys, offer }) => {
      this.inbox = this.inbox.then(() => this.handleSupervisionKeyed(chatId, keys, offer)).catch(() => undefined);
    });
    this.connection.on('supervision:received', (line, ack) => {
      this.inbox = this.inbox.then(() => this.handleSupervisionReceived(line, ack)).catch(() => undefined);
    });
    this.connection.on('board:updated', (board) => {
      if (this.peerRole === 'supervisor') this.board.update(board);
    });
    // Offers (components/console-offer): one at a time; what ends them unanswered is said politely.
    this.connection.on('offer:made', (offer) => {
      if (this.onDuty) this.offers.show(offer, ({ survivorName, topic, language }) => [strings.offerFor({ name: survivorName }), choiceText({ topic, language }, this.topics, this.lang)].filter(Boolean).join(' '));
    });
    this.connection.on('offer:withdrawn', ({ ticket, reason }) => {
      const offer = this.offers.clear(ticket);
      const ended = strings.offerEnded[reason];
      if (offer && ended) this.notice = ended({ name: offer.survivorName });
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.ready ??= this.loadStrings();
    this.tick = setInterval(() => {
      this.now = Date.now();
    }, waitTickMs);
    document.addEventListener('visibilitychange', this.handleDocumentVisibility);
    // The supervisors' board (components/console-board) asks to join an escalated chat.
    this.renderRoot.addEventListener('kindred-board-join', this.handleBoardJoin);
    const saved = this.store.load();
    if (saved) {
      this.resume = saved.resume;
      this.restoring = saved;
    }
    const token = this.takeTokenFromAddress();
    if (token) this.signIn(token);
    else if (saved) {
      this.notice = strings.reconnecting;
      this.connection.connect(this.auth);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.tick);
    this.tick = undefined;
    document.removeEventListener('visibilitychange', this.handleDocumentVisibility);
    this.renderRoot.removeEventListener('kindred-board-join', this.handleBoardJoin);
    this.armedDeadline = undefined;
    this.ticketsWhenHidden = undefined;
    this.updateTitle();
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('chats') || changed.has('selectedId')) scrollLogToEnd(this.renderRoot);
    this.armDeadline();
    this.persist();
    this.updateTitle();
  }

  /**
   * What needs the peer while the tab is hidden: survivors who started waiting since, and
   * messages not yet seen. Shown in the tab's title ("(3) Kindred peer console"), where a peer
   * working in another tab sees it; the title is the page's own again when the tab is shown.
   */
  private updateTitle(): void {
    const newWaiting = this.ticketsWhenHidden ? this.waiting.entries.filter((entry) => !this.ticketsWhenHidden?.has(entry.ticket)).length : 0;
    const unread = this.chats.reduce((sum, chat) => sum + (chat.ended ? 0 : chat.unread), 0);
    const count = newWaiting + unread + this.board.newWhileHidden;
    if (this.isConnected && tabHidden() && count > 0) {
      this.titleWithoutBadge ??= document.title;
      document.title = strings.titleBadge({ count, title: this.titleWithoutBadge });
    } else if (this.titleWithoutBadge !== undefined) {
      document.title = this.titleWithoutBadge;
      this.titleWithoutBadge = undefined;
    }
  }

  /** The first render waits for the strings: the console never shows one language, then another. */
  protected override async scheduleUpdate(): Promise<void> {
    await this.ready;
    super.scheduleUpdate();
  }

  /**
   * Loads the strings in the console's language (`pageLanguage`: its own `lang`, its page's, the
   * browser's) and, side by side, the hospital's overrides of them from `/hospital.json`. Then
   * marks the console with its language and direction, and its page too when the page declares
   * none (the relay's /console page is the console's own; WCAG 3.1.1).
   */
  private async loadStrings(): Promise<void> {
    const loading = loadHospital(this.server);
    void loading.then((loaded) => {
      this.topics = loaded?.hospital.topics ?? [];
      this.cannedResponses = loaded?.hospital.cannedResponses ?? [];
    });
    const language = await loadConsoleStrings(pageLanguage(this), loading.then((loaded) => loaded?.strings));
    setLanguage(this, language);
    if (!document.documentElement.lang) setLanguage(document.documentElement, language);
  }

  /**
   * Signs in with a peer token: opens the connection; the relay answers with `session:ready`.
   * A session this tab already had is taken back with it.
   */
  signIn(token: string): void {
    if (!canEncrypt()) {
      // Never plaintext: without WebCrypto (http, an old browser) there is no console.
      this.notice = strings.cannotEncrypt;
      return;
    }
    this.connection.disconnect();
    this.token = token;
    this.notice = '';
    this.connection.connect(this.auth);
  }

  /**
   * Signs out: ends this peer's open chats (each survivor is told), goes off duty, closes the
   * connection and wipes this tab's storage and memory.
   */
  async signOut(): Promise<void> {
    if (this.connection.connected) {
      // Answered before the socket closes: a close right behind them could overtake them at the relay.
      await Promise.all([
        ...this.chats
          .filter((chat) => !chat.ended)
          .map(({ chatId, supervising }) => (supervising ? this.connection.request('supervision:leave', { chatId }, 2_000) : this.connection.request('chat:end', { chatId }, 2_000))),
        ...(this.onDuty || this.shift.duty === 'break' ? [this.connection.request('duty:set', { onDuty: false }, 2_000)] : []),
      ]);
    }
    this.forgetSession(strings.signedOut);
  }

  /** Closes the connection and wipes this tab's storage and memory, then shows the sign-in form with `notice`. */
  private forgetSession(notice: string): void {
    this.offers.clear();
    this.connection.disconnect();
    this.store.wipe();
    this.token = undefined;
    this.resume = undefined;
    this.restoring = undefined;
    this.hadSession = false;
    this.signedIn = false;
    this.name = '';
    this.onDuty = false;
    this.peerRole = 'peer';
    this.shift.reset();
    this.board.clear();
    this.waiting = noneWaiting;
    this.knownTickets.clear();
    // A new shift starts silent: the sound choice goes with the rest of this tab's storage.
    this.soundOn = false;
    saveSoundOn(false);
    this.chats = [];
    this.selectedId = undefined;
    this.resources = [];
    this.readSent.clear();
    this.dropKeys();
    this.dropLinks();
    this.transfer.close();
    this.notice = notice;
  }

  private readonly auth = (): Record<string, string> => ({
    ...(this.token ? { token: this.token } : {}),
    ...(this.resume ? { resume: this.resume } : {}),
  });

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

  /** Keeps the session token and the open chats in this tab's storage while signed in. */
  private persist(): void {
    if (!this.signedIn || !this.resume || this.restoring) return;
    // A supervised chat is never kept: the relay lets a supervisor go when their connection does.
    const open = this.chats.filter((chat) => !chat.ended && !chat.supervising);
    const selectedId = open.some((chat) => chat.chatId === this.selectedId) ? this.selectedId : undefined;
    this.store.save({
      resume: this.resume,
      chats: open.map(({ chatId, survivorName, messages, expectedSeq, unread, seqOpen, escalated }) => ({
        chatId,
        survivorName,
        messages: messages.filter((message) => !message.notice),
        expectedSeq,
        unread,
        ...(seqOpen ? { seqOpen } : {}),
        ...(escalated ? { escalated } : {}),
      })),
      ...(selectedId ? { selectedId } : {}),
    });
  }

  private findChat(chatId: string | undefined): ConsoleChat | undefined {
    return this.chats.find((chat) => chat.chatId === chatId);
  }

  private get selected(): ConsoleChat | undefined {
    return this.findChat(this.selectedId);
  }

  private updateChat(chatId: string, change: (chat: ConsoleChat) => ConsoleChat): void {
    this.chats = this.chats.map((chat) => (chat.chatId === chatId ? change(chat) : chat));
  }

  private select(chatId: string): void {
    this.selectedId = chatId;
    this.updateChat(chatId, (chat) => ({ ...chat, unread: 0 }));
    this.sendReadMark(chatId);
  }

  /** The cipher of one chat, made on first use. */
  private cipher(chatId: string): ChatCipher {
    let cipher = this.ciphers.get(chatId);
    if (!cipher) this.ciphers.set(chatId, (cipher = new ChatCipher('peer')));
    return cipher;
  }

  /** Forgets every chat's keys: a new connection (the survivor offers fresh ones), or signing out. */
  private dropKeys(): void {
    for (const cipher of this.ciphers.values()) cipher.drop();
    this.ciphers.clear();
    this.earlyOffers.clear();
  }

  /** Answers the survivor's offer with fresh keys; what is unconfirmed goes again under them. */
  private async handleKeyOffered(chatId: string, keys: PublicKeys): Promise<void> {
    const chat = this.findChat(chatId);
    if (!chat) {
      if (typeof chatId === 'string' && this.earlyOffers.size < limits.maxChatsPerPeer) this.earlyOffers.set(chatId, keys);
      return;
    }
    if (chat.ended) return;
    const answer = await this.cipher(chatId).offered(keys);
    if (!answer || this.findChat(chatId)?.ended !== undefined) return;
    void this.connection.request('key:answer', { chatId, keys: answer.keys, offer: keys });
    if (answer.fresh) {
      this.requestUpdate();
      this.flush(chatId);
    }
  }

  /** Marks a chat ended; whatever the survivor never got stays visibly "Not delivered". */
  private closeOut(chatId: string, reason: EndReason): void {
    this.ciphers.get(chatId)?.drop();
    this.ciphers.delete(chatId);
    this.dropLink(chatId);
    if (this.transfer.chatId === chatId) this.transfer.close();
    if (this.blocking === chatId) this.handleBlockClose();
    this.setTyping(chatId, false);
    this.updateChat(chatId, (chat) => ({ ...chat, ended: reason, typing: false, away: false, messages: abandon(chat.messages) }));
    this.shift.chatEnded();
  }

  private async accept(ticket: string): Promise<void> {
    const ack = await this.connection.request('chat:accept', { ticket });
    // Accepted or gone, an offer of this survivor is over.
    this.offers.clear(ticket);
    if (!ack.ok) {
      this.notice = strings.errors[ack.error.code];
      return;
    }
    const { chatId, survivorName } = ack.data;
    // The survivor may already be away (the relay then says so right after this answer).
    if (!this.findChat(chatId)) this.chats = [...this.chats, openChat({ chatId, survivorName, messages: [], expectedSeq: 1, unread: 0 })];
    this.notice = '';
    this.select(chatId);
    const early = this.earlyOffers.get(chatId);
    this.earlyOffers.delete(chatId);
    if (early) void this.handleKeyOffered(chatId, early);
    await this.updateComplete;
    this.renderRoot.querySelector('textarea')?.focus();
  }

  /** Writes a message (or, with `resource`, a card) in the chat on screen. */
  private write(text: string, resource?: Resource, supervisor?: { chatId: string; name: string }): void {
    const chat = supervisor ? this.findChat(supervisor.chatId) : this.selected;
    if (!chat || chat.ended) return;
    if (chat.supervising) return this.writeAsSupervisor(chat.chatId, text);
    const { chatId } = chat;
    const id = newMessageId();
    const seq = nextSeq(chat.messages);
    const live = this.connection.connected;
    const deadline = live && !chat.away ? Date.now() + this.deliveryTimeout : undefined;
    const sender = !supervisor ? strings.you : supervisor.name ? strings.supervisorSays({ name: supervisor.name }) : strings.supervisor;
    const message = { id, sender, text, seq, status: 'sending' as const, deadline, resource, ...(supervisor ? { by: 'supervisor' as const } : {}) };
    this.updateChat(chatId, (each) => ({ ...each, messages: addOwn(each.messages, message) }));
    // Not connected: it waits in the outbox and goes when the session has resumed.
    if (live) void this.emit(chatId, { ...message, own: true, at: 0 });
    // The chat's supervisor, if one joined, reads it too (the supervisor's own words they have already).
    if (!supervisor && this.links.get(chatId)?.side === 'hub') void this.sendLine(chatId, { author: 'peer', text, ...(resource ? { resourceId: resource.id } : {}) });
  }

  private sendMessage(text: string): void {
    this.write(text);
  }

  /** Shares one of the configured resources as a card: a step of this chat's sequence, like a message. */
  private shareResource(resourceId: string): void {
    const resource = this.resources.find((each) => each.id === resourceId);
    if (resource) this.write('', resource);
  }

  /** Sends every undelivered message of one chat again, in order. */
  private flush(chatId: string): void {
    const chat = this.findChat(chatId);
    if (!chat || chat.ended || chat.supervising) return;
    const live = this.connection.connected;
    const { messages, resend } = resendAll(chat.messages, live && !chat.away ? Date.now() + this.deliveryTimeout : undefined);
    this.updateChat(chatId, (each) => ({ ...each, messages }));
    // Emitted synchronously, one after another, so they leave on the one socket in this order.
    if (live) for (const message of resend) void this.emit(chatId, message);
  }

  private async emit(chatId: string, message: TranscriptMessage): Promise<void> {
    const { id, seq = 0, text, resource } = message;
    // Sealed in call order, so they leave in the order written; a card seals only the
    // resource's id. Without keys yet it waits (as "sending") for the survivor's offer.
    const box = await this.ciphers.get(chatId)?.seal(resource ? 'r' : 'm', seq, resource ? resource.id : text);
    if (!box) return;
    const ack = resource
      ? await this.connection.request('resource:share', { chatId, id, seq, box })
      : await this.connection.request('message:send', { chatId, id, seq, box, ...(message.by ? { by: message.by } : {}) });
    // A timeout or a lost connection ('internal') is left to the deadline and the resend.
    if (!ack.ok && ack.error.code === 'internal') return;
    this.updateChat(chatId, (chat) => ({ ...chat, messages: ack.ok ? markSent(chat.messages, id) : markRefused(chat.messages, id) }));
  }

  /** Keeps one timer set for the earliest delivery deadline of any chat. */
  private armDeadline(): void {
    let due: number | undefined;
    for (const chat of this.chats) {
      const next = nextDeadline(chat.messages);
      if (next !== undefined && (due === undefined || next < due)) due = next;
    }
    if (due === this.armedDeadline) return;
    this.armedDeadline = due;
    if (due === undefined) {
      this.timers.clear('deadline');
      return;
    }
    this.timers.set('deadline', due - Date.now(), () => {
      this.armedDeadline = undefined;
      const now = Date.now();
      this.chats = this.chats.map((chat) => {
        const messages = expire(chat.messages, now);
        if (messages === chat.messages) return chat;
        // Said politely in the status; the Retry button is in the bubble.
        this.notice = strings.notDeliveredTo({ name: chat.survivorName });
        return { ...chat, messages };
      });
      this.armDeadline();
    });
  }

  private setTyping(chatId: string, typing: boolean): void {
    const key = `typing:${chatId}`;
    if (typing) this.timers.set(key, typingExpiryMs, () => this.updateChat(chatId, (chat) => ({ ...chat, typing: false })));
    else this.timers.clear(key);
    this.updateChat(chatId, (chat) => ({ ...chat, typing: chat.ended === undefined && typing }));
  }

  /**
   * Tells the survivor which of their messages this peer has seen: only for the chat on
   * screen, while the page is in view. `again` repeats the last one, for a survivor whose
   * connection was away when it was sent.
   */
  private sendReadMark(chatId: string | undefined, again = false): void {
    const chat = this.findChat(chatId);
    if (!chat || chat.ended || chat.chatId !== this.selectedId || document.visibilityState !== 'visible') return;
    const seq = chat.expectedSeq - 1;
    if (seq < 1 || (seq <= (this.readSent.get(chat.chatId) ?? 0) && !again)) return;
    this.readSent.set(chat.chatId, seq);
    this.connection.signal('message:read', { chatId: chat.chatId, seq });
  }

  private async closeChat(chatId: string): Promise<void> {
    this.ciphers.get(chatId)?.drop();
    this.ciphers.delete(chatId);
    this.dropLink(chatId);
    const index = this.chats.findIndex((chat) => chat.chatId === chatId);
    this.chats = this.chats.filter((chat) => chat.chatId !== chatId);
    this.readSent.delete(chatId);
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

  private endChat(chatId: string): void {
    const chat = this.findChat(chatId);
    if (!chat || chat.ended) return;
    this.closeOut(chatId, 'peer-ended');
    void this.connection.request('chat:end', { chatId });
  }

  /**
   * The relay no longer knows this peer's session (it restarted, or the grace period ran
   * out), or closed this connection: every chat has ended there. Say so rather than show dead
   * chats as live.
   */
  private endLostChats(): void {
    this.offers.clear();
    for (const chat of this.chats) if (!chat.ended) this.closeOut(chat.chatId, 'peer-left');
    this.typingChatId = undefined;
    this.waiting = noneWaiting;
    this.notice = strings.connectionDropped;
  }

  /** A resumed session: the chats the relay still holds go on; the others ended while away. */
  private takeBack(session: PeerSession): void {
    const live = new Map((Array.isArray(session.chats) ? session.chats : []).map((chat) => [chat.chatId, chat]));
    const endedAway = new Map((Array.isArray(session.ended) ? session.ended : []).map((each) => [each.chatId, each.reason]));
    for (const chat of this.chats) {
      if (chat.ended || live.has(chat.chatId)) continue;
      const reason = endedAway.get(chat.chatId) ?? 'survivor-left';
      this.closeOut(chat.chatId, reason);
      this.notice = endedText(reason, chat.survivorName);
    }
    for (const [chatId, { survivorName, survivorPresent }] of live) {
      // A chat the relay has and this tab does not (its storage was unavailable): shown from now on.
      if (!this.findChat(chatId)) this.chats = [...this.chats, openChat({ chatId, survivorName, messages: [], expectedSeq: 1, unread: 0 })];
      this.updateChat(chatId, (chat) => ({ ...chat, away: !survivorPresent, messages: survivorPresent ? chat.messages : pause(chat.messages) }));
      this.flush(chatId);
      void this.resendLines(chatId);
      this.sendReadMark(chatId, true);
    }
    if (!this.selected && this.chats[0]) this.select(this.chats[0].chatId);
  }

  private handleSessionReady(session: PeerSession): void {
    const wasOnDuty = this.onDuty;
    this.resume = typeof session.resume === 'string' ? session.resume : undefined;
    this.signedIn = true;
    this.name = session.name;
    this.onDuty = session.onDuty;
    this.peerRole = session.role === 'supervisor' ? 'supervisor' : 'peer';
    this.shift.begin(session);
    this.resources = Array.isArray(session.resources)
      ? session.resources.map(parseResource).filter((each): each is Resource => each !== undefined)
      : [];
    this.notice = '';
    this.dropSupervised();
    const restoring = this.restoring;
    this.restoring = undefined;
    // A new connection: every chat gets fresh keys from the survivor's next offer.
    this.dropKeys();
    if (session.resumed) {
      if (restoring) {
        // Storage is shown only now that the relay confirms the session is this tab's.
        this.chats = restoring.chats.map(openChat);
        this.selectedId = restoring.selectedId;
      }
      this.takeBack(session);
    } else if (this.hadSession || (restoring && restoring.chats.length > 0)) {
      this.endLostChats();
      // The relay restarted or forgot us, not the peer choosing to stop: back on duty, so
      // survivors who start again find someone (never a dead queue).
      if (wasOnDuty) void this.dutyAgain();
    }
    this.hadSession = true;
  }

  private async dutyAgain(): Promise<void> {
    const ack = await this.connection.request('duty:set', { onDuty: true });
    if (!ack.ok || !ack.data.onDuty) return;
    this.onDuty = true;
    this.shift.set(true, false);
    if (this.notice === strings.connectionDropped) this.notice = `${strings.connectionDropped} ${strings.backOnDuty}`;
  }

  // Transfers, escalation, blocking and supervision (components/console-transfer and
  // console-actions; the sealed link to a supervisor is internal/supervision.ts).

  /** A colleague handed this peer a chat: it joins the list with their note on top (memory only), announced like a new one. */
  private handleTransferredIn(handoff: Parameters<PeerServerEvents['chat:transferred']>[0]): void {
    const { chatId, survivorName, fromName, note, survivorPresent } = handoff ?? {};
    if (typeof chatId !== 'string' || typeof survivorName !== 'string') return;
    const held = this.findChat(chatId);
    if (held && !held.supervising) return;
    // A supervisor handed the chat they were supervising: it is theirs now, as a peer.
    if (held) {
      this.dropLink(chatId);
      this.chats = this.chats.filter((chat) => chat.chatId !== chatId);
    }
    const from = typeof fromName === 'string' ? fromName.slice(0, limits.displayName) : '';
    const kept = typeof note === 'string' && note.trim() ? { from, note: note.slice(0, limits.handoffNote) } : { from };
    const chat = openChat({ chatId, survivorName, messages: [], expectedSeq: 1, unread: 0 });
    this.chats = [...this.chats, { ...chat, away: survivorPresent === false, handoff: kept, seqOpen: true as const }];
    this.notice = strings.transferredIn({ from, name: survivorName });
    if (this.soundOn) playChime();
    if (!this.selected) this.select(chatId);
    const early = this.earlyOffers.get(chatId);
    this.earlyOffers.delete(chatId);
    if (early) void this.handleKeyOffered(chatId, early);
  }

  /** The chat is the colleague's now: it leaves this console, keys, transcript and all. */
  private async handleTransferredOut(chatId: string, colleague: string): Promise<void> {
    const name = this.findChat(chatId)?.survivorName ?? '';
    await this.closeChat(chatId);
    this.notice = strings.transferredTo({ name, colleague });
  }

  /** Tells the supervisors on duty; says whether anyone was there to tell. */
  private async escalate(chatId: string): Promise<void> {
    const ack = await this.connection.request('chat:escalate', { chatId });
    if (!ack.ok) {
      this.notice = strings.errors[ack.error.code];
      return;
    }
    const count = ack.data.supervisorsOnDuty;
    this.updateChat(chatId, (chat) => ({ ...chat, escalated: true }));
    this.notice = count > 0 ? strings.escalated({ count }) : strings.escalatedNobody;
  }

  private async openBlock(chatId: string): Promise<void> {
    this.blocking = chatId;
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector<HTMLDialogElement>('dialog.block-confirm');
    if (dialog && !dialog.open) dialog.showModal();
  }

  private readonly handleBlockClose = (): void => {
    const dialog = this.renderRoot.querySelector<HTMLDialogElement>('dialog.block-confirm');
    if (dialog?.open) dialog.close();
    this.blocking = undefined;
  };

  /** Confirmed: the relay ends the chat and refuses this survivor's new chats for a while. */
  private readonly handleBlockConfirm = async (): Promise<void> => {
    const chat = this.findChat(this.blocking);
    this.handleBlockClose();
    if (!chat || chat.ended) return;
    const ack = await this.connection.request('chat:block', { chatId: chat.chatId });
    if (!ack.ok) {
      this.notice = strings.errors[ack.error.code];
      return;
    }
    this.closeOut(chat.chatId, 'peer-ended');
    this.notice = strings.blocked({ name: chat.survivorName });
    await this.updateComplete;
    // Block went with the live chat: Close, where the peer goes on from (WCAG 2.4.3).
    if (this.selectedId === chat.chatId) this.renderRoot.querySelector<HTMLElement>('.conversation .actions button')?.focus();
  };

  /** The peer's side: a supervisor joined or left one of this peer's chats. Said in the chat's log. */
  private handleSupervisionChanged(chatId: string, present: boolean, name: unknown): void {
    const chat = this.findChat(chatId);
    // Only into a chat this console asked for help with (`ConsoleChatSnapshot.escalated`).
    if (!chat || chat.ended || chat.supervising || (present && !chat.escalated)) return;
    const supervisor = typeof name === 'string' && name ? name.slice(0, limits.displayName) : chat.supervisor ?? '';
    if (present && this.links.get(chatId)?.side !== 'hub') this.links.set(chatId, new SupervisionLink('hub'));
    if (!present) this.dropLink(chatId);
    const named = present ? strings.supervisorJoinedNamed : strings.supervisorLeftNamed;
    const line = supervisor ? named({ name: supervisor }) : present ? strings.supervisorJoined : strings.supervisorLeft;
    // Once the supervisor has gone, another one needs another request for help.
    this.updateChat(chatId, ({ escalated, ...each }) => ({
      ...each,
      ...(present && escalated ? { escalated } : {}),
      supervisor: present ? supervisor : undefined,
      messages: addNotice(each.messages, line),
    }));
    // The log says it for the chat on screen; for another chat, the status does.
    if (this.selectedId !== chatId) this.notice = line;
  }

  /** Keys between a chat's peer and its supervisor: the peer answers the supervisor's offer; the supervisor takes the answer. */
  private async handleSupervisionKeyed(chatId: string, keys: PublicKeys, offer: PublicKeys | undefined): Promise<void> {
    const chat = this.findChat(chatId);
    // The relay routes an offer only from the supervisor it has on this chat: one this page has
    // not heard of joined before it loaded (a reload), and is this chat's supervisor all the same.
    if (!this.links.has(chatId) && !offer && chat?.escalated && !chat.ended && !chat.supervising) {
      this.links.set(chatId, new SupervisionLink('hub'));
      if (chat.supervisor === undefined) {
        this.updateChat(chatId, (each) => ({ ...each, supervisor: '', messages: addNotice(each.messages, strings.supervisorJoined) }));
      }
    }
    const link = this.links.get(chatId);
    if (!link) return;
    if (link.side === 'supervisor') {
      if (offer && (await link.answered(keys, offer))) await this.resendLines(chatId);
      return;
    }
    const answer = await link.offered(keys);
    if (!answer || this.links.get(chatId) !== link) return;
    void this.connection.request('supervision:key', { chatId, keys: answer.keys, offer: keys });
    if (answer.fresh) await this.resendLines(chatId);
  }

  /** Seals one line for the other end of a chat's supervision link, and sends it (or keeps it until there are keys). */
  private async sendLine(chatId: string, line: SupervisedLine, id?: string): Promise<void> {
    const link = this.links.get(chatId);
    const sealed = await link?.write(line, id);
    if (link && sealed && this.connection.connected) void this.deliverLine(chatId, link, sealed);
  }

  private async deliverLine(chatId: string, link: SupervisionLink, sealed: SealedLine): Promise<void> {
    // The relay answers once the other console confirms, or after its own delivery timeout: wait longer than that.
    const ack = await this.connection.request('supervision:send', { chatId, ...sealed }, 15_000);
    if (!ack.ok && ack.error.code !== 'not-found') {
      // The peer's console did not confirm it: it may be a new page without our keys. Offer fresh ones.
      if (link.side === 'supervisor') void this.offerKeys(chatId, link);
      // The supervisor's did not: it may have gone, or be waiting for an earlier line (a new one
      // can overtake a resend). Everything unconfirmed goes again, in order, in a moment; without
      // this a supervisor who only reads would stop seeing the chat.
      else this.timers.set(`lines:${chatId}`, lineRetryMs, () => void this.resendLines(chatId));
    }
    if (!ack.ok || this.links.get(chatId) !== link) return;
    link.confirm(sealed.id);
    if (link.side === 'supervisor') this.updateChat(chatId, (chat) => ({ ...chat, messages: markSent(chat.messages, sealed.id) }));
  }

  /** Every line the other end has not acknowledged, again, under the current keys. */
  private async resendLines(chatId: string): Promise<void> {
    const link = this.links.get(chatId);
    if (!link || !this.connection.connected) return;
    for (const sealed of await link.unconfirmed()) void this.deliverLine(chatId, link, sealed);
  }

  /**
   * A sealed line over a supervision link. The peer passes the supervisor's words on to the
   * survivor, as its own message marked `by: 'supervisor'`; the supervisor reads what the peer
   * relays of the chat. Acknowledged once shown.
   */
  private async handleSupervisionReceived(
    payload: Parameters<PeerServerEvents['supervision:received']>[0],
    ack: (shown: true) => void,
  ): Promise<void> {
    const { chatId, id, seq, box } = payload ?? {};
    const link = this.links.get(chatId);
    const chat = this.findChat(chatId);
    if (!link || !chat || chat.ended || typeof ack !== 'function' || typeof id !== 'string') return;
    const result = await link.receive(seq, box);
    if (result.what === 'repeat') return ack(true);
    if (result.what === 'refused') this.notice = strings.notVerified;
    if (result.what !== 'show' || this.links.get(chatId) !== link) return;
    const { line } = result;
    if (link.side === 'hub') {
      if (line.text) this.write(line.text, undefined, { chatId, name: chat.supervisor ?? strings.supervisor });
    } else {
      const sender = line.author === 'survivor' ? chat.survivorName : chat.supervising?.peerName ?? '';
      const resource = line.resourceId === undefined ? undefined : this.resources.find((each) => each.id === line.resourceId);
      const unseen = this.selectedId !== chatId || tabHidden();
      if (unseen && this.soundOn) playChime();
      this.updateChat(chatId, (each) => ({
        ...each,
        messages: resource ? addResource(each.messages, id, sender, resource) : addIncoming(each.messages, id, sender, line.text || strings.sharedResource),
        unread: unseen ? each.unread + 1 : 0,
      }));
    }
    await this.updateComplete;
    ack(true);
  }

  private readonly handleBoardJoin = (event: Event): void => {
    const chatId = (event as CustomEvent<{ chatId?: unknown } | undefined>).detail?.chatId;
    if (typeof chatId === 'string') void this.joinSupervision(chatId);
  };

  /** A supervisor joins an escalated chat: it shows in their list, and they offer the chat's peer fresh keys. */
  private async joinSupervision(chatId: string): Promise<void> {
    if (this.findChat(chatId)) return this.select(chatId);
    const ack = await this.connection.request('supervision:join', { chatId });
    if (!ack.ok) {
      this.notice = strings.errors[ack.error.code];
      return;
    }
    const { peerName, survivorName } = ack.data;
    if (this.findChat(chatId)) return;
    const link = new SupervisionLink('supervisor');
    this.links.set(chatId, link);
    this.chats = [...this.chats, { ...openChat({ chatId, survivorName, messages: [], expectedSeq: 1, unread: 0 }), supervising: { peerName } }];
    this.notice = strings.joinedSupervision({ peer: peerName, survivor: survivorName });
    this.select(chatId);
    await this.offerKeys(chatId, link, true);
    await this.updateComplete;
    this.renderRoot.querySelector('textarea')?.focus();
  }

  /** A supervisor offers the chat's peer fresh keys; while an offer is unanswered, again at most every 15 s. */
  private async offerKeys(chatId: string, link: SupervisionLink, first = false): Promise<void> {
    if (!first && Date.now() - link.offeredAt < 15_000) return;
    const keys = await link.offer();
    if (this.links.get(chatId) === link) void this.connection.request('supervision:key', { chatId, keys });
  }

  /** A supervisor writes in a chat they joined: sealed for its peer, who passes it on. */
  private writeAsSupervisor(chatId: string, text: string): void {
    const link = this.links.get(chatId);
    if (link && !link.keyed) void this.offerKeys(chatId, link);
    const id = newMessageId();
    this.updateChat(chatId, (chat) => ({ ...chat, messages: addOwn(chat.messages, { id, sender: strings.you, text, seq: nextSeq(chat.messages), status: 'sending' }) }));
    void this.sendLine(chatId, { author: 'supervisor', text }, id);
  }

  /** Leave (or, once it ended, Close) a chat this supervisor joined. */
  private async leaveSupervision(chatId: string): Promise<void> {
    const chat = this.findChat(chatId);
    if (!chat?.supervising) return;
    if (!chat.ended) void this.connection.request('supervision:leave', { chatId });
    await this.closeChat(chatId);
    if (!chat.ended) this.notice = strings.leftSupervision({ peer: chat.supervising.peerName, survivor: chat.survivorName });
  }

  /** A supervisor's new connection: the relay let go of every chat they had joined (no grace period). */
  private dropSupervised(): void {
    const supervised = this.chats.filter((chat) => chat.supervising);
    if (supervised.length === 0) return;
    for (const chat of supervised) this.dropLink(chat.chatId);
    this.chats = this.chats.filter((chat) => !chat.supervising);
    if (!this.selected) this.selectedId = undefined;
    this.notice = strings.supervisionLost;
  }

  private dropLink(chatId: string): void {
    this.links.get(chatId)?.drop();
    this.links.delete(chatId);
  }

  private dropLinks(): void {
    for (const link of this.links.values()) link.drop();
    this.links.clear();
  }

  private async handleMessageReceived(message: RelayedMessage & { chatId: string }, ack: (shown: true) => void): Promise<void> {
    const chatId = message?.chatId;
    const chat = this.findChat(chatId);
    if (!chat || chat.ended || typeof ack !== 'function') return;
    // A transferred chat starts at whatever number the survivor's first message has (`seqOpen`).
    const what = arrival(chat.seqOpen ? message.seq : chat.expectedSeq, message.seq);
    if (what === 'repeat') {
      // The survivor missed our confirmation, so maybe our read mark too: both go again.
      ack(true);
      this.sendReadMark(chatId, true);
    }
    if (what !== 'show' || typeof message.id !== 'string') return;
    const text = await this.ciphers.get(chatId)?.open('m', message.seq, message.box);
    // Not shown, not acknowledged: stale boxes come again under the new keys; forged ones never.
    // In a chat just transferred here, a box sealed for the colleague before can come: it is not shown, and not alarming.
    if (text === false && !chat.seqOpen) this.notice = strings.notVerified;
    const now = this.findChat(chatId);
    if (typeof text !== 'string' || !now || (!now.seqOpen && now.expectedSeq !== message.seq)) return;
    // Unseen: in a chat not on screen, or on screen in a hidden tab (counted until the tab is shown).
    const unseen = this.selectedId !== chatId || tabHidden();
    if (unseen && this.soundOn) playChime();
    this.setTyping(chatId, false);
    this.updateChat(chatId, (each) => ({
      ...each,
      messages: addIncoming(each.messages, message.id, each.survivorName, text),
      expectedSeq: message.seq + 1,
      seqOpen: undefined,
      unread: unseen ? each.unread + 1 : 0,
    }));
    // Delivered means shown (or counted as unread on screen): acknowledge after rendering.
    await this.updateComplete;
    ack(true);
    this.sendReadMark(chatId);
    if (this.links.get(chatId)?.side === 'hub') void this.sendLine(chatId, { author: 'survivor', text });
  }

  private handlePresence(chatId: string, present: boolean): void {
    const chat = this.findChat(chatId);
    if (!chat || chat.ended) return;
    if (!present) {
      this.setTyping(chatId, false);
      this.updateChat(chatId, (each) => ({ ...each, away: true, messages: pause(each.messages) }));
      this.notice = strings.survivorAway({ name: chat.survivorName });
      return;
    }
    this.updateChat(chatId, (each) => ({ ...each, away: false }));
    if (this.notice === strings.survivorAway({ name: chat.survivorName })) this.notice = '';
    // The survivor is back: what they missed goes again, and so does our last read mark.
    this.flush(chatId);
    this.sendReadMark(chatId, true);
  }

  private handleTyping(typing: boolean): void {
    const chatId = typing ? this.selectedId : this.typingChatId;
    this.typingChatId = typing ? chatId : undefined;
    // A signal, volatile: a stale "is typing" is worth nothing, so it is never buffered.
    if (chatId && !this.findChat(chatId)?.supervising) this.connection.signal('typing:set', { chatId, typing }, { volatile: true });
  }

  private handleConnectionStatus(status: ConnectionStatus): void {
    if (status === 'refused') {
      // Without a token, the relay refused our resume token: the session is gone.
      const resumeOnly = !this.token;
      this.store.wipe();
      this.resume = undefined;
      this.restoring = undefined;
      this.signedIn = false;
      this.chats = [];
      this.selectedId = undefined;
      // The session is over: so is its shift, and a supervisor's board.
      this.shift.reset();
      this.board.clear();
      this.notice = resumeOnly ? strings.sessionEnded : strings.errors[this.connection.refusal ?? 'internal'];
    } else if (status === 'reconnecting') {
      this.notice = strings.reconnecting;
      // The relay lets go of an offer when the connection goes (the survivor moves on): so does the screen.
      this.offers.clear();
    } else if (status === 'idle' && this.signedIn) {
      // The relay closed the connection on purpose (this console was opened again elsewhere).
      this.endLostChats();
    }
  }

  private readonly handleDocumentVisibility = (): void => {
    if (tabHidden()) {
      this.ticketsWhenHidden = new Set(this.waiting.entries.map((entry) => entry.ticket));
    } else {
      this.ticketsWhenHidden = undefined;
      // The chat on screen is seen now that the tab is.
      if (this.selectedId && this.selected?.unread) this.updateChat(this.selectedId, (chat) => ({ ...chat, unread: 0 }));
    }
    this.updateTitle();
    this.sendReadMark(this.selectedId);
  };

  private readonly handleSoundClick = (): void => {
    this.soundOn = !this.soundOn;
    saveSoundOn(this.soundOn);
    // Made in this click, the audio context may play later without one (browsers' autoplay rule).
    if (this.soundOn) prepareSound();
  };

  /** Puts the chosen canned response in the message box at the caret; nothing is sent. */
  private readonly handleCannedSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const id = (event.currentTarget as HTMLFormElement).querySelector('select')?.value;
    const canned = this.cannedResponses.find((each) => each.id === id);
    const textarea = this.renderRoot.querySelector<HTMLTextAreaElement>('#composer-text');
    if (!canned || !textarea) return;
    const text = cannedText(canned, this.lang);
    const { selectionStart, selectionEnd, value } = textarea;
    // setRangeText ignores maxlength: the same bound is kept here, out loud.
    if (value.length - (selectionEnd - selectionStart) + text.length > limits.messageText) {
      this.notice = strings.cannedTooLong;
      return;
    }
    textarea.focus();
    textarea.setRangeText(text, selectionStart, selectionEnd, 'end');
    // As if typed or pasted: the composer sends "typing", as for any draft.
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
  };

  private readonly handleSignInSubmit = (event: SubmitEvent): void => {
    // The CSP says form-action 'none': this form never navigates.
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).querySelector('input');
    const token = input?.value.trim() ?? '';
    if (input) input.value = '';
    if (token) this.signIn(token);
  };

  private readonly handleSignOutClick = (): void => {
    void this.signOut();
  };

  private readonly handleShareSubmit = (event: SubmitEvent): void => {
    // The CSP says form-action 'none': this form never navigates.
    event.preventDefault();
    const select = (event.currentTarget as HTMLFormElement).querySelector('select');
    if (select?.value) this.shareResource(select.value);
  };

  /**
   * Where focus goes on when the reminder's Dismiss or the debrief's Done takes itself away:
   * Take a break (what the reminder was about), else the list of chats.
   */
  private readonly handleShiftNoticeClosed = async (what: 'reminder' | 'debrief'): Promise<void> => {
    await this.updateComplete;
    const target = (what === 'reminder' && this.renderRoot.querySelector<HTMLElement>('#break-button')) || this.renderRoot.querySelector<HTMLElement>('#chats-heading');
    target?.focus();
  };

  private readonly handleRetry = (): void => {
    const chat = this.selected;
    if (!chat) return;
    if (this.notice === strings.notDeliveredTo({ name: chat.survivorName })) this.notice = '';
    this.flush(chat.chatId);
    // The Retry button is gone with the failure; the message box is where the peer goes on.
    this.renderRoot.querySelector('textarea')?.focus();
  };

  /** On duty, on a break (chats stay open, nobody new is offered) or off duty (components/console-shift). */
  private readonly handleDutyChange = async (onDuty: boolean, onBreak: boolean): Promise<void> => {
    const ack = await this.connection.request('duty:set', onBreak ? { onDuty, onBreak } : { onDuty });
    if (!ack.ok) {
      this.notice = strings.errors[ack.error.code];
      return;
    }
    this.onDuty = ack.data.onDuty;
    this.shift.set(ack.data.onDuty, ack.data.onBreak);
    if (!this.onDuty) {
      this.waiting = noneWaiting;
      this.offers.clear(); // off duty, the relay has let go of it too
    }
  };

  private readonly handleOfferAccept = (ticket: string): void => {
    void this.accept(ticket);
  };

  private readonly handleOfferDecline = (ticket: string): void => {
    this.offers.clear(ticket);
    // Answered or not (it may have just run out), the survivor goes on to the next peer.
    void this.connection.request('offer:decline', { ticket });
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
    const offered = this.offers.offer?.ticket;
    // The count is a polite live region: a peer reading a chat hears that someone is waiting
    // without going to look (WCAG 4.1.3).
    return html`${renderOffer(this.offers, { topics: this.topics, language: this.lang, onAccept: this.handleOfferAccept, onDecline: this.handleOfferDecline })}
      <section aria-labelledby="waiting-heading">
      <h2 id="waiting-heading" aria-live="polite">${strings.waiting({ total: this.waiting.total })}</h2>
      ${this.waiting.entries.length === 0
        ? html`<p class="muted">${strings.nobodyWaiting}</p>`
        : html`<ul>
            ${this.waiting.entries.map(
              (entry) => html`<li class="entry">
                <span
                  >${entry.survivorName}
                  ${entry.topic || entry.language ? html`<span class="choice-text">${choiceText(entry, this.topics, this.lang)}</span>` : nothing}
                  ${entry.matches === false ? html`<span class="not-a-match">(${strings.notYourMatch})</span>` : nothing}
                  <span class="waited">${strings.waitedFor({ minutes: Math.floor((entry.waitedMs + elapsed) / 60_000) })}</span></span
                >
                ${entry.ticket === offered
                  ? // Offered to this peer: answered in the offer above, so one Accept for one survivor.
                    html`<span class="offered">${strings.offeredToYou}</span>`
                  : html`<button type="button" @click=${() => void this.accept(entry.ticket)}>
                      ${strings.acceptShort}<span class="visually-hidden"> ${entry.survivorName}</span>
                    </button>`}
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
        : // A polite live region: a message in a chat not on screen ("(1 unread)"), a dropped
          // connection or an end is heard without looking (WCAG 4.1.3); each item is said whole.
          html`<ul aria-live="polite">
            ${this.chats.map((chat) => {
              const marks = [
                chat.unread > 0 ? strings.unreadShort({ count: chat.unread }) : '',
                chat.away ? strings.awayShort : '',
                chat.ended ? strings.chatEndedShort : '',
                chat.supervising || chat.supervisor !== undefined ? strings.supervisedShort : '',
              ].filter(Boolean);
              return html`<li aria-atomic="true">
                <button
                  type="button"
                  class="chat-tab"
                  aria-current=${chat.chatId === this.selectedId ? 'true' : 'false'}
                  @click=${() => this.select(chat.chatId)}
                >
                  ${chat.survivorName}${marks.map((mark) => ` (${mark})`).join('')}
                </button>
              </li>`;
            })}
          </ul>`}
    </section>`;
  }

  private renderCanned() {
    if (this.cannedResponses.length === 0) return nothing;
    return html`<form class="share canned" aria-labelledby="canned-heading" @submit=${this.handleCannedSubmit}>
      <h3 id="canned-heading">${strings.cannedResponses}</h3>
      <label for="canned-response">${strings.cannedResponse}</label>
      <select id="canned-response">
        ${this.cannedResponses.map((canned) => html`<option .value=${canned.id}>${canned.title}</option>`)}
      </select>
      <button type="submit">${strings.insert}</button>
    </form>`;
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

  /** On demand: the code the peer and the survivor can compare to know nobody swapped keys. */
  private renderVerify(chatId: string) {
    const code = this.ciphers.get(chatId)?.code;
    return html`<details class="verify">
      <summary>${strings.verifyHeading}</summary>
      <p>${code ? strings.verifyCode({ code }) : strings.verifyPending}</p>
    </details>`;
  }

  /** A colleague's hand-off note, at the top of a chat they transferred here. */
  private renderHandoff(handoff: { from: string; note?: string }) {
    return html`<section class="handoff" aria-labelledby="handoff-heading">
      <h3 id="handoff-heading">${strings.handoffFrom({ from: handoff.from })}</h3>
      ${handoff.note ? html`<p>${handoff.note}</p>` : nothing}
    </section>`;
  }

  /** A chat this supervisor joined: what its peer relays, a message box, and Leave. */
  private renderSupervised(chat: ConsoleChat, peer: string) {
    const survivor = chat.survivorName;
    return keyed(
      chat.chatId,
      html`<section class="conversation" aria-labelledby="conversation-heading">
        <h2 id="conversation-heading">${strings.supervisingHeading({ peer, survivor })}</h2>
        <p class="supervising-intro">${strings.supervisingIntro({ peer, survivor })}</p>
        ${renderMessageList(chat.messages, { typingName: '' })}
        ${chat.ended ? html`<p class="ended">${strings.supervisionEnded({ peer, survivor })}</p>` : this.composer.render()}
        <div class="actions">
          <button type="button" class="secondary" @click=${() => void this.leaveSupervision(chat.chatId)}>${chat.ended ? strings.close : strings.leave}</button>
        </div>
      </section>`,
    );
  }

  /** The transfer dialog and the block confirmation: closed until asked for. */
  private renderDialogs() {
    return html`${renderTransfer(this.transfer)}
    ${renderBlockConfirm({
      survivorName: this.findChat(this.blocking)?.survivorName,
      onConfirm: () => void this.handleBlockConfirm(),
      onClose: this.handleBlockClose,
    })}`;
  }

  private renderConversation() {
    const chat = this.selected;
    if (!chat) return html`<section class="conversation"></section>`;
    if (chat.supervising) return this.renderSupervised(chat, chat.supervising.peerName);
    const live = !chat.ended;
    // Keyed by chat, so switching chats gives a fresh composer: a draft meant for one
    // survivor can never be sent to another.
    return keyed(
      chat.chatId,
      html`<section class="conversation" aria-labelledby="conversation-heading">
        <h2 id="conversation-heading">${strings.chatWith({ name: chat.survivorName })}</h2>
        ${live ? renderChatActions({ onTransfer: () => void this.transfer.open(chat.chatId, chat.survivorName), onEscalate: () => void this.escalate(chat.chatId), onBlock: () => void this.openBlock(chat.chatId) }) : nothing}
        ${chat.handoff ? this.renderHandoff(chat.handoff) : nothing}
        ${renderMessageList(chat.messages, {
          typingName: chat.typing ? chat.survivorName : '',
          ...(live ? { onRetry: this.handleRetry } : {}),
        })}
        ${chat.away ? html`<p class="away">${strings.survivorAway({ name: chat.survivorName })}</p>` : nothing}
        ${chat.ended
          ? html`<p class="ended">${endedText(chat.ended, chat.survivorName)}</p>
              <div class="actions">
                <button type="button" @click=${() => void this.closeChat(chat.chatId)}>${strings.close}</button>
              </div>`
          : html`${this.composer.render()} ${this.renderCanned()} ${this.renderShare()} ${this.renderVerify(chat.chatId)}
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
          ? html`<p>${strings.signedInAs({ name: this.name })}</p>
              ${renderDuty(this.shift, { language: this.lang, onChange: (onDuty, onBreak) => void this.handleDutyChange(onDuty, onBreak) })}
              <!-- A toggle: aria-pressed for assistive technology; filled when on, outlined when off, for the eye. -->
              <button type="button" class=${this.soundOn ? '' : 'secondary'} aria-pressed=${this.soundOn ? 'true' : 'false'} @click=${this.handleSoundClick}>
                ${strings.soundAlerts}
              </button>
              <button type="button" class="secondary" @click=${this.handleSignOutClick}>${strings.signOut}</button>`
          : nothing}
      </header>
      <main>
        <p class="status" role="status">${this.notice}</p>
        ${this.signedIn ? renderBreakReminder(this.shift, { language: this.lang, onClosed: this.handleShiftNoticeClosed }) : nothing}
        ${this.signedIn
          ? html`<div class="columns">
              <div class="side">
                ${this.peerRole === 'supervisor' ? renderBoard(this.board, { language: this.lang }) : nothing} ${this.renderWaiting()}
                ${this.renderChatList()} ${renderDebrief(this.shift, { language: this.lang, onClosed: this.handleShiftNoticeClosed })}
              </div>
              ${this.renderConversation()}
            </div>`
          : this.renderSignIn()}
        ${this.signedIn ? this.renderDialogs() : nothing}
      </main>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kindred-console': KindredConsole;
  }
}
