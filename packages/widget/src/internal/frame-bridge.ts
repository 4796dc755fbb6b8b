// SPDX-License-Identifier: Apache-2.0
/**
 * The frame's half of the bridge (see `bridge.ts` for the contract). A module of its own so
 * the shell, which only validates what the frame posts, does not carry it.
 */
import type { FrameMessage, ShellMessage } from './bridge.js';

/** True when `data` is a well-formed shell → frame message. */
export function isShellMessage(data: unknown): data is ShellMessage {
  if (typeof data !== 'object' || data === null) return false;
  const message = data as Record<string, unknown>;
  if (message['kindred'] !== 1) return false;
  if (message['type'] === 'exit') return true;
  return message['type'] === 'visibility' && typeof message['open'] === 'boolean';
}

/**
 * The embedding page's origin from the frame's `#origin=` fragment, or undefined when it is
 * missing or not a plain http(s) origin. The shell writes it; we re-serialise it so that a
 * value like `https://a.example/path` or `null` can never become a postMessage target.
 */
export function originFromHash(hash: string): string | undefined {
  const raw = new URLSearchParams(hash.replace(/^#/, '')).get('origin');
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    return url.origin === raw ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** What the frame side of the bridge needs from its window; a real `Window` fits. */
export interface FrameBridgeOptions {
  /** The window whose `message` events we hear (the frame's own). */
  self: Window;
  /** The embedding window; when it is `self` the frame is not embedded and the bridge is off. */
  parent: Window;
  /** The frame's `location.hash`, holding `#origin=`. */
  hash: string;
  /** Called when the shell opens or closes the panel. */
  onVisibility: (open: boolean) => void;
  /** Called when the shell says quick exit was used on the page: erase everything at once. */
  onExit?: () => void;
}

/**
 * The frame's half of the bridge. It answers only the parent window, and only when the
 * message's origin is exactly the one in `#origin=`; it posts with that exact target origin,
 * never `'*'`, so a frame re-embedded elsewhere tells nobody anything.
 */
export class FrameBridge {
  /** The shell's origin, or undefined when the frame runs on its own. */
  readonly origin: string | undefined;
  /** Whether the shell shows the panel. A frame on its own counts as open. */
  open = true;

  readonly #options: FrameBridgeOptions;
  readonly #listener = (event: MessageEvent) => this.#handleMessage(event);

  constructor(options: FrameBridgeOptions) {
    this.#options = options;
    this.origin = options.parent !== options.self ? originFromHash(options.hash) : undefined;
  }

  /** True when the frame is embedded by a shell it can talk to. */
  get embedded(): boolean {
    return this.origin !== undefined;
  }

  /** Starts listening and tells the shell the frame is ready. */
  connect(): void {
    if (!this.embedded) return;
    this.#options.self.addEventListener('message', this.#listener);
    this.post({ kindred: 1, type: 'ready' });
  }

  /** Stops listening. */
  disconnect(): void {
    this.#options.self.removeEventListener('message', this.#listener);
  }

  /** Posts one message to the shell, if there is one. */
  post(message: FrameMessage): void {
    if (this.origin === undefined) return;
    this.#options.parent.postMessage(message, this.origin);
  }

  #handleMessage(event: MessageEvent): void {
    if (event.source !== this.#options.parent || event.origin !== this.origin) return;
    if (!isShellMessage(event.data)) return;
    if (event.data.type === 'exit') {
      this.#options.onExit?.();
      return;
    }
    this.open = event.data.open;
    this.#options.onVisibility(event.data.open);
  }
}
