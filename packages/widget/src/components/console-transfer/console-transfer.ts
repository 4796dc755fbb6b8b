// SPDX-License-Identifier: Apache-2.0
/**
 * Handing a chat to a colleague, in the console: a modal dialog with the colleagues on duty
 * (`colleagues:list`), a hand-off note only they will read, and Transfer chat / Cancel. A
 * controller that owns the dialog's state, and a render function that draws it in the
 * console's own shadow root (like the offer), so its controls are found and tested like the
 * console's others.
 *
 * Accessibility, and why:
 * - A native `<dialog>` opened with `showModal()`: the rest of the console is inert while it is
 *   open, Escape closes it, and the browser puts focus back on the Transfer button when it
 *   closes (WCAG 2.4.3). It opens on its heading, so a screen reader says what it is for first.
 * - Colleagues are radio buttons in a fieldset. One who is full is listed, disabled, with
 *   "full": the peer sees why a name they expected cannot be chosen.
 * - The note's character count is tied to the box (`aria-describedby`), read when the box is
 *   reached rather than on every key.
 * - A refusal (the colleague filled up meanwhile) is said at once (`role="alert"`) and the list
 *   is fetched again.
 *
 * The note goes once, to the colleague, through the relay, which keeps no copy; the console
 * forgets it as soon as the dialog closes.
 */
import { limits, type Ack, type Colleague } from '@kindred/protocol';
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { strings } from '../../internal/strings-console.js';

/** What the dialog needs from the console. */
export interface TransferOptions {
  /** Asks the relay who could take a transfer. */
  list: () => Promise<Ack<{ colleagues: Colleague[] }>>;
  /** Hands `chatId` to the colleague `to`, with `note` (empty: none). */
  transfer: (chatId: string, to: string, note: string) => Promise<Ack>;
  /** The chat is the colleague's now: it leaves this console. */
  transferred: (chatId: string, colleague: string) => void;
}

/** The colleagues in an answer, with their shape checked; at most the relay's limit of peers in a list. */
export function parseColleagues(value: unknown): Colleague[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter(
      (each): each is Colleague =>
        typeof each === 'object' &&
        each !== null &&
        typeof each.handle === 'string' &&
        /^[A-Za-z0-9_-]{22}$/.test(each.handle) &&
        typeof each.name === 'string' &&
        typeof each.free === 'number',
    )
    .slice(0, 200)
    .map(({ handle, name, free }) => ({ handle, name: name.slice(0, limits.displayName), free: Math.max(0, Math.floor(free)) }));
}

/** The transfer dialog: which chat, who could take it, what the peer chose and wrote. */
export class TransferController implements ReactiveController {
  /** The chat being handed over, while the dialog is open. */
  chatId: string | undefined;
  survivorName = '';
  /** Undefined while the list is on its way. */
  colleagues: Colleague[] | undefined;
  /** The handle chosen. */
  chosen: string | undefined;
  note = '';
  /** Said in the dialog (a refusal, nothing chosen). */
  error = '';
  busy = false;
  readonly #host: ReactiveControllerHost & { renderRoot: ParentNode; updateComplete: Promise<boolean> };
  readonly #options: TransferOptions;

  constructor(host: ReactiveControllerHost & { renderRoot: ParentNode; updateComplete: Promise<boolean> }, options: TransferOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.#reset();
  }

