// SPDX-License-Identifier: Apache-2.0
/**
 * The supervisors' live board, in the console of a peer signed in as a supervisor
 * (`board:updated`): how many survivors wait and the longest wait, active chats, peers on duty
 * and on a break, and the chats whose peer asked for help, each with Join. A controller that
 * owns the last board and its clock, and a render function that draws into the console's own
 * shadow root (like components/console-offer).
 *
 * Join dispatches `kindred-board-join` (`{ detail: { chatId } }`) from the button. It bubbles
 * inside the console's shadow root and stops there (`composed: false`): it names a chat, and
 * what leaves a shadow root never does (STYLE.md, "Privacy in code"). The console handles it
 * with a listener on its render root, or on an element around the board.
 *
 * Accessibility, and why:
 * - The figures change every few seconds: they are not a live region, which would talk over
 *   everything. A new escalation is what a supervisor must hear: it is said once, politely,
 *   with who asked about whom (WCAG 4.1.3), and it counts in the tab's title badge while the
 *   tab is hidden, with the sound alert if the supervisor turned it on.
 * - Figures are a description list: each number is read with its name.
 * - Join names the chat to screen readers ("Join Robin, Survivor 12").
 * - Times are Intl's, in the console's language.
 */
import type { Board, Escalation } from '@kindred/protocol';
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { strings } from '../../internal/strings-console.js';
import { formatDuration } from '../console-shift/console-shift.js';

/** The `kindred-board-join` event's detail: the escalated chat the supervisor chose. */
export interface BoardJoinDetail {
  chatId: string;
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0);
const ms = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.min(value, 7 * 86_400_000) : 0);
const name = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value.slice(0, 40) : undefined);

/** The relay's board with its shape checked (bad escalations left out); undefined when it is not one. */
export function parseBoard(value: unknown): Board | undefined {
  const board = value as Partial<Board> | null;
  if (typeof board !== 'object' || board === null) return undefined;
  const escalations: Escalation[] = [];
  for (const each of Array.isArray(board.escalations) ? (board.escalations as Partial<Escalation>[]).slice(0, 200) : []) {
    const peerName = name(each?.peerName);
    const survivorName = name(each?.survivorName);
    if (typeof each?.chatId !== 'string' || !peerName || !survivorName) continue;
    escalations.push({ chatId: each.chatId, peerName, survivorName, waitedMs: ms(each.waitedMs) });
  }
  return {
    waiting: count(board.waiting),
    longestWaitMs: ms(board.longestWaitMs),
    activeChats: count(board.activeChats),
    peersOnDuty: count(board.peersOnDuty),
    peersOnBreak: count(board.peersOnBreak),
    escalations,
  };
}

/** The last board, when it came, and what to announce of it. */
export class BoardController implements ReactiveController {
  /** The last board the relay sent; undefined before the first. */
  board: Board | undefined;
  /** When it came (local time), for counting the waits up until the next. */
  receivedAt = 0;
  /** Said once, politely: the escalations that just appeared. */
  announcement = '';
  /** The escalations already seen, by chat. */
  #known = new Set<string>();
  /** The escalations when the tab was hidden: the title badge counts those that came after. */
  #knownWhenHidden: Set<string> | undefined;
  #clock: ReturnType<typeof setInterval> | undefined;
  readonly #host: ReactiveControllerHost;
  readonly #arrived: (count: number) => void;

  /** `arrived` is called with how many escalations are new in a board (for the sound alert). */
  constructor(host: ReactiveControllerHost, arrived: (count: number) => void) {
    this.#host = host;
    this.#arrived = arrived;
    host.addController(this);
  }

