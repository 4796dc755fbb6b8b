// SPDX-License-Identifier: Apache-2.0
import {
  namespaces,
  type EndReason,
  type HospitalInfo,
  type QueueStatus,
  type RelayedMessage,
  type SafetyAnswer,
  type SurvivorChatView,
  type SurvivorClientEvents,
  type SurvivorServerEvents,
  type SurvivorSession,
} from '@kindred/protocol';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ConnectionController, type ConnectionStatus } from '../../controllers/connection.js';
import { TimersController } from '../../controllers/timers.js';
import { baseStyles } from '../../internal/base.styles.js';
import type { ChatState } from '../../internal/bridge.js';
import { downloadText } from '../../internal/download.js';
import type { ChatCipher, Kind } from '../../internal/e2e.js';
import { FrameBridge } from '../../internal/frame-bridge.js';
import { applyTheme } from '../../internal/frame-theme.js';
import { loadHospital, telHref } from '../../internal/hospital.js';
import { httpsHref, neutralExitUrl } from '../../internal/https-url.js';
import { arrival } from '../../internal/inbox.js';
import { newMessageId } from '../../internal/message-id.js';
import {
  abandon,
  deliveryTimeoutMs,
  expire,
  hasFailed,
  markDelivered,
  markRead,
  markRefused,
  markSent,
  nextDeadline,
  nextSeq,
  pause,
  requeue,
  resendAll,
} from '../../internal/outbox.js';
import { frameStore, type FrameSnapshot, type SessionStore } from '../../internal/session-store.js';
import { setLanguage } from '../../internal/i18n.js';
import { frameLanguage, loadFrameStrings, strings } from '../../internal/strings.js';
import { addIncoming, addOwn, addResource, transcriptText, type TranscriptMessage } from '../../internal/transcript.js';
import { composerStyles } from '../composer/composer.styles.js';
import { ComposerController, typingExpiryMs } from '../composer/composer.js';
import { messageListStyles } from '../message-list/message-list.styles.js';
import { renderMessageList, scrollLogToEnd } from '../message-list/message-list.js';
import { resourceStyles } from '../resource-card/resource-card.styles.js';
import { ShiftExitController } from '../../controllers/shift-exit.js';
import { renderResourceList } from '../resource-card/resource-card.js';
import { styles } from './chat-frame.styles.js';
import { preselectLanguage, renderTopicChoice, type TopicChoice } from '../topic-choice/topic-choice.js';
import { topicChoiceStyles } from '../topic-choice/topic-choice.styles.js';

/**
 * Why the chat ended: as the relay says, or leaving the queue before a peer came, or the relay
 * no longer knowing this chat when the connection came back (it restarted, or the grace
 * period ran out).
 */
type EndedBecause = EndReason | 'left-queue' | 'connection-lost';


const safetyOrder: readonly SafetyAnswer[] = ['safe', 'unsafe', 'unsure'];

/**
 * The encryption code loads when the survivor presses "Start chat" (or a chat is taken back),
 * not when the panel opens: nobody needs it before a peer can join, and opening stays quick.
 */
let e2e: Promise<typeof import('../../internal/e2e.js')> | undefined;
const loadE2E = () => (e2e ??= import('../../internal/e2e.js'));

/** Sentences said together in the one status line, leaving out empty ones. */
const sentences = (...parts: string[]): string => parts.filter(Boolean).join(' ');

