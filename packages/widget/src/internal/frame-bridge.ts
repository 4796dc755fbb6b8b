// SPDX-License-Identifier: Apache-2.0
/**
 * The frame's half of the bridge (see `bridge.ts` for the contract). A module of its own so
 * the shell, which only validates what the frame posts, does not carry it.
 */
import type { FrameMessage, ShellMessage } from './bridge.js';
import type { ColorScheme } from './theme.js';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * True when `data` is a well-formed shell → frame message. For a theme, only its shape: each
 * value is checked where it is applied (`theme-values.ts`).
 */
export function isShellMessage(data: unknown): data is ShellMessage {
  if (!isRecord(data) || data['kindred'] !== 1) return false;
  switch (data['type']) {
    case 'exit':
      return true;
    case 'visibility':
      return typeof data['open'] === 'boolean' && (data['inline'] === undefined || typeof data['inline'] === 'boolean');
    case 'theme':
      return (data['scheme'] === 'light' || data['scheme'] === 'dark') && isRecord(data['properties']) && !Array.isArray(data['properties']);
    default:
      return false;
  }
}

/** One parameter of the frame's fragment (`#origin=…&theme=dark&mode=inline`). */
const hashParam = (hash: string, name: string): string | null => new URLSearchParams(hash.replace(/^#/, '')).get(name);

/**
 * The embedding page's origin from the frame's `#origin=` fragment, or undefined when it is
 * missing or not a plain http(s) origin. The shell writes it; we re-serialise it so that a
 * value like `https://a.example/path` or `null` can never become a postMessage target.
 */
export function originFromHash(hash: string): string | undefined {
  const raw = hashParam(hash, 'origin');
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
  /**
   * Called with the page's colour scheme and theme properties (values not yet checked): on
   * connecting when the fragment says `theme=dark`, then for every theme the shell posts.
   */
  onTheme?: (scheme: ColorScheme, properties: Record<string, unknown>) => void;
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
  /**
   * Whether the shell shows the chat inline, in the page's flow with no launcher: then there is
   * nothing to minimise the chat to, and the shell's own Quick exit stands right above it.
   */
  inline: boolean;

  readonly #options: FrameBridgeOptions;
  readonly #listener = (event: MessageEvent) => this.#handleMessage(event);

  constructor(options: FrameBridgeOptions) {
    this.#options = options;
    this.origin = options.parent !== options.self ? originFromHash(options.hash) : undefined;
    this.inline = this.embedded && hashParam(options.hash, 'mode') === 'inline';
  }

  /** True when the frame is embedded by a shell it can talk to. */
  get embedded(): boolean {
    return this.origin !== undefined;
  }

  /** Starts listening and tells the shell the frame is ready. */
  connect(): void {
    if (!this.embedded) return;
    // Dark before the first render, so a dark page never sees the chat flash light.
    if (hashParam(this.#options.hash, 'theme') === 'dark') this.#options.onTheme?.('dark', {});
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
    const message = event.data;
    if (!isShellMessage(message)) return;
    switch (message.type) {
      case 'exit':
        this.#options.onExit?.();
        break;
      case 'theme':
        this.#options.onTheme?.(message.scheme, message.properties);
        break;
      case 'visibility':
        this.open = message.open;
        this.inline = message.inline === true;
        this.#options.onVisibility(message.open);
    }
  }
}
