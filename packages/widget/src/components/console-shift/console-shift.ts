// SPDX-License-Identifier: Apache-2.0
/**
 * The peer's shift, in the console: the duty state (on duty, on a break, off duty), how long the
 * shift has lasted, a reminder to take a break, and a private debrief after each chat. A
 * controller that owns the state and its clocks, and render functions that draw into the
 * console's own shadow root (like components/console-offer), so their controls are found,
 * focused and tested like the console's others.
 *
 * Why it looks after the peer: volunteers with lived experience of trauma carry what they hear.
 * The hospital chooses (`wellbeing`, sent with `session:ready`) how long a peer may stay on duty
 * before the console suggests a break, and whether to offer a debrief after each chat.
 *
 * Accessibility, and why:
 * - Nothing here ever moves focus on its own (WCAG 3.2.2): the reminder and the debrief appear
 *   where the peer can reach them and are announced politely, while the peer may be writing to
 *   someone. Focus moves only when the peer presses Dismiss or Done, whose buttons go with
 *   what they close (WCAG 2.4.3: never dropped to the top of the page).
 * - The reminder is a notice, never a dialog: a peer mid-conversation finishes their sentence.
 * - The duty state is a polite live region: "You are on a break." is heard after pressing the
 *   button whose name has just changed under the peer's finger.
 *
 * Privacy: the debrief's text lives in its text box only. It has no binding to any state, is
 * never sent, never stored (not in this tab's storage either), and Done empties the box.
 */
import type { Wellbeing } from '@kindred/protocol';
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { strings } from '../../internal/strings-console.js';

/** Where the peer stands: taking survivors, resting (their open chats stay), or not working. */
export type Duty = 'on' | 'break' | 'off';

/** A relay that sends no `wellbeing` (an older one) gets neither reminder nor debrief. */
const noWellbeing: Wellbeing = Object.freeze({ breakReminderMinutes: null, debrief: false });

/** The relay's `wellbeing` with its shape checked; nothing turned on when it is not one. */
export function parseWellbeing(value: unknown): Wellbeing {
  const wellbeing = value as Partial<Wellbeing> | null;
  if (typeof wellbeing !== 'object' || wellbeing === null) return noWellbeing;
  const minutes = wellbeing.breakReminderMinutes;
  return {
    breakReminderMinutes: typeof minutes === 'number' && minutes > 0 && minutes <= 24 * 60 ? minutes : null,
    debrief: wellbeing.debrief === true,
  };
}

/** The duty state of the relay's `{ onDuty, onBreak }` (a break is only ever off duty). */
export function dutyOf(onDuty: unknown, onBreak: unknown): Duty {
  if (onDuty === true) return 'on';
  return onBreak === true ? 'break' : 'off';
}

/**
 * A length of time as people say it, in `language`: "1 hr 5 min", "12 min" ("45 sec" with
 * `seconds`, under a minute). Intl's units, so every language words and orders it its own way.
 */
export function formatDuration(ms: number, language: string, { seconds = false } = {}): string {
  const unit = (value: number, name: string) => new Intl.NumberFormat(language, { style: 'unit', unit: name, unitDisplay: 'short' }).format(value);
  const totalSeconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds && totalSeconds < 60) return unit(totalSeconds, 'second');
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return unit(minutes, 'minute');
  return new Intl.ListFormat(language, { type: 'unit', style: 'narrow' }).format([unit(Math.floor(minutes / 60), 'hour'), unit(minutes % 60, 'minute')]);
}

/** How often the shift's time counts up on screen: it is shown in whole minutes. */
const shiftTickMs = 15_000;

