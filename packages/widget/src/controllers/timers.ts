// SPDX-License-Identifier: Apache-2.0
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Named one-shot timers that die with their element (STYLE.md: always undo timers in
 * `disconnectedCallback`): delivery deadlines, and the "is typing" line that clears itself
 * when the other side's `false` never comes.
 */
export class TimersController<K = string> implements ReactiveController {
  readonly #timers = new Map<K, ReturnType<typeof setTimeout>>();

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Runs `callback` in `ms`, replacing whatever ran under `key`. */
  set(key: K, ms: number, callback: () => void): void {
    this.clear(key);
    this.#timers.set(
      key,
      setTimeout(() => {
        this.#timers.delete(key);
        callback();
      }, Math.max(0, ms)),
    );
  }

  clear(key: K): void {
    clearTimeout(this.#timers.get(key));
    this.#timers.delete(key);
  }

  hostDisconnected(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
