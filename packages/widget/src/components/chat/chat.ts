// SPDX-License-Identifier: Apache-2.0
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { isFrameMessage, type ShellMessage } from '../../internal/bridge.js';
import { shellStrings as strings } from '../../internal/strings-shell.js';
import { styles } from './chat.styles.js';
import { KindredCloseEvent, KindredOpenEvent, KindredStateEvent } from './events.js';

// The relay that served this script: a hospital writes one script tag and nothing else.
const scriptOrigin = new URL(import.meta.url).origin;

/**
 * @summary The small shell a hospital page embeds: a launcher, an unread badge, and a
 * cross-origin iframe in which the chat itself runs, out of reach of the page's scripts.
 *
 * The shell imports nothing but Lit. The frame (with the socket) loads on the first hover or
 * focus of the launcher, so opening feels instant, and never before.
 *
 * @event kindred-open - The panel opened. Carries nothing.
 * @event kindred-close - The panel closed. Carries nothing.
 * @event kindred-state - The chat changed state; `event.state` is `idle`, `connecting`,
 *   `waiting`, `chatting` or `ended`. Never text, names or ids.
 *
 * @csspart launcher - The button that opens and closes the chat.
 * @csspart badge - The unread count inside the launcher; absent when there is none.
 * @csspart panel - The box holding the chat frame.
 * @csspart frame - The iframe itself.
 *
 * @cssproperty --kindred-color-accent - Launcher and badge colour.
 * @cssproperty --kindred-color-on-accent - Text on the accent colour.
 * @cssproperty --kindred-color-surface - Panel background while the frame loads.
 * @cssproperty --kindred-radius - Corner radius of the panel.
 * @cssproperty --kindred-font-family - Launcher font.
 * @cssproperty --kindred-inset - Distance from the bottom and end edges of the window.
 * @cssproperty --kindred-panel-width - Panel width (capped by the window).
 * @cssproperty --kindred-panel-height - Panel height (capped by the window).
 * @cssproperty --kindred-z-index - Stacking order over the host page.
 */
export class KindredChat extends LitElement {
  static override styles = styles;

  // Declared without decorators: the shell is what every hospital page downloads, and the
  // decorator helpers would add to it (the frame and console, loaded later, use them).
  static override properties = {
    server: {},
    open: { type: Boolean, reflect: true },
    loaded: { state: true },
    unread: { state: true },
  };

  /**
   * The relay's URL (origin, optionally with a path). Defaults to the origin of the script
   * that defined this element.
   */
  server = scriptOrigin;

  /** Whether the chat panel is shown. */
  open = false;

  /** True once the iframe exists; it then stays, so the conversation survives closing. */
  private loaded = false;
  private unread = 0;

  private get launcher(): HTMLButtonElement | null {
    return this.renderRoot.querySelector('[part~="launcher"]');
  }

  private get frame(): HTMLIFrameElement | null {
    return this.renderRoot.querySelector('iframe');
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('message', this.handleWindowMessage);
    this.addEventListener('keydown', this.handleKeydown);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('message', this.handleWindowMessage);
    this.removeEventListener('keydown', this.handleKeydown);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('open') && this.open) {
      this.loaded = true;
      this.unread = 0;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    // The first render with `open` false is not a change anyone needs to hear about.
    if (!changed.has('open') || (changed.get('open') === undefined && !this.open)) return;
    this.post({ kindred: 1, type: 'visibility', open: this.open });
    this.dispatchEvent(this.open ? new KindredOpenEvent() : new KindredCloseEvent());
  }

  /** Opens the panel and moves focus into the chat. Resolves once it is shown. */
  async show(): Promise<void> {
    this.open = true;
    await this.updateComplete;
    // Focusing the iframe hands focus to its document; the frame then focuses its own
    // first control when it hears it is visible (WCAG 2.4.3 focus order).
    this.frame?.focus();
  }

  /** Closes the panel; if focus was in the chat, it returns to the launcher. */
  async hide(): Promise<void> {
    // While focus is inside the cross-origin frame, `:focus-within` does not match, but the
    // iframe is still this shadow root's active element.
    const hadFocus = this.shadowRoot?.activeElement != null;
    this.open = false;
    await this.updateComplete;
    if (hadFocus) this.launcher?.focus();
  }

  /** The relay's origin, or undefined when `server` is not a usable http(s) URL. */
  private get serverOrigin(): string | undefined {
    try {
      const url = new URL(this.server);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : undefined;
    } catch {
      return undefined;
    }
  }

  private get frameSrc(): string {
    return `${this.server.replace(/\/+$/, '')}/frame#origin=${encodeURIComponent(location.origin)}`;
  }

  private post(message: ShellMessage): void {
    const origin = this.serverOrigin;
    const target = this.frame?.contentWindow;
    if (origin && target) target.postMessage(message, origin);
  }

  private readonly handleWindowMessage = (event: MessageEvent): void => {
    // Only our own frame, from the relay's exact origin: any other window on the page could
    // post look-alike messages.
    const frame = this.frame;
    if (!frame || event.source !== frame.contentWindow || event.origin !== this.serverOrigin) return;
    const message = event.data;
    if (!isFrameMessage(message)) return;
    switch (message.type) {
      case 'ready':
        this.post({ kindred: 1, type: 'visibility', open: this.open });
        break;
      case 'state':
        this.dispatchEvent(new KindredStateEvent(message.state));
        break;
      case 'unread':
        this.unread = this.open ? 0 : message.count;
        break;
      case 'close':
        void this.hide();
        break;
    }
  };

  private readonly handleKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || !this.open) return;
    event.preventDefault();
    void this.hide();
  };

  private readonly handleLauncherPreload = (): void => {
    if (this.serverOrigin) this.loaded = true;
  };

  private readonly handleLauncherClick = (): void => {
    void (this.open ? this.hide() : this.show());
  };

  private renderBadge() {
    if (this.unread === 0) return nothing;
    return html`<span part="badge"
      ><span aria-hidden="true">${this.unread}</span><span class="visually-hidden">${strings.unread(this.unread)}</span></span
    >`;
  }

  private renderFrame() {
    if (!this.loaded || !this.serverOrigin) return nothing;
    // No `allow` features and no sandbox relaxations are needed: the frame only talks to
    // its own origin. `referrerpolicy` keeps the hospital page's path out of the relay.
    return html`<iframe part="frame" title=${strings.frameTitle} src=${this.frameSrc} referrerpolicy="no-referrer"></iframe>`;
  }

  protected override render() {
    return html`
      <button
        part="launcher"
        type="button"
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls="panel"
        @click=${this.handleLauncherClick}
        @pointerenter=${this.handleLauncherPreload}
        @focus=${this.handleLauncherPreload}
      >
        <span>${strings.launcher}</span>${this.renderBadge()}
      </button>
      <div part="panel" id="panel" ?hidden=${!this.open}>${this.renderFrame()}</div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kindred-chat': KindredChat;
  }
}