/** The peer's duty state, the shift's start, and whether the reminder or the debrief is showing. */
export class ShiftController implements ReactiveController {
  duty: Duty = 'off';
  /** When this sign-in's shift began: the first time on duty. Undefined before, and after sign-out. */
  startedAt: number | undefined;
  wellbeing: Wellbeing = noWellbeing;
  /** The break reminder is showing. */
  reminding = false;
  /** How long the peer had gone without a break when the reminder came (as the hospital counts minutes). */
  reminderMs = 0;
  /** The debrief is showing. */
  debriefing = false;
  /**
   * How long one minute of the break reminder lasts. Settable for tests, which cannot wait the
   * hospital's hour and a half.
   * @internal
   */
  minuteMs = 60_000;
  /** Since when the peer has been on duty without a break. */
  #restedAt = 0;
  /** Since when the reminder counts: the last break, or the last Dismiss. */
  #unbrokenSince = 0;
  #reminder: ReturnType<typeof setTimeout> | undefined;
  #clock: ReturnType<typeof setInterval> | undefined;
  readonly #host: ReactiveControllerHost;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  /** The session the relay confirmed (`session:ready`): its settings and duty state. */
  begin(session: { onDuty: unknown; onBreak?: unknown; wellbeing?: unknown }): void {
    this.wellbeing = parseWellbeing(session.wellbeing);
    if (!this.wellbeing.debrief) this.debriefing = false;
    this.set(session.onDuty, session.onBreak);
    this.#armReminder();
  }

  /** The duty state the relay confirmed (`duty:set`'s answer, or a session taken back). */
  set(onDuty: unknown, onBreak: unknown): void {
    const duty = dutyOf(onDuty, onBreak);
    const changed = duty !== this.duty;
    this.duty = duty;
    if (duty === 'on') this.startedAt ??= Date.now();
    // A break, or the end of duty, is the rest the reminder asks for: it counts again from here.
    if (changed || duty !== 'on') {
      this.reminding = false;
      this.#restedAt = this.#unbrokenSince = Date.now();
      this.#armReminder();
    }
    this.#runClock();
    this.#host.requestUpdate();
  }

  /** Puts the reminder away; it comes back after the same time again, if there is still no break. */
  dismissReminder(): void {
    this.reminding = false;
    this.#unbrokenSince = Date.now();
    this.#armReminder();
    this.#host.requestUpdate();
  }

  /** A chat ended: the debrief opens, if the hospital offers one (one at a time; an open one stays as it is). */
  chatEnded(): void {
    if (!this.wellbeing.debrief || this.debriefing) return;
    this.debriefing = true;
    this.#host.requestUpdate();
  }

  /** Done: the debrief closes, and its text goes with it. */
  closeDebrief(): void {
    this.debriefing = false;
    this.#host.requestUpdate();
  }

  /** Signed out: the next sign-in is a new shift. */
  reset(): void {
    this.duty = 'off';
    this.startedAt = undefined;
    this.wellbeing = noWellbeing;
    this.reminding = false;
    this.debriefing = false;
    this.#armReminder();
    this.#runClock();
    this.#host.requestUpdate();
  }

  hostConnected(): void {
    this.#armReminder();
    this.#runClock();
  }