  /** A board from the relay (`board:updated`). */
  update(value: unknown): void {
    const board = parseBoard(value);
    if (!board) return;
    const fresh = board.escalations.filter((each) => !this.#known.has(each.chatId));
    this.#known = new Set(board.escalations.map((each) => each.chatId));
    this.board = board;
    this.receivedAt = Date.now();
    if (fresh.length > 0) {
      this.announcement = fresh.map((each) => `${strings.escalation({ peer: each.peerName, survivor: each.survivorName })}.`).join(' ');
      this.#arrived(fresh.length);
    }
    this.#runClock();
    this.#host.requestUpdate();
  }

  /** Escalations that arrived while the tab was hidden (for the title badge). */
  get newWhileHidden(): number {
    const before = this.#knownWhenHidden;
    return before && this.board ? this.board.escalations.filter((each) => !before.has(each.chatId)).length : 0;
  }

  /** Signed out: nothing of the board stays. */
  clear(): void {
    this.board = undefined;
    this.announcement = '';
    this.#known.clear();
    this.#knownWhenHidden = undefined;
    this.#runClock();
    this.#host.requestUpdate();
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.#handleVisibility);
    this.#runClock();
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.#handleVisibility);
    clearInterval(this.#clock);
    this.#clock = undefined;
  }

  readonly #handleVisibility = (): void => {
    this.#knownWhenHidden = document.visibilityState === 'hidden' ? new Set(this.#known) : undefined;
    this.#host.requestUpdate();
  };

  /** While anyone waits or asks for help, the waits count up each second between boards. */
  #runClock(): void {
    const board = this.board;
    const ticking = board !== undefined && (board.waiting > 0 || board.escalations.length > 0);
    if (ticking && this.#clock === undefined) this.#clock = setInterval(() => this.#host.requestUpdate(), 1_000);
    if (!ticking && this.#clock !== undefined) {
      clearInterval(this.#clock);
      this.#clock = undefined;
    }
  }
}

/** Asks the console to join `chatId` (see the module's comment). */
function join(event: Event, chatId: string): void {
  const detail: BoardJoinDetail = { chatId };
  (event.currentTarget as HTMLElement).dispatchEvent(new CustomEvent<BoardJoinDetail>('kindred-board-join', { detail, bubbles: true, composed: false }));
}

/** The board (nothing before the first one comes) and its live region, which stays in the page. */
export function renderBoard(controller: BoardController, { language }: { language: string }) {
  const board = controller.board;
  const since = Math.max(0, Date.now() - controller.receivedAt);
  const figure = (label: string, value: string | number) => html`<div>
    <dt>${label}</dt>
    <dd>${value}</dd>
  </div>`;
  const ago = new Intl.RelativeTimeFormat(language, { numeric: 'auto', style: 'short' });
  const asked = (waited: number) => {
    const seconds = Math.floor(waited / 1000);
    return seconds < 60 ? ago.format(-seconds, 'second') : ago.format(-Math.floor(seconds / 60), 'minute');
  };
  return html`<p class="visually-hidden" aria-live="polite">${controller.announcement}</p>
    ${board
      ? html`<section class="board" aria-labelledby="board-heading">
          <h2 id="board-heading">${strings.boardHeading}</h2>
          <dl class="board-figures">
            ${figure(strings.boardWaiting, board.waiting)}
            ${figure(strings.boardLongestWait, formatDuration(board.waiting > 0 ? board.longestWaitMs + since : 0, language, { seconds: true }))}
            ${figure(strings.boardActiveChats, board.activeChats)} ${figure(strings.boardOnDuty, board.peersOnDuty)}
            ${figure(strings.boardOnBreak, board.peersOnBreak)}
          </dl>
          <h3 id="escalations-heading">${strings.escalationsHeading({ count: board.escalations.length })}</h3>
          ${board.escalations.length === 0
            ? html`<p class="muted">${strings.noEscalations}</p>`
            : html`<ul aria-labelledby="escalations-heading">
                ${board.escalations.map(
                  (each) => html`<li class="escalation">
                    <span
                      >${strings.escalation({ peer: each.peerName, survivor: each.survivorName })}
                      <span class="asked">${asked(each.waitedMs + since)}</span></span
                    >
                    <button type="button" @click=${(event: Event) => join(event, each.chatId)}>
                      ${strings.joinShort}<span class="visually-hidden"> ${each.peerName}, ${each.survivorName}</span>
                    </button>
                  </li>`,
                )}
              </ul>`}
        </section>`
      : nothing}`;
}

declare global {
  interface HTMLElementEventMap {
    'kindred-board-join': CustomEvent<BoardJoinDetail>;
  }
}
