// SPDX-License-Identifier: Apache-2.0
/**
 * What a peer can do about one chat besides writing in it, under its heading: Transfer (to a
 * colleague, components/console-transfer), Ask a supervisor, and Block (after a confirmation:
 * it ends the chat). Render functions drawn in the console's own shadow root, like the offer.
 *
 * Block asks first, in a modal alert dialog, because it cannot be undone: the chat ends and the
 * survivor cannot start another for a while. The dialog opens on Cancel, the harmless choice,
 * so Enter pressed by habit does not block anyone; Escape cancels too (WCAG 3.3.4, reversible
 * or confirmed). The survivor is told only that the peer ended the chat.
 */
import { html, nothing } from 'lit';
import { strings } from '../../internal/strings-console.js';

/** What the chat actions do, for the chat on screen. */
export interface ChatActionsView {
  onTransfer: () => void;
  onEscalate: () => void;
  onBlock: () => void;
}

/** Transfer, Ask a supervisor, Block: a row of buttons under the chat's heading. */
export function renderChatActions(view: ChatActionsView) {
  return html`<div class="chat-actions">
    <button type="button" class="secondary" @click=${view.onTransfer}>${strings.transfer}</button>
    <button type="button" class="secondary" @click=${view.onEscalate}>${strings.askSupervisor}</button>
    <button type="button" class="secondary" @click=${view.onBlock}>${strings.block}</button>
  </div>`;
}

/** The confirmation of a block: who, what it does, and Block and end chat / Cancel. */
export interface BlockView {
  /** The survivor the dialog asks about; undefined while it is closed. */
  survivorName: string | undefined;
  onConfirm: () => void;
  /** Cancel, Escape, or the dialog closing for any other reason. */
  onClose: () => void;
}

/** The block confirmation dialog; empty while closed (the console opens it with `showModal()`). */
export function renderBlockConfirm(view: BlockView) {
  const name = view.survivorName;
  return html`<dialog class="block-confirm" role="alertdialog" aria-labelledby="block-heading" aria-describedby="block-explain" @close=${view.onClose}>
    ${name === undefined
      ? nothing
      : html`<h2 id="block-heading">${strings.blockHeading({ name })}</h2>
          <p id="block-explain">${strings.blockExplain({ name })}</p>
          <div class="actions">
            <button type="button" class="danger" @click=${view.onConfirm}>${strings.blockConfirm}</button>
            <button type="button" class="secondary" autofocus @click=${view.onClose}>${strings.cancel}</button>
          </div>`}
  </dialog>`;
}