  get #dialog(): HTMLDialogElement | null {
    return this.#host.renderRoot.querySelector<HTMLDialogElement>('dialog.transfer');
  }

  /** Opens the dialog for one chat, and asks who could take it. */
  async open(chatId: string, survivorName: string): Promise<void> {
    this.#reset();
    this.chatId = chatId;
    this.survivorName = survivorName;
    this.#host.requestUpdate();
    await this.#host.updateComplete;
    const dialog = this.#dialog;
    if (dialog && !dialog.open) dialog.showModal();
    await this.#load();
  }

  /** Closes the dialog; nothing is sent. */
  close(): void {
    const dialog = this.#dialog;
    if (dialog?.open) dialog.close();
    this.#reset();
  }

  async #load(): Promise<void> {
    const chatId = this.chatId;
    const ack = await this.#options.list();
    if (this.chatId !== chatId) return;
    this.colleagues = ack.ok ? parseColleagues(ack.data.colleagues) : [];
    if (!ack.ok) this.error = strings.errors[ack.error.code];
    // Whom the peer chose may have gone, or filled up.
    if (!this.colleagues.some((each) => each.handle === this.chosen && each.free > 0)) this.chosen = undefined;
    this.#host.requestUpdate();
  }

  readonly handleSubmit = async (event: SubmitEvent): Promise<void> => {
    // The CSP says form-action 'none': this form never navigates.
    event.preventDefault();
    const { chatId, chosen } = this;
    const colleague = this.colleagues?.find((each) => each.handle === chosen);
    if (!chatId || this.busy) return;
    if (!colleague) {
      this.error = strings.chooseColleague;
      this.#host.requestUpdate();
      await this.#host.updateComplete;
      this.#dialog?.querySelector<HTMLInputElement>('input[type="radio"]:not(:disabled)')?.focus();
      return;
    }
    this.busy = true;
    this.error = '';
    this.#host.requestUpdate();
    const ack = await this.#options.transfer(chatId, colleague.handle, this.note.trim());
    this.busy = false;
    if (this.chatId !== chatId) return;
    if (ack.ok) {
      this.close();
      this.#options.transferred(chatId, colleague.name);
      return;
    }
    this.error = ack.error.code === 'colleague-unavailable' ? strings.transferUnavailable({ name: colleague.name }) : strings.errors[ack.error.code];
    this.#host.requestUpdate();
    if (ack.error.code === 'colleague-unavailable') await this.#load();
  };

  readonly handleChoose = (event: Event): void => {
    this.chosen = (event.target as HTMLInputElement).value;
    this.error = '';
    this.#host.requestUpdate();
  };

  readonly handleNoteInput = (event: Event): void => {
    this.note = (event.target as HTMLTextAreaElement).value;
    this.#host.requestUpdate();
  };

  /** Escape, or Cancel: the dialog has closed; forget what was written in it. */
  readonly handleClose = (): void => {
    if (this.chatId !== undefined) this.#reset();
  };

  #reset(): void {
    this.chatId = undefined;
    this.survivorName = '';
    this.colleagues = undefined;
    this.chosen = undefined;
    this.note = '';
    this.error = '';
    this.busy = false;
    this.#host.requestUpdate();
  }
}

function renderColleagues(controller: TransferController) {
  const colleagues = controller.colleagues;
  if (!colleagues) return html`<p>${strings.findingColleagues}</p>`;
  if (colleagues.length === 0) return html`<p>${strings.noColleagues}</p>`;
  return html`<ul class="colleagues">
    ${colleagues.map(
      (colleague, index) => html`<li>
        <input
          type="radio"
          name="colleague"
          id=${`colleague-${index}`}
          .value=${colleague.handle}
          .checked=${colleague.handle === controller.chosen}
          ?disabled=${colleague.free === 0}
          @change=${controller.handleChoose}
        />
        <label for=${`colleague-${index}`}>${colleague.name} <span class="room">(${strings.colleagueRoom({ count: colleague.free })})</span></label>
      </li>`,
    )}
  </ul>`;
}

/** The dialog; empty (and closed) while no transfer is being chosen. */
export function renderTransfer(controller: TransferController) {
  const open = controller.chatId !== undefined;
  return html`<dialog class="transfer" aria-labelledby="transfer-heading" @close=${controller.handleClose}>
    ${open
      ? html`<form @submit=${controller.handleSubmit}>
          <h2 id="transfer-heading" tabindex="-1" autofocus>${strings.transferHeading({ name: controller.survivorName })}</h2>
          <fieldset>
            <legend>${strings.colleague}</legend>
            ${renderColleagues(controller)}
          </fieldset>
          <label for="handoff-note">${strings.handoffNote}</label>
          <p id="handoff-help" class="hint">${strings.handoffNoteHint}</p>
          <textarea
            id="handoff-note"
            rows="4"
            maxlength=${limits.handoffNote}
            aria-describedby="handoff-help handoff-count"
            .value=${controller.note}
            @input=${controller.handleNoteInput}
          ></textarea>
          <p id="handoff-count" class="hint">${strings.noteLength({ count: controller.note.length, max: limits.handoffNote })}</p>
          <p class="error" role="alert">${controller.error}</p>
          <div class="actions">
            <button type="submit" ?disabled=${controller.busy}>${strings.transferChat}</button>
            <button type="button" class="secondary" @click=${() => controller.close()}>${strings.cancel}</button>
          </div>
        </form>`
      : nothing}
  </dialog>`;
}