/**
 * @summary The survivor's chat: runs inside the relay's `/frame` page, in the iframe the
 * shell creates, so the hospital page never sees the conversation.
 *
 * Nothing connects until the survivor presses "Start chat" — unless this tab already has a
 * chat going on: then the frame takes it back from the relay at once (a reload, a dropped
 * network, another page of the hospital site). Before that the frame fetches only the
 * hospital's public `/hospital.json` (confidentiality, emergency line, resources, and its own
 * wording of our strings) and, for a survivor who does not read English, the chunk of their
 * language, both before its first render.
 *
 * Language: the shell's choice from the fragment (`lang=`), checked against the languages we
 * have, else the element's `lang`, else the browser's (`internal/strings.ts`, `frameLanguage`).
 * The frame marks its whole document with it, `dir="rtl"` for Arabic.
 *
 * Delivery: every message carries a sequence number; the frame keeps its own undelivered
 * ones and sends them all again, in order, when its connection has resumed, when the peer's
 * comes back, and when the survivor presses Retry on one shown "Not delivered" (after
 * {@link deliveryTimeoutMs} without delivery while the peer is connected). It shows each of
 * the peer's messages once, in order, and tells the peer what has been read while the chat
 * is in view — unless the survivor unticks "Let the peer see when I have read their
 * messages" (ticked by default: the peer learns nothing more than that the message was seen).
 *
 * Encryption: every message and card is sealed end to end (`internal/e2e.ts`) with keys made
 * afresh for every connection; the relay only passes ciphertext on. Without WebCrypto (an
 * insecure context) the chat does not start, rather than send plaintext. A message that fails
 * verification is not shown; the status says so. "Check that this chat is private" shows a
 * code both people can compare.
 *
 * Transfer and supervision: when the peer hands the chat to a colleague, the status says "You
 * are now talking with …", and the frame treats the colleague as a new peer (fresh keys, so a
 * new code; their messages counted from 1; what the first peer did not confirm goes again),
 * while its own messages keep their numbers. A supervisor joining or leaving is said in the
 * status, never with their name; what they write comes through the peer, labelled "Supervisor".
 *
 * Storage: while a chat goes on, the conversation and the relay's resume token are kept in
 * this tab's `sessionStorage` only (`internal/session-store.ts`), and wiped when the chat
 * ends and by quick exit. What comes back from storage is shown only once the relay confirms
 * the chat is still there. Nothing goes in cookies or `localStorage`. When embedded (a
 * parent window and an `#origin=` fragment), it tells the shell its state and unread count
 * over the bridge, and asks it to leave the page on quick exit.
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
  static override styles = [baseStyles, messageListStyles, composerStyles, resourceStyles, styles, topicChoiceStyles];

  private readonly connection = new ConnectionController<SurvivorServerEvents, SurvivorClientEvents>(this, {
    url: () => this.server,
    namespace: namespaces.survivor,
    onStatus: (status) => this.handleConnectionStatus(status),
  });

  private readonly composer = new ComposerController(this, {
    onSend: (text) => this.sendMessage(text),
    onTyping: (typing) => {
      // A signal, volatile: a stale "is typing" is worth nothing, so it is never buffered.
      if (this.chatState === 'chatting') this.connection.signal('typing:set', { typing }, { volatile: true });
    },
  });

  private readonly timers = new TimersController<'deadline' | 'typing'>(this);

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

  /** How long a message may go undelivered before it shows "Not delivered". Settable for tests. */
  deliveryTimeout = deliveryTimeoutMs;

  /**
   * Where the chat is kept while it goes on: this tab's `sessionStorage`. Read when the
   * element connects. Settable for tests that put several survivors on one page.
   */
  store: SessionStore<FrameSnapshot> = frameStore;

  @state() private chatState: ChatState = 'idle';
  @state() private queue: QueueStatus | undefined;
  @state() private peerName = '';
  @state() private messages: TranscriptMessage[] = [];
  @state() private peerTyping = false;
  /** The peer's connection dropped; the relay holds the chat for them for a while. */
  @state() private peerAway = false;
  /** Back in the queue because the peer did not come back: said until the next one joins. */
  @state() private requeued = false;
  /** Restored from this tab's storage, waiting for the relay to confirm the chat: nothing shown yet. */
  @state() private resuming = false;
  /** Whether the peer may see read marks (the survivor's choice). */
  @state() private readMarks = true;
  @state() private endedBecause: EndedBecause | undefined;
  /** "Did this chat help?" was answered for this chat: the question gives way to thanks. */
  @state() private answered = false;
  @state() private problem = '';
  @state() private notice = '';
  @state() private hospital: HospitalInfo | undefined;
  @state() private safety: SafetyAnswer | undefined;
  /** The optional topic and language for matching (components/topic-choice). */
  @state() private choice: TopicChoice = {};
  @state() private confirmingSave = false;
  @state() private exited = false;

  private bridge: FrameBridge | undefined;
  /** This chat's end-to-end encryption (`internal/e2e.ts`): keys in memory only, fresh for every connection. */
  private cipher: ChatCipher | undefined;
  /** Arrivals are handled one at a time, in order: opening a box takes a moment. */
  private inbox: Promise<void> = Promise.resolve();
  private unread = 0;
  // Each press of "Start chat" is one attempt; answers to an older attempt are ignored.
  private attempt = 0;
  /** The session token of the relay's last `session:ready`, sent back on every reconnection. */
  private resume: string | undefined;
  /** The peer's next sequence number to show. */
  private expectedSeq = 1;
  /** The highest of the peer's sequence numbers we told them was read. */
  private readSent = 0;
  /** The delivery deadline the timer is set for. */
  private armedDeadline: number | undefined;
  // Quick exit must work wherever focus is in the frame, including outside this element.
  private readonly shiftExit = new ShiftExitController(
    this,
    window,
    () => this.quickExit(true),
    (left) => (left ? strings.shiftCountdown({ left }) : strings.exitActivated),
  );
  /** Settles once the strings and the hospital's information are in: the first render waits for it. */
  private ready: Promise<void> | undefined;

  constructor() {
    super();
    this.connection.on('session:ready', (session) => this.handleSessionReady(session));
    this.connection.on('queue:updated', (status) => {
      if (this.chatState !== 'connecting' && this.chatState !== 'waiting') return;
      this.queue = status;
      this.chatState = 'waiting';
    });
    this.connection.on('peer:joined', ({ peerName }) => {
      if (this.chatState === 'connecting' || this.chatState === 'waiting') this.peerJoined(peerName);
    });
    this.connection.on('message:received', (message, ack) => {
      // A supervisor's words come through the peer (sealed by their console), labelled as theirs.
      const sender = message.by === 'supervisor' ? strings.supervisor : this.peerName;
      this.queueArrival('m', message, ack, (text) => addIncoming(this.messages, message.id, sender, text));
    });
    this.connection.on('resource:shared', (card, ack) => {
      // The card is shown from this frame's own copy of the hospital's resources: the box holds only its id.
      this.queueArrival('r', card, ack, (resourceId) => {
        const resource = this.hospital?.resources.find((each) => each.id === resourceId);
        return resource ? addResource(this.messages, card.id, this.peerName, resource) : undefined;
      });
    });
    this.connection.on('key:answered', ({ keys, offer }) => void this.handleKeyAnswered(keys, offer));
    this.connection.on('message:delivered', ({ id }) => {
      this.messages = markDelivered(this.messages, id);
    });
    this.connection.on('message:read', ({ seq }) => {
      if (this.chatState === 'chatting' && typeof seq === 'number') this.messages = markRead(this.messages, seq);
    });
    this.connection.on('typing:changed', ({ typing }) => this.setPeerTyping(this.chatState === 'chatting' && typing === true));
    this.connection.on('chat:presence', ({ present }) => this.handlePresence(present === true));
    this.connection.on('chat:requeued', ({ queue }) => this.handleRequeued(queue));
    this.connection.on('chat:transferred', ({ peerName }) => {
      if (this.chatState !== 'chatting') return;
      // A colleague takes over as a new peer does (fresh keys, their numbering from 1, what the
      // first did not confirm goes again), but our own numbering goes on: no requeue.
      this.setPeerTyping(false);
      this.peerJoined(peerName);
      this.notice = strings.nowTalkingWith({ name: peerName });
    });
    this.connection.on('supervision:changed', ({ present }) => {
      if (this.chatState === 'chatting') this.notice = present ? strings.supervisorJoined : strings.supervisorLeft;
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
      onTheme: (scheme, properties) => applyTheme(this, scheme, properties),
    });
    this.bridge.connect();
    this.addEventListener('keydown', this.handleKeydown);
    document.addEventListener('visibilitychange', this.handleDocumentVisibility);
    window.addEventListener('pagehide', this.handlePagehide);
    if (!this.hospital) this.ready = this.fetchHospital(embedding.hash);
    if (!this.exited && this.chatState === 'idle') {
      const saved = this.store.load();
      if (saved) this.restore(saved);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.bridge?.disconnect();
    this.removeEventListener('keydown', this.handleKeydown);
    document.removeEventListener('visibilitychange', this.handleDocumentVisibility);
    window.removeEventListener('pagehide', this.handlePagehide);
    this.cipher?.drop();
    this.armedDeadline = undefined;
  }

  protected override updated(changed: PropertyValues): void {
    if (this.exited) return;
    if (changed.has('messages')) scrollLogToEnd(this.renderRoot);
    if (changed.has('chatState')) {
      this.bridge?.post({ kindred: 1, type: 'state', state: this.chatState });
      if (changed.get('chatState') !== undefined) void this.focusCurrentControl(false);
    }
    this.armDeadline();
    this.persist();
  }

  /**
   * Starts a new chat: connects (the first time) and joins the queue with the survivor's
   * answer to the safety question, if they gave one. `again` keeps the conversation so far
   * (after a lost connection): what the last peer did not get goes to the next one. `notice`
   * is said while waiting.
   */
  async start({ again = false, notice = '' } = {}): Promise<void> {
    if (this.exited) return;
    if (!globalThis.crypto?.subtle) {
      // Never plaintext: without WebCrypto (http, an old browser) there is no chat.
      this.problem = strings.cannotEncrypt;
      return;
    }
    const attempt = ++this.attempt;
    void this.loadCipher();
    this.messages = again ? requeue(this.messages) : [];
    this.expectedSeq = 1;
    this.peerName = '';
    this.peerTyping = false;
    this.peerAway = false;
    this.requeued = false;
    this.queue = undefined;
    this.endedBecause = undefined;
    this.answered = false;
    this.problem = '';
    this.notice = notice;
    this.confirmingSave = false;
    this.chatState = 'connecting';
    this.connection.connect(this.auth);
    // If this connection resumes a session that still has a chat, `session:ready` takes it
    // back first, and the relay answers this with `already-started`, which is then moot.
    const { topic, language } = this.choice;
    const ack = await this.connection.request('chat:start', { ...(this.safety ? { safety: this.safety } : {}), ...(topic ? { topic } : {}), ...(language ? { language } : {}) });
    if (attempt !== this.attempt || this.chatState !== 'connecting') return;
    if (!ack.ok) {
      this.problem = strings.errors[ack.error.code];
      this.chatState = 'idle';
      return;
    }
    this.queue = ack.data;
    this.chatState = 'waiting';
  }

  /**
   * Leaves the queue or ends the chat, at once on screen; resolves once the relay has been
   * told (or could not be).
   */
  async leave(): Promise<void> {
    if (this.chatState === 'chatting') this.end('survivor-ended');
    else if (this.chatState === 'connecting' || this.chatState === 'waiting') this.end('left-queue');
    else return;
    await this.connection.request('chat:end', {});
  }

  /**
   * Quick exit: ends the chat (so the relay does not hold it for the grace period) and closes
   * the socket, erases everything held in memory and in this tab's storage, leaves a blank
   * frame, and has the page left — by the shell when embedded, else by navigating this window.
   * `tellShell` is false when the shell asked for it.
   */
  quickExit(tellShell = true): void {
    if (this.exited) return;
    const exitUrl = httpsHref(this.hospital?.exitUrl) ?? neutralExitUrl;
    this.exited = true;
    this.attempt++;
    // The relay ends the chat now rather than hold it for the grace period; the socket closes
    // once it has answered (see ConnectionController), and nothing reaches this frame meanwhile.
    if (this.chatState !== 'idle' && this.chatState !== 'ended') void this.connection.request('chat:end', {}, 2_000);
    this.connection.disconnect();
    this.cipher?.drop();
    this.store.wipe();
    this.resume = undefined;
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
    this.peerAway = false;
    this.requeued = false;
    this.resuming = false;
    this.chatState = 'idle';
    this.unread = 0;
    this.shiftExit.reset();
    if (this.bridge?.embedded) {
      this.bridge.post({ kindred: 1, type: tellShell ? 'exit' : 'exited' });
    } else {
      this.navigate(exitUrl);
    }
  }

  private readonly auth = (): Record<string, string> => (this.resume ? { resume: this.resume } : {});

  /** Takes back the chat this tab had, once the relay confirms it (see handleSessionReady). */
  private restore(saved: FrameSnapshot): void {
    this.resume = saved.resume;
    this.chatState = saved.state;
    this.peerName = saved.peerName;
    this.messages = saved.messages;
    this.expectedSeq = saved.expectedSeq;
    this.readMarks = saved.readMarks;
    this.safety = saved.safety;
    this.resuming = true;
    void this.loadCipher();
    this.connection.connect(this.auth);
  }

  /**
   * What came back from storage is shown only once the relay confirms the chat: without that,
   * this tab may not be the survivor's any more (quick exit from the host page cannot always
   * wipe it), so none of it is shown.
   */
  private forgetRestored(): void {
    this.resuming = false;
    this.messages = [];
    this.peerName = '';
  }

  /** Keeps the chat in this tab's storage while it goes on (and only then). */
  private persist(): void {
    if (this.resuming || !this.resume || (this.chatState !== 'waiting' && this.chatState !== 'chatting')) return;
    this.store.save({
      resume: this.resume,
      state: this.chatState,
      peerName: this.peerName,
      messages: this.messages,
      expectedSeq: this.expectedSeq,
      readMarks: this.readMarks,
      safety: this.safety,
    });
  }

  /**
   * The first render waits for the strings in the survivor's language and the hospital's
   * information (with its overrides of those strings), fetched side by side: the chat never
   * shows one language and then another, nor built-in text and then the hospital's.
   */
  protected override async scheduleUpdate(): Promise<void> {
    await this.ready;
    super.scheduleUpdate();
  }

  /**
   * Fetches `/hospital.json` and, meanwhile, the strings in the frame's language (`hash` is the
   * fragment the shell gave the frame, whose `lang` is the shell's choice).
   */
  private async fetchHospital(hash: string): Promise<void> {
    const loading = loadHospital(this.server);
    const language = await loadFrameStrings(frameLanguage(this, hash), loading.then((loaded) => loaded?.strings));
    // The frame owns its whole document: its language and direction are the chat's (WCAG 3.1.1).
    setLanguage(document.documentElement, language);
    const hospital = (await loading)?.hospital;
    if (!hospital || this.exited) return;
    this.hospital = hospital;
    void this.updateComplete.then(() => this.keepFocusInView());
    const url = httpsHref(hospital.exitUrl);
    if (url) this.bridge?.post({ kindred: 1, type: 'exit-url', url });
    // The chat's own language, preselected for matching where the hospital offers a choice of them.
    if (hospital.languages.length > 1) this.choice = { language: preselectLanguage(hospital.languages, [new URLSearchParams(hash.slice(1)).get('lang'), language]) };
  }

  private end(because: EndedBecause): void {
    this.attempt++;
    this.endedBecause = because;
    this.setPeerTyping(false);
    this.peerAway = false;
    this.requeued = false;
    this.resuming = false;
    this.cipher?.drop();
    // Nothing silently dropped: what never arrived says so.
    this.messages = abandon(this.messages);
    this.chatState = 'ended';
    this.store.wipe();
  }

  private peerJoined(peerName: string, present = true): void {
    this.peerName = peerName;
    this.requeued = false;
    this.peerAway = !present;
    // A new peer numbers their messages from 1, and has read nothing yet.
    this.expectedSeq = 1;
    this.readSent = 0;
    this.chatState = 'chatting';
    this.notice = '';
    // What the survivor wrote while waiting, in the order they wrote it: sealed once keys are agreed.
    void this.offerKeys();
    this.flush();
  }

  /**
   * Fresh keys for this connection and this peer: the old ones are dropped at once, so nothing
   * more is sealed under them; what is unconfirmed goes again once the peer answers.
   */
  private async offerKeys(): Promise<void> {
    // At once, before anything else is sealed: nothing more goes under the old keys.
    this.cipher?.drop();
    const keys = await (await this.loadCipher()).offer();
    if (this.chatState === 'chatting' && !this.exited) void this.connection.request('key:offer', { keys });
  }

  private async loadCipher(): Promise<ChatCipher> {
    const { ChatCipher } = await loadE2E();
    return (this.cipher ??= new ChatCipher('survivor'));
  }

  private async handleKeyAnswered(keys: unknown, offer: unknown): Promise<void> {
    if (this.chatState !== 'chatting') return;
    // Checked inside: anything malformed derives nothing.
    if (!(await this.cipher?.answered(keys as never, offer as never))) return;
    this.requestUpdate();
    this.flush();
  }

  /** The chat as the relay holds it, on a connection that resumed our session. */
  private applyChat(view: SurvivorChatView): void {
    if (view.state === 'waiting') {
      // Waiting where we thought we were chatting: the peer did not come back while we were away.
      if (this.chatState === 'chatting') this.handleRequeued(view.queue);
      else {
        this.queue = view.queue;
        this.chatState = 'waiting';
      }
      return;
    }
    if (this.chatState !== 'chatting' || view.peerName !== this.peerName) {
      // A peer accepted while we were away (or a different one than we knew).
      if (this.chatState === 'chatting') this.messages = requeue(this.messages);
      this.peerJoined(view.peerName, view.peerPresent);
    } else {
      // Ours is back: what the peer has not confirmed goes again (with no deadline while
      // they are away themselves).
      this.peerAway = !view.peerPresent;
      // A new connection: new keys.
      void this.offerKeys();
      this.flush();
    }
    // Said again on every connection: a supervisor may have joined while this one was away.
    if (view.supervised) this.notice = strings.supervisorJoined;
    this.sendReadMark(true);
  }

  private sendMessage(text: string): void {
    if (this.chatState !== 'connecting' && this.chatState !== 'waiting' && this.chatState !== 'chatting') return;
    const id = newMessageId();
    const seq = nextSeq(this.messages);
    // Before a peer joins it is kept `queued` and goes when one does (see peerJoined); without
    // a connection it waits as `sending` and goes when the session has resumed.
    const chatting = this.chatState === 'chatting';
    const live = chatting && this.connection.connected;
    const deadline = live && !this.peerAway ? Date.now() + this.deliveryTimeout : undefined;
    this.messages = addOwn(this.messages, { id, sender: strings.you, text, seq, status: chatting ? 'sending' : 'queued', deadline });
    if (live) void this.emit(id, seq, text);
  }

  /**
   * Sends every undelivered message again, in order. Without a connection they wait as
   * "sending" for the session to resume, which flushes again.
   */
  private flush(): void {
    if (this.chatState !== 'chatting') return;
    const live = this.connection.connected;
    const { messages, resend } = resendAll(this.messages, live && !this.peerAway ? Date.now() + this.deliveryTimeout : undefined);
    this.messages = messages;
    // Emitted synchronously, one after another, so they leave on the one socket in this order.
    if (live) for (const message of resend) void this.emit(message.id, message.seq!, message.text);
  }

  private async emit(id: string, seq: number, text: string): Promise<void> {
    // Sealed in call order, so messages leave in the order written; without keys yet it
    // waits (as "sending") for the peer's answer, which flushes again.
    const box = await this.cipher?.seal('m', seq, text);
    if (!box || this.exited) return;
    const ack = await this.connection.request('message:send', { id, seq, box });
    if (this.exited) return;
    // A timeout or a lost connection ('internal') is left to the deadline and the resend.
    if (ack.ok) this.messages = markSent(this.messages, id);
    else if (ack.error.code !== 'internal') this.messages = markRefused(this.messages, id);
  }

  /** Keeps one timer set for the earliest delivery deadline. */
  private armDeadline(): void {
    const due = nextDeadline(this.messages);
    if (due === this.armedDeadline) return;
    this.armedDeadline = due;
    if (due === undefined) {
      this.timers.clear('deadline');
      return;
    }
    this.timers.set('deadline', due - Date.now(), () => {
      this.armedDeadline = undefined;
      this.messages = expire(this.messages, Date.now());
      this.armDeadline();
    });
  }

  private setPeerTyping(typing: boolean): void {
    this.peerTyping = typing;
    if (typing) this.timers.set('typing', typingExpiryMs, () => (this.peerTyping = false));
    else this.timers.clear('typing');
  }

  /** True while the survivor can see the conversation: panel open and page in view. */
  private get inView(): boolean {
    return document.visibilityState === 'visible' && (this.bridge?.open ?? true);
  }

  /**
   * Tells the peer which of their messages have been seen, unless the survivor turned read
   * marks off. A signal: a lost one is made good by the next. `again` repeats the last one,
   * for a peer whose connection was away when it was sent.
   */
  private sendReadMark(again = false): void {
    const seq = this.expectedSeq - 1;
    if (this.chatState !== 'chatting' || !this.readMarks || seq < 1 || !this.inView) return;
    if (seq <= this.readSent && !again) return;
    this.readSent = seq;
    this.connection.signal('message:read', { seq });
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

  private handleSessionReady(session: SurvivorSession): void {
    if (this.exited) return;
    this.resume = typeof session.resume === 'string' ? session.resume : undefined;
    const restored = this.resuming;
    this.resuming = false;
    if (this.chatState === 'idle' || this.chatState === 'ended') return;
    if (session.resumed && session.chat) {
      this.applyChat(session.chat);
      return;
    }
    if (session.resumed && session.ended) {
      this.end(session.ended);
      return;
    }
    // The relay no longer has this chat: it restarted, or the grace period ran out.
    if (restored) {
      this.forgetRestored();
      this.end('connection-lost');
    } else if (this.chatState === 'chatting') {
      this.end('connection-lost');
    } else if (this.chatState === 'waiting') {
      // Nobody was talking with them yet: take a place in the queue again, and say so.
      void this.start({ again: true, notice: strings.rejoined });
    }
    // 'connecting': this connection's `chat:start` is on its way.
  }

  private handlePresence(present: boolean): void {
    if (this.chatState !== 'chatting') return;
    this.peerAway = !present;
    if (!present) {
      this.setPeerTyping(false);
      this.messages = pause(this.messages);
      return;
    }
    // The peer is back on a new connection: new keys, then what they missed goes again
    // (see handleKeyAnswered), and so does our last read mark.
    void this.offerKeys();
    this.flush();
    this.sendReadMark(true);
  }

  private handleRequeued(queue: QueueStatus): void {
    if (this.chatState !== 'chatting' && this.chatState !== 'waiting') return;
    // The conversation stays; what the peer did not get goes to the next one, under keys the
    // last peer never has.
    this.cipher?.drop();
    this.messages = requeue(this.messages);
    this.queue = queue;
    this.requeued = true;
    this.peerAway = false;
    this.setPeerTyping(false);
    this.chatState = 'waiting';
  }

  private queueArrival(kind: Kind, item: RelayedMessage, ack: (shown: true) => void, add: (text: string) => TranscriptMessage[] | undefined): void {
    this.inbox = this.inbox.then(() => this.receive(kind, item, ack, add)).catch(() => undefined);
  }

  /**
   * One step of the peer's sequence (a message or a resources card): opened, shown once, in
   * order, then acknowledged. `add` returns the transcript with its text, or undefined when
   * it is malformed. What cannot be verified is neither shown nor acknowledged.
   */
  private async receive(kind: Kind, item: RelayedMessage, ack: (shown: true) => void, add: (text: string) => TranscriptMessage[] | undefined): Promise<void> {
    if (this.chatState !== 'chatting' || typeof ack !== 'function' || typeof item?.id !== 'string') return;
    const what = arrival(this.expectedSeq, item.seq);
    if (what === 'repeat') {
      // The peer missed our confirmation, so maybe our read mark too: both go again.
      ack(true);
      this.sendReadMark(true);
    }
    if (what !== 'show') return;
    const text = await this.cipher?.open(kind, item.seq, item.box);
    if (text === false) this.notice = strings.notVerified;
    if (typeof text !== 'string' || this.chatState !== 'chatting' || item.seq !== this.expectedSeq) return;
    const messages = add(text);
    if (!messages) return;
    this.expectedSeq++;
    this.messages = messages;
    this.setPeerTyping(false);
    // Delivered means shown: acknowledge only once the bubble is in the DOM.
    await this.updateComplete;
    ack(true);
    this.countUnread();
    this.sendReadMark();
  }

  private async handleVisibility(open: boolean): Promise<void> {
    // The message also says whether the chat is inline, which the header shows.
    this.requestUpdate();
    if (!open || this.exited) return;
    this.unread = 0;
    this.bridge?.post({ kindred: 1, type: 'unread', count: 0 });
    this.sendReadMark();
    await this.focusCurrentControl(true);
    this.keepFocusInView();
  }

  /**
   * Brings the focused control back into view at the next frame drawn (WCAG 2.4.11, focus not
   * obscured): a window just shown may get its size after focus() has scrolled, and the
   * hospital's text may arrive above the control and push it down (scroll anchoring does not
   * hold a scroller still at its top).
   */
  private keepFocusInView(): void {
    requestAnimationFrame(() => {
      const active = this.shadowRoot?.activeElement;
      if (active instanceof HTMLElement) active.scrollIntoView({ block: 'nearest' });
    });
  }

  private readonly handleDocumentVisibility = (): void => {
    this.sendReadMark();
  };

  /** Leaving the page (perhaps into the back-forward cache): the keys go; a return re-keys. */
  private readonly handlePagehide = (): void => {
    this.cipher?.drop();
  };

  private handleConnectionStatus(status: ConnectionStatus): void {
    if (this.exited) return;
    if (status === 'refused') {
      this.problem = strings.errors[this.connection.refusal ?? 'internal'];
      this.store.wipe();
      if (this.resuming) {
        this.forgetRestored();
        this.chatState = 'idle';
      } else if (this.chatState === 'connecting' || this.chatState === 'waiting') this.chatState = 'idle';
      else if (this.chatState === 'chatting') this.end('survivor-left');
      return;
    }
    if (status === 'idle' && this.resuming) {
      this.forgetRestored();
      this.end('connection-lost');
    } else if (status === 'idle' && (this.chatState === 'waiting' || this.chatState === 'chatting')) {
      // The relay closed the connection on purpose (another tab took this chat over, say).
      this.end(this.chatState === 'chatting' ? 'survivor-left' : 'left-queue');
    }
    // A reconnection needs nothing here: the relay's `session:ready` says what it still has.
  }

  private readonly handleKeydown = (event: KeyboardEvent): void => {
    // Escape inside the frame never reaches the shell's document, so the frame passes it on.
    // Inline in the page, there is no launcher to return to: Escape is the page's.
    if (event.key !== 'Escape' || !this.bridge?.embedded || this.bridge.inline || this.exited) return;
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

  private readonly handleChoiceChange = (change: TopicChoice): void => {
    this.choice = { ...this.choice, ...change };
  };

  private readonly handleSafetyChange = (event: Event): void => {
    const value = (event.target as HTMLInputElement).value as SafetyAnswer;
    if (safetyOrder.includes(value)) this.safety = value;
  };

  private readonly handleStartClick = (): void => {
    // After a lost connection, the conversation so far stays and the place is taken again.
    void this.start({ again: this.canStartAgain });
  };

  private readonly handleLeaveClick = (): void => {
    void this.leave();
  };

  private readonly handleRetry = (): void => {
    this.flush();
    // The Retry button is gone with the failure; the message box is where the person goes on.
    this.renderRoot.querySelector('textarea')?.focus();
  };

  private readonly handleReadMarksChange = (event: Event): void => {
    this.readMarks = (event.target as HTMLInputElement).checked;
    this.sendReadMark(true);
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
    downloadText(transcriptText(this.messages, strings.transcriptHeading({ name: this.peerName })), strings.transcriptFileName);
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

  /** The chat ended for want of a connection, not by anyone's choice: one button takes them back. */
  private get canStartAgain(): boolean {
    return this.chatState === 'ended' && (this.endedBecause === 'connection-lost' || this.endedBecause === 'relay-closing');
  }

  private statusText(): string {
    if (this.problem) return this.problem;
    const status = this.connection.status;
    const live = this.chatState !== 'idle' && this.chatState !== 'ended';
    if (live && (status === 'reconnecting' || this.resuming)) return strings.reconnecting;
    switch (this.chatState) {
      case 'connecting':
        return sentences(this.notice, strings.connecting);
      case 'waiting': {
        const lead = this.requeued ? strings.requeued : this.notice;
        const queue = this.queue;
        if (!queue || queue.position <= 0) return sentences(lead, strings.connecting);
        const position = this.requeued && queue.position === 1 ? strings.firstInLine : strings.queuePosition({ position: queue.position });
        // Nobody can answer: say so first, at once, in the same polite status.
        const line =
          queue.peersOnDuty === 0
            ? `${strings.noPeerOnDuty} ${position}`
            : typeof queue.estimateMinutes === 'number'
              ? `${position} ${strings.estimate({ minutes: Math.max(1, Math.round(queue.estimateMinutes)) })}`
              : position;
        // Honest, not hopeful: nobody on duty matches what they chose, so whoever is free answers.
        return sentences(lead, line, queue.noMatch && queue.peersOnDuty > 0 ? strings.noMatch : '');
      }
      case 'chatting':
        if (this.peerAway) return strings.peerAway({ name: this.peerName });
        return hasFailed(this.messages) ? strings.notDeliveredNotice : this.notice;
      case 'ended':
        return this.notice || (this.endedBecause === 'left-queue' ? strings.leftQueue : strings.ended[this.endedBecause ?? 'survivor-ended']);
      default:
        return this.notice;
    }
  }

  private renderEmergencyLine() {
    const emergency = this.hospital?.emergency;
    if (!emergency?.phone || !emergency.label) return strings.emergencyLocal;
    const href = telHref(emergency.phone);
    // One sentence whatever the language's word order: the number goes where the translation
    // puts {phone}, as a link. A phone number reads left to right in every language.
    const [before, after] = strings.emergencyCall({ label: emergency.label, phone: '\uE000' }).split('\uE000');
    return html`${before}${href ? html`<a href=${href} dir="ltr">${emergency.phone}</a>` : emergency.phone}${after}`;
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
    return html`<p>${strings.idleIntro} ${strings.idleWhatHappens}</p>
      ${confidentiality
        ? html`<h2>${strings.privacyHeading}</h2>
            <p class="confidentiality">${confidentiality}</p>`
        : nothing}
      <p class="tip">${strings.deviceSafety}</p>`;
  }

  /** The first screen, also shown again when a chat ends before any peer joined. */
  private renderStartScreen(startLabel: string) {
    // The emergency line right after the answer that brings it forward, next in reading and
    // tab order (WCAG 1.3.2), before the topic and language choices.
    return html`${this.renderIntro()} ${this.renderSafetyQuestion()} ${this.renderEmergencyBlock()}
      ${renderTopicChoice(this.hospital, this.choice, document.documentElement.lang || 'en', this.handleChoiceChange)}
      <div class="actions">
        <button type="button" @click=${this.handleStartClick}>${startLabel}</button>
      </div>`;
  }

  private renderHelp() {
    const hospital = this.hospital;
    const resources = hospital?.resources ?? [];
    const hours = hospital?.peerHours ? html`<p class="peer-hours">${strings.peerHours({ hours: hospital.peerHours })}</p>` : nothing;
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
    return html`<p>${strings.keepPlace}</p>
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
    const chatting = this.chatState === 'chatting';
    return html`${this.renderEmergencyBlock()}
      ${renderMessageList(this.messages, {
        typingName: this.peerTyping ? this.peerName : '',
        ...(chatting ? { onRetry: this.handleRetry } : {}),
      })}`;
  }

  /** What follows the composer in a conversation: End chat (or Start again), read marks, Save a copy. */
  private renderConversationActions() {
    const chatting = this.chatState === 'chatting';
    return html`${chatting
        ? html`<label class="read-marks" for="read-marks"
            ><input id="read-marks" type="checkbox" .checked=${this.readMarks} @change=${this.handleReadMarksChange} />
            ${strings.readMarks}</label
          >`
        : nothing}
      ${chatting ? this.renderVerify() : nothing}
      <div class="actions">
        ${chatting
          ? html`<button type="button" class="secondary" @click=${this.handleLeaveClick}>${strings.endChat}</button>`
          : html`<button type="button" @click=${this.handleStartClick}>${this.canStartAgain ? strings.startAgain : strings.startNewChat}</button>`}
        ${this.renderSaveCopy()}
      </div>
      ${chatting || this.canStartAgain ? nothing : this.renderFeedback()}`;
  }

  /**
   * The one optional question after a chat with a peer ended by either side (not when the
   * connection was lost: the relay only takes it on the connection the chat ended on). The live
   * region is there, empty, from the start, so the thanks that fills it is announced.
   */
  private renderFeedback() {
    return html`${this.answered
        ? nothing
        : html`<div class="actions" role="group" aria-labelledby="feedback">
            <p id="feedback">${strings.feedbackQuestion}</p>
            <button type="button" @click=${() => this.sendFeedback(true)}>${strings.feedbackYes}</button>
            <button type="button" class="secondary" @click=${() => this.sendFeedback(false)}>${strings.feedbackNo}</button>
          </div>`}
      <p aria-live="polite">${this.answered ? strings.feedbackThanks : ''}</p>`;
  }

  private sendFeedback(helped: boolean): void {
    this.answered = true;
    // Thanks at once, whatever the relay answers: the question is optional, and a lost answer
    // is not worth a second of the survivor's attention.
    void this.connection.request('feedback:send', { helped });
    // The button pressed is gone: a keyboard user goes on from "Start a new chat", not the page top.
    void this.focusCurrentControl(false);
  }

  /** On demand: the code both people can compare to know nobody in between swapped keys. */
  private renderVerify() {
    const code = this.cipher?.code;
    return html`<details class="verify">
      <summary>${strings.verifyHeading}</summary>
      <p>${code ? strings.verifyCode({ code }) : strings.verifyPending}</p>
    </details>`;
  }

  /**
   * The composer, always at this one place in the template: waiting and chatting render
   * around it rather than each holding its own, so the textarea — and a draft the survivor
   * typed while waiting, which lives only in it — survives the peer joining.
   */
  private renderComposer() {
    const writing = this.chatState === 'connecting' || this.chatState === 'waiting' || this.chatState === 'chatting';
    return writing && !this.resuming ? this.composer.render() : nothing;
  }

  private renderAfterComposer() {
    const conversation = this.chatState === 'chatting' || (this.chatState === 'ended' && this.peerName !== '');
    return conversation && !this.resuming ? this.renderConversationActions() : nothing;
  }

  private renderMain() {
    // Nothing from storage is shown before the relay confirms the chat is this tab's.
    if (this.resuming) return nothing;
    switch (this.chatState) {
      case 'idle':
        return this.renderStartScreen(strings.startChat);
      case 'connecting':
      case 'waiting':
        return this.renderWaiting();
      case 'chatting':
        return this.renderConversation();
      case 'ended':
        return this.peerName
          ? this.renderConversation()
          : this.renderStartScreen(this.canStartAgain ? strings.startAgain : strings.startNewChat);
    }
  }

  /**
   * The screen's one heading. It is one element whatever the state, and a polite live region,
   * so a screen-reader user hears it change: "Waiting for a peer", then "You are talking with
   * Robin" as a peer joins (WCAG 4.1.3), which nothing else would say — the status is for
   * the queue and problems. One element, so the words are never on the page twice.
   */
  private headingText(): string {
    if (this.resuming) return strings.resumingHeading;
    switch (this.chatState) {
      case 'idle':
        return strings.idleHeading;
      case 'connecting':
      case 'waiting':
        return strings.waitingHeading;
      case 'chatting':
        return strings.talkingWith({ name: this.peerName });
      case 'ended':
        return this.peerName ? strings.talkingWith({ name: this.peerName }) : strings.idleHeading;
    }
  }

  protected override render() {
    // After quick exit: a blank frame, nothing to read, nothing to focus.
    if (this.exited) return nothing;
    // Inline in the hospital's page, the shell's Quick exit stands right above the chat (and
    // works before it loads): one is enough. Nor is there a launcher to minimise it to.
    const inline = this.bridge?.inline;
    return html`
      <header>
        ${inline ? nothing : html`<button type="button" class="quick-exit" @click=${this.handleQuickExitClick}>${strings.quickExit}</button>`}
        <p class="brand">${this.hospital?.name ?? strings.idleHeading}</p>
        ${this.bridge?.embedded && !inline
          ? html`<button type="button" class="secondary" @click=${this.handleMinimiseClick}>${strings.minimise}</button>`
          : nothing}
      </header>
      <p class="visually-hidden" aria-live="polite">${this.shiftExit.announcement}</p>
      <main>
        <p class="status" role="status">${this.statusText()}</p>
        <h1 aria-live="polite">${this.headingText()}</h1>
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