  hostDisconnected(): void {
    clearTimeout(this.#reminder);
    this.#reminder = undefined;
    clearInterval(this.#clock);
    this.#clock = undefined;
  }

  /** One timer, for the moment the reminder is due (none off duty, on a break, or without a reminder). */
  #armReminder(): void {
    clearTimeout(this.#reminder);
    this.#reminder = undefined;
    const minutes = this.wellbeing.breakReminderMinutes;
    if (this.duty !== 'on' || minutes === null || this.reminding) return;
    const due = this.#unbrokenSince + minutes * this.minuteMs;
    this.#reminder = setTimeout(
      () => {
        this.#reminder = undefined;
        if (this.duty !== 'on') return;
        this.reminding = true;
        this.reminderMs = ((Date.now() - this.#restedAt) / this.minuteMs) * 60_000;
        this.#host.requestUpdate();
      },
      Math.max(0, due - Date.now()),
    );
  }

  /** The shift's time counts up on screen while it is shown. */
  #runClock(): void {
    const shown = this.startedAt !== undefined && this.duty !== 'off';
    if (shown && this.#clock === undefined) this.#clock = setInterval(() => this.#host.requestUpdate(), shiftTickMs);
    if (!shown && this.#clock !== undefined) {
      clearInterval(this.#clock);
      this.#clock = undefined;
    }
  }
}

/** What the duty controls need from the console. */
export interface DutyView {
  language: string;
  /** The peer asked for a duty state; the console asks the relay (`duty:set`) and calls `ShiftController.set` with its answer. */
  onChange: (onDuty: boolean, onBreak: boolean) => void;
}

/**
 * The duty state, the shift's time, and the buttons between states: Go on duty (off duty);
 * Go off duty and Take a break (on duty); Go off duty and End break (on a break). The first
 * button is always the one between on and off duty, so it keeps focus when pressed.
 */
export function renderDuty(shift: ShiftController, view: DutyView) {
  const { duty, startedAt } = shift;
  const state = duty === 'on' ? strings.onDuty : duty === 'break' ? strings.onBreak : strings.offDuty;
  return html`<p class="duty-state" aria-live="polite">${state}</p>
    ${startedAt !== undefined && duty !== 'off'
      ? html`<p class="shift-time">${strings.shiftTime({ duration: formatDuration(Date.now() - startedAt, view.language) })}</p>`
      : nothing}
    <button type="button" class=${duty === 'off' ? '' : 'secondary'} @click=${() => view.onChange(duty === 'off', false)}>
      ${duty === 'off' ? strings.goOnDuty : strings.goOffDuty}
    </button>
    ${duty === 'off'
      ? nothing
      : html`<button type="button" id="break-button" class="secondary" @click=${() => view.onChange(duty === 'break', duty === 'on')}>
          ${duty === 'on' ? strings.takeBreak : strings.endBreak}
        </button>`}`;
}

/** What the reminder and the debrief need from the console. */
export interface ShiftNoticeView {
  language: string;
  /** Called after the reminder or the debrief is put away: where focus goes on from the button that went. */
  onClosed: (what: 'reminder' | 'debrief') => unknown;
}

/**
 * The break reminder: a polite live region that stays in the page (so what appears in it is
 * announced), holding the reminder and its Dismiss button while it shows.
 */
export function renderBreakReminder(shift: ShiftController, view: ShiftNoticeView) {
  // No whitespace around the content: the notice's box hides by :empty while there is none.
  return html`<div class="break-reminder" aria-live="polite">${shift.reminding
      ? html`<p>${strings.breakReminder({ duration: formatDuration(shift.reminderMs, view.language) })}</p>
          <button
            type="button"
            class="secondary"
            @click=${() => {
              shift.dismissReminder();
              view.onClosed('reminder');
            }}
          >
            ${strings.dismiss}
          </button>`
      : nothing}</div>`;
}

/**
 * The private debrief after a chat: a question, a few prompts, and a text box for the peer alone.
 * Its heading is also said once, politely, when it opens (the region stays in the page).
 */
export function renderDebrief(shift: ShiftController, view: ShiftNoticeView) {
  const done = (event: Event) => {
    const notes = (event.currentTarget as HTMLElement).closest('section')?.querySelector('textarea');
    // Emptied before it goes, so no part of the page (nor a later debrief) holds the words.
    if (notes) notes.value = '';
    shift.closeDebrief();
    view.onClosed('debrief');
  };
  return html`<p class="visually-hidden" aria-live="polite">${shift.debriefing ? strings.debriefHeading : ''}</p>
    ${shift.debriefing
      ? html`<section class="debrief" aria-labelledby="debrief-heading">
          <h2 id="debrief-heading">${strings.debriefHeading}</h2>
          <p class="muted">${strings.debriefIntro}</p>
          <ul>
            <li>${strings.debriefStayed}</li>
            <li>${strings.debriefWentWell}</li>
            <li>${strings.debriefNeed}</li>
          </ul>
          <label for="debrief-notes">${strings.debriefNotes}</label>
          <!-- No name, no binding: the words stay in this box. Spell checking off, because a
               browser's enhanced spell check sends what is typed to a service to check it. -->
          <textarea id="debrief-notes" rows="3" autocomplete="off" spellcheck="false"></textarea>
          <div class="actions">
            <button type="button" @click=${done}>${strings.debriefDone}</button>
          </div>
        </section>`
      : nothing}`;
}
