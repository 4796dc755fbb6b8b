// SPDX-License-Identifier: Apache-2.0
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Presses of a lone Shift that trigger quick exit, and the time they must fall within (GOV.UK's numbers). */
export const quickExitPresses = 3;
export const quickExitWindowMs = 5_000;

/**
 * Quick exit's keyboard shortcut, as GOV.UK's "Exit this page" does it: Shift pressed three
 * times within 5 seconds, counted from the first press. One controller for the shell (on the
 * hospital page) and the chat frame, so the rule is written once.
 *
 * A press counts when Shift comes back up with nothing pressed meanwhile: counted on the way
 * down, the Shift of every capital letter typed would set the live region talking, and Shift,
 * Shift, Shift+A would leave in the middle of a word. Shift with Ctrl, Alt or Meta, or any
 * other key, starts again; a key held down and repeating is not another press.
 *
 * The host renders `announcement` in a polite live region: the countdown a screen-reader
 * user hears (WCAG 4.1.3 status messages), in the host's language: `say(left)` words it, for
 * the presses still to go, and `say(0)` once quick exit runs.
 */
export class ShiftExitController implements ReactiveController {
  /** What the live region should say now. */
  announcement = '';
  /** The window for the three presses; tests shorten it rather than wait. */
  windowMs = quickExitWindowMs;

  private presses = 0;
  private alone = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** Where to listen: the hospital page's document, or the frame's window. */
    private readonly target: EventTarget,
    private readonly onExit: () => void,
    /** The countdown's words: `left` presses to go, or 0 once quick exit runs. */
    private readonly say: (left: number) => string,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    // Capture: no handler deeper in the page can swallow the shortcut.
    this.target.addEventListener('keydown', this.handleKeydown as EventListener, true);
    this.target.addEventListener('keyup', this.handleKeyup as EventListener, true);
  }

  hostDisconnected(): void {
    this.target.removeEventListener('keydown', this.handleKeydown as EventListener, true);
    this.target.removeEventListener('keyup', this.handleKeyup as EventListener, true);
    this.reset();
  }

  /** Forgets any presses so far; `say` is what the live region is left saying. */
  reset(say = ''): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.presses = 0;
    this.alone = false;
    this.announcement = say;
    this.host.requestUpdate();
  }

  private readonly handleKeydown = (event: KeyboardEvent): void => {
    if (event.repeat) return;
    this.alone = event.key === 'Shift' && !event.ctrlKey && !event.altKey && !event.metaKey;
    if (!this.alone && this.presses > 0) this.reset();
  };

  private readonly handleKeyup = (event: KeyboardEvent): void => {
    if (event.key !== 'Shift' || !this.alone) return;
    this.alone = false;
    this.presses += 1;
    if (this.presses === 1) this.timer = setTimeout(() => this.reset(), this.windowMs);
    if (this.presses < quickExitPresses) {
      this.announcement = this.say(quickExitPresses - this.presses);
      this.host.requestUpdate();
    } else {
      this.reset(this.say(0));
      this.onExit();
    }
  };
}
