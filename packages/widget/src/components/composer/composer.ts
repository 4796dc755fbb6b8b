// SPDX-License-Identifier: Apache-2.0
/**
 * The message box shared by the survivor's frame and the peer console: a labelled textarea
 * and a Send button, Enter to send and Shift+Enter for a new line, and the typing signal.
 * A controller plus a render method, so it lives in its host's shadow root.
 */
import { limits } from '@kindred/protocol';
import { html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { strings } from '../../internal/strings.js';

/** Send `typing: true` again at most this often while the person keeps typing. */
export const typingRepeatMs = 3_000;
/** After this long without a keystroke the person counts as no longer typing. */
export const typingIdleMs = 5_000;
/**
 * The recipient clears "… is typing" this long after the last `typing: true`, even if no
 * `false` comes: typing is sent volatile, so a `false` can be lost, and the sender repeats
 * `true` every {@link typingRepeatMs} while typing goes on.
 */
export const typingExpiryMs = 6_000;

/** Options of a {@link ComposerController}. */
export interface ComposerOptions {
  /** Called with text that has something other than white space in it. */
  onSend: (text: string) => void;
  /**
   * Called when the person starts typing, again at most every {@link typingRepeatMs} while
   * they go on, and with `false` once they stop, send, or empty the box.
   */
  onTyping: (typing: boolean) => void;
}

/** Owns the composer's typing timer; render its form with {@link ComposerController.render}. */
export class ComposerController implements ReactiveController {
  readonly #options: ComposerOptions;
  #typing = false;
  #lastTypingSent = 0;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: ReactiveControllerHost, options: ComposerOptions) {
    this.#options = options;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.#stopTyping();
  }

  /** The composer form. `id` must be unique in the host's shadow root (the label uses it). */
  render(id = 'composer'): TemplateResult {
    return html`
      <form class="composer" @submit=${this.#handleSubmit}>
        <label for=${`${id}-text`}>${strings.message}</label>
        <textarea
          id=${`${id}-text`}
          rows="2"
          maxlength=${limits.messageText}
          autocomplete="off"
          @input=${this.#handleInput}
          @keydown=${this.#handleKeydown}
          @blur=${this.#handleBlur}
        ></textarea>
        <button type="submit">${strings.send}</button>
      </form>
    `;
  }

  #send(textarea: HTMLTextAreaElement): void {
    const text = textarea.value;
    // The relay refuses white space only (and so would the person reading it).
    if (text.trim() === '' || text.length > limits.messageText) return;
    textarea.value = '';
    this.#stopTyping();
    this.#options.onSend(text);
    textarea.focus();
  }

  #stopTyping(): void {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    if (!this.#typing) return;
    this.#typing = false;
    this.#options.onTyping(false);
  }

  readonly #handleSubmit = (event: SubmitEvent): void => {
    // The CSP says form-action 'none': this form never navigates.
    event.preventDefault();
    const textarea = (event.currentTarget as HTMLFormElement).querySelector('textarea');
    if (textarea) this.#send(textarea);
  };

  readonly #handleKeydown = (event: KeyboardEvent): void => {
    // Enter sends; Shift+Enter keeps the default (a new line). While an input method is
    // composing (Japanese, Chinese…), Enter confirms the composition and must not send.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    this.#send(event.currentTarget as HTMLTextAreaElement);
  };

  readonly #handleInput = (event: Event): void => {
    const textarea = event.currentTarget as HTMLTextAreaElement;
    if (textarea.value.trim() === '') {
      this.#stopTyping();
      return;
    }
    const now = Date.now();
    if (!this.#typing || now - this.#lastTypingSent >= typingRepeatMs) {
      this.#typing = true;
      this.#lastTypingSent = now;
      this.#options.onTyping(true);
    }
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => this.#stopTyping(), typingIdleMs);
  };

  readonly #handleBlur = (): void => {
    this.#stopTyping();
  };
}
