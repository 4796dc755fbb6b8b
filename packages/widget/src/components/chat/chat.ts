// SPDX-License-Identifier: Apache-2.0
import { ReactiveElement, type PropertyValues } from '@lit/reactive-element';
import { isFrameMessage, type ShellMessage } from '../../internal/bridge.js';
import { httpsHref, neutralExitUrl } from '../../internal/https-url.js';
import { ShiftExitController } from '../../controllers/shift-exit.js';
import { format, isRtl, pageLanguage, type Language } from '../../internal/i18n.js';
import { shellStrings } from '../../internal/i18n-shell.js';
import { themeProperties, type ColorScheme } from '../../internal/theme.js';
import { styles } from './chat.styles.js';
import { KindredCloseEvent, KindredExitEvent, KindredOpenEvent, KindredStateEvent } from './events.js';

// The relay that served this script: a hospital writes one script tag and nothing else.
const scriptOrigin = new URL(import.meta.url).origin;

/** How long quick exit waits, behind its overlay, for the frame to say it erased the chat. */
const frameExitMs = 300;

/**
 * One flag in the hospital page's sessionStorage: "a chat goes on in this tab", so the next
 * page of the site loads the frame at once and the chat resumes without the survivor opening
 * it. A flag and nothing else (the conversation and its resume token stay in the frame, which
 * the page cannot read); cleared when the chat ends and by quick exit, and gone with the tab.
 */
const openChatKey = 'kindred-chat-open';

function rememberOpenChat(open: boolean): void {
  try {
    if (open) sessionStorage.setItem(openChatKey, '1');
    else sessionStorage.removeItem(openChatKey);
  } catch {
    // Storage refused: the chat then resumes when the survivor opens it on the next page.
  }
}

function hasOpenChat(): boolean {
  try {
    return sessionStorage.getItem(openChatKey) === '1';
  } catch {
    return false;
  }
}

/** One element with its attributes and children: the shell's whole DOM is a few of these. */
function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/**
 * Sets a node's text only when it changes, as a template binding would: a live region handed
 * the same words again must not be nudged into saying them again.
 */
function setText(node: Node, value: string): void {
  if (node.textContent !== value) node.textContent = value;
}

/**
 * @summary The small shell a hospital page embeds: a launcher, an unread badge, a quick exit,
 * and a cross-origin iframe in which the chat itself runs, out of reach of the page's scripts.
 *
 * The shell is what every hospital page pays for, before anyone touches it (budget: 8 KB
 * gzipped, checked by `npm run size`). So it is a `ReactiveElement`: Lit's properties,
 * attributes, batched updates and controllers, without lit-html. It builds its dozen nodes by
 * hand once, then patches the few that change in `render()`. Measured on the built bundle
 * (docs/size.md): as a `LitElement` the shell cost the page 9.22 KB gzipped, lit-html being
 * most of it; as a `ReactiveElement` built into one file, 5.89 KB. A bare `HTMLElement`
 * (prototyped: 3.91 KB) would save 2 KB more, but would have to re-create attribute reflection,
 * update batching, `updateComplete` and the controller host by hand. The frame and the console,
 * loaded later and elsewhere, stay on full Lit. Nothing big is imported here: the frame (with the
 * socket and the chat's code) loads in the iframe on the first hover or focus of the launcher,
 * so opening feels instant, and never before.
 *
 * Quick exit (GOV.UK's "Exit this page", extended to end the chat): a "Quick exit" control
 * beside the launcher (the chat's own is first in the open panel), Shift pressed three times within 5 s
 * anywhere on the page, or the frame asking. It blanks the page, ends the chat, empties the
 * shell and replaces the page in history with the exit URL. It lives in the shell, not only
 * in the frame, so it works before the frame has loaded and when the frame is broken.
 *
 * @event kindred-open - The panel opened. Carries nothing.
 * @event kindred-close - The panel closed. Carries nothing.
 * @event kindred-state - The chat changed state; `event.state` is `idle`, `connecting`,
 *   `waiting`, `chatting` or `ended`. Never text, names or ids.
 * @event kindred-exit - Quick exit ran; the page is about to be replaced. Carries nothing.
 *
 * Theming (docs/embed.md, "Theming"). Parts style the shell's own boxes and nothing beyond them:
 * no selector of the page, `::part()` included, reaches into the cross-origin frame, the same wall
 * that keeps the page's scripts out of the conversation. What crosses is the custom properties
 * marked "also in the chat" below: the shell reads them from its own computed style and posts
 * them over the bridge, and the frame applies each only if it is a colour, a radius within
 * bounds or a font family name (`internal/theme-values.ts`). The frame follows the colour
 * scheme the shell resolved: `theme`, else the device's `prefers-color-scheme`.
 *
 * @csspart launcher - The button that opens and closes the chat (absent from view inline).
 * @csspart badge - The unread count on the launcher; absent when there is none.
 * @csspart panel - The box holding the chat frame.
 * @csspart frame - The iframe itself (its box and border; not its content).
 * @csspart quick-exit - The "Quick exit" control beside the launcher (inline: above the chat).
 * @csspart exit-overlay - The blank cover shown while quick exit navigates away.
 *
 * @cssproperty --kindred-color-accent - Launcher, badge, and in the chat its header, buttons, links and the survivor's own bubbles.
 * @cssproperty --kindred-color-on-accent - Text on the accent colour (also in the chat).
 * @cssproperty --kindred-color-surface - Background of the panel and the chat (also in the chat).
 * @cssproperty --kindred-color-text - Text in the chat (in the chat only).
 * @cssproperty --kindred-color-muted - Secondary text in the chat, and its text field borders (in the chat only).
 * @cssproperty --kindred-font-family - Font of the launcher and the chat (also in the chat, where only fonts installed on the device apply).
 * @cssproperty --kindred-radius - Corner radius of the panel, and of the chat's bubbles and buttons (also in the chat; 0 to 32px or 2rem).
 * @cssproperty --kindred-launcher-size - Height of the launcher and the Quick exit beside it (never under 44px).
 * @cssproperty --kindred-inset - Distance of the launcher from the window's bottom and side edges.
 * @cssproperty --kindred-inset-block - Distance from the bottom edge (defaults to `--kindred-inset`).
 * @cssproperty --kindred-inset-inline - Distance from the side edge (defaults to `--kindred-inset`).
 * @cssproperty --kindred-panel-width - Panel width (capped by the window).
 * @cssproperty --kindred-panel-height - Panel height (capped by the window); inline, the chat's height unless the page sets the element's.
 * @cssproperty --kindred-z-index - Stacking order over the host page.
 */
export class KindredChat extends ReactiveElement {
  static override styles = styles;

  // Declared without decorators: the shell is what every hospital page downloads, and the
  // decorator helpers would add to it (the frame and console, loaded later, use them).
  static override properties = {
    server: {},
    open: { type: Boolean, reflect: true },
    exitUrl: { attribute: 'exit-url' },
    // Reflected: the styles key on the attributes, and a page may set the properties instead.
    theme: { reflect: true },
    position: { reflect: true },
    mode: { reflect: true },
    launcherLabel: { attribute: 'launcher-label' },
    quickExitLabel: { attribute: 'quick-exit-label' },
    loaded: { state: true },
    unread: { state: true },
    relayExitUrl: { state: true },
    exiting: { state: true },
  };

  /**
   * The relay's URL (origin, optionally with a path). Defaults to the origin of the script
   * that defined this element.
   * @type {string}
   */
  server = scriptOrigin;

  /** Whether the chat panel is shown. */
  open = false;

  /**
   * Where quick exit goes (attribute `exit-url`): an absolute `https:` URL, or it is ignored.
   * Unset, it is the hospital's default from the relay, else `https://www.bbc.co.uk/weather`.
   */
  exitUrl = '';

  /**
   * The colour scheme: `light` or `dark`. Unset (or anything else), the chat follows the
   * device's `prefers-color-scheme`, and changes with it.
   */
  theme?: 'light' | 'dark';

  /**
   * The side of the window the launcher and the panel keep to: `left` or `right`. Unset, the
   * inline end: the right on a left-to-right page, the left on a right-to-left one.
   */
  position?: 'left' | 'right';

  /**
   * `inline`: the chat sits where the element is, in the page's flow and the size the page gives
   * it, loaded at once, with no launcher (the Quick exit stays, above it); for a page that
   * exists to talk to a peer. `open`, `hide()`, `kindred-open` and `kindred-close` do not apply
   * there; `show()` moves focus into the chat. Unset or `launcher`: the floating launcher.
   */
  mode?: 'launcher' | 'inline';

  /**
   * The launcher's text (attribute `launcher-label`), in the page's own words. Unset, "Chat with
   * a peer" in the shell's language. The shell cannot wait for the relay's configuration before
   * it paints, so its two visible strings are the page's to set, not the relay's.
   */
  launcherLabel = '';

  /** The Quick exit control's text (attribute `quick-exit-label`). Unset, "Quick exit" in the shell's language. */
  quickExitLabel = '';

  /** Shift pressed three times on the hospital page leaves it. Protected so tests can shorten its window. */
  protected readonly shiftExit = new ShiftExitController(
    this,
    document,
    () => void this.exit(),
    (left) => (left ? format(this.language, this.strings.shiftCountdown, { left }) : this.strings.exitActivated),
  );

  /**
   * The shell's language, resolved on connecting (`pageLanguage`: the element's `lang` or its
   * nearest ancestor's, the page's `<html lang>`, the browser's), and passed on to the frame.
   */
  private language: Language = 'en';

  /** True once the iframe exists; it then stays, so the conversation survives closing. */
  private loaded = false;
  private unread = 0;
  /** The hospital's exit URL, as the relay's frame told us (already checked `https:`). */
  private relayExitUrl?: string;
  /** True from quick exit until the page is gone (or comes back from the back/forward cache). */
  private exiting = false;
  /** Called when the frame answers quick exit with `exited`. */
  private frameErased?: () => void;
  /** The frame's document has said `ready` (since the iframe last got a new document). */
  private frameReady = false;
  /** Focus goes into the frame once its document is ready (see `focusFrame`). */
  private focusWhenReady = false;
  /** The device's colour scheme preference, followed while `theme` is unset. */
  private darkQuery?: MediaQueryList;

  // The nodes that change, made on the first update (`render()`); the rest never change.
  private quickExit?: HTMLAnchorElement;
  private launcher?: HTMLButtonElement;
  private panel?: HTMLDivElement;
  private countdown?: HTMLSpanElement;
  private unreadStatus?: HTMLSpanElement;
  private badge?: HTMLSpanElement;
  private frame?: HTMLIFrameElement;
  private overlay?: HTMLDivElement;

  override connectedCallback(): void {
    super.connectedCallback();
    this.language = pageLanguage(this);
    window.addEventListener('message', this.handleWindowMessage);
    window.addEventListener('pageshow', this.handlePageShow);
    this.addEventListener('keydown', this.handleKeydown);
    this.darkQuery = matchMedia('(prefers-color-scheme: dark)');
    this.darkQuery.addEventListener('change', this.handleSchemeChange);
    // A chat goes on in this tab (the survivor came from another page of this site): load the
    // frame, closed, so it takes the chat back and can count unread messages.
    if (hasOpenChat()) this.loaded = true;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('message', this.handleWindowMessage);
    window.removeEventListener('pageshow', this.handlePageShow);
    this.removeEventListener('keydown', this.handleKeydown);
    this.darkQuery?.removeEventListener('change', this.handleSchemeChange);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('open') && this.open) {
      this.loaded = true;
      this.unread = 0;
    }
    // Inline, the page exists to chat: the frame loads at once, not on a first hover.
    if (this.inline && !this.exiting) this.loaded = true;
  }

  protected override update(changed: PropertyValues<this>): void {
    // Reflects `open` to its attribute, then the DOM follows the properties.
    super.update(changed);
    this.render();
  }

  protected override updated(changed: PropertyValues<this>): void {
    // Quick exit is announced as itself, not as the panel closing.
    if (this.exiting) return;
    if (changed.has('theme')) this.postTheme();
    if (changed.has('mode')) this.postVisibility();
    // The first render with `open` false is not a change anyone needs to hear about.
    if (!changed.has('open') || (changed.get('open') === undefined && !this.open)) return;
    // The page may have changed its custom properties since the frame last heard them.
    this.postTheme();
    this.postVisibility();
    this.dispatchEvent(this.open ? new KindredOpenEvent() : new KindredCloseEvent());
  }

  /** Opens the panel and moves focus into the chat. Resolves once it is shown. */
  async show(): Promise<void> {
    // Inline, the chat is always shown: only focus moves.
    if (!this.inline) this.open = true;
    await this.updateComplete;
    // Focusing the iframe hands focus to its document; the frame then focuses its own
    // first control when it hears it is visible (WCAG 2.4.3 focus order). Inline, it has been
    // visible all along, so it is told again.
    this.focusFrame();
    if (this.inline) this.postVisibility();
  }

  /**
   * Focuses the iframe, or, while its document is still loading, as soon as it says `ready`:
   * an iframe focused before its document has loaded leaves Chromium's keyboard focus on the
   * hospital's page, where the next Tab goes back out of the chat (found by
   * e2e/keyboard.test.ts). Meanwhile focus stays on the launcher.
   */
  private focusFrame(): void {
    this.focusWhenReady = !this.frameReady;
    if (this.frameReady) this.frame?.focus();
  }

  /** Closes the panel; if focus was in the chat, it returns to the launcher. Inline, does nothing. */
  async hide(): Promise<void> {
    if (this.inline) return;
    // While focus is inside the cross-origin frame, `:focus-within` does not match, but the
    // iframe is still this shadow root's active element.
    const hadFocus = this.shadowRoot?.activeElement != null;
    this.open = false;
    await this.updateComplete;
    if (hadFocus) this.launcher?.focus();
  }

  /**
   * Quick exit. At once: covers the page with a blank overlay and asks the frame to end the
   * chat and erase what it holds; gives it a moment (at most {@link frameExitMs}) to say it
   * has, behind the overlay; then drops the iframe (closing its socket, so the peer learns the
   * survivor left even if the frame never answered), fires `kindred-exit`, and replaces the
   * page with the exit URL, so Back does not return to it. Resolves once the navigation has
   * been asked for.
   */
  async exit(): Promise<void> {
    await this.exitNow(false);
  }

  /** Quick exit; `frameDone` when the frame started it and has already erased everything. */
  private async exitNow(frameDone: boolean): Promise<void> {
    if (this.exiting) return;
    this.exiting = true;
    rememberOpenChat(false);
    const erased = frameDone || !this.frame ? Promise.resolve() : this.frameExited();
    this.post({ kindred: 1, type: 'exit' });
    try {
      await this.updateComplete;
      // The top layer: above anything the page stacks, whatever `--kindred-z-index` says.
      this.overlay?.showPopover();
    } catch {
      // No popover support (the overlay's own z-index still covers the page) or a failed
      // render: neither may stop the navigation below.
    }
    await erased;
    this.erase();
    await this.updateComplete.catch(() => undefined);
    this.dispatchEvent(new KindredExitEvent());
    this.navigate(this.exitHref);
  }

  /** Resolves when the frame says it has erased the chat, or after {@link frameExitMs}. */
  private frameExited(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.frameErased = undefined;
        resolve();
      };
      const timer = setTimeout(done, frameExitMs);
      this.frameErased = done;
    });
  }

  /**
   * Replaces the top window's page with `url` (quick exit's last step). `replace`, not a plain
   * navigation, so the hospital page leaves the history. Protected only so tests can stand in
   * for it: the test runner's own page must not navigate away.
   */
  protected navigate(url: string): void {
    try {
      window.top!.location.replace(url);
    } catch {
      // No top window, or one that refuses us: leave this window at least.
      location.replace(url);
    }
  }

  /** Forgets the chat: panel closed, no unread count, no iframe (so no socket). */
  private erase(): void {
    this.open = false;
    this.loaded = false;
    this.unread = 0;
  }

  /** Where quick exit goes: the page's `exit-url` if https, else the hospital's, else ours. */
  private get exitHref(): string {
    return httpsHref(this.exitUrl) ?? this.relayExitUrl ?? neutralExitUrl;
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

  private get inline(): boolean {
    return this.mode === 'inline';
  }

  /** The shell's strings in its language: all four languages are inline (`i18n-shell.ts`). */
  private get strings() {
    return shellStrings[this.language];
  }

  /** The scheme the frame is told to use: `theme` when it names one, else the device's. */
  private get scheme(): ColorScheme {
    return this.theme === 'light' || this.theme === 'dark' ? this.theme : this.darkQuery?.matches ? 'dark' : 'light';
  }

  /**
   * The frame's address. Its fragment names this page's origin (the bridge's target), the
   * shell's language (the frame checks it against the languages it has), and the scheme and mode
   * when they are not the defaults, so the frame's first paint is already right; after that,
   * changes go over the bridge. In the fragment, not the query: it never reaches the relay, so
   * not even a survivor's language is in any request line a proxy might log.
   */
  private get frameSrc(): string {
    const scheme = this.scheme === 'dark' ? '&theme=dark' : '';
    const mode = this.inline ? '&mode=inline' : '';
    return `${this.server.replace(/\/+$/, '')}/frame#origin=${encodeURIComponent(location.origin)}&lang=${this.language}${scheme}${mode}`;
  }

  private post(message: ShellMessage): void {
    const origin = this.serverOrigin;
    const target = this.frame?.contentWindow;
    if (origin && target) target.postMessage(message, origin);
  }

  /**
   * Tells the frame the scheme and the page's values of the theme properties (`theme.ts`): only
   * those, read from this element's computed style, so a page's stylesheet, media queries and
   * `light-dark()` all count. Values, never anything about the person chatting.
   */
  private postTheme(): void {
    const style = getComputedStyle(this);
    const properties: Record<string, string> = {};
    for (const name of themeProperties) {
      const value = style.getPropertyValue(name).trim();
      if (value) properties[name] = value;
    }
    this.post({ kindred: 1, type: 'theme', scheme: this.scheme, properties });
  }

  private postVisibility(): void {
    this.post({ kindred: 1, type: 'visibility', open: this.open || this.inline, inline: this.inline });
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
        this.frameReady = true;
        this.postTheme();
        this.postVisibility();
        if (this.focusWhenReady && (this.open || this.inline)) this.focusFrame();
        break;
      case 'state':
        rememberOpenChat(message.state !== 'idle' && message.state !== 'ended');
        this.dispatchEvent(new KindredStateEvent(message.state));
        break;
      case 'unread':
        this.unread = this.open ? 0 : message.count;
        break;
      case 'close':
        void this.hide();
        break;
      case 'exit':
        void this.exitNow(true);
        break;
      case 'exited':
        this.frameErased?.();
        break;
      case 'exit-url':
        this.relayExitUrl = message.url;
        break;
    }
  };

  // Back/forward cache: the page would come back as it was left, overlay and all. It comes
  // back closed and empty instead, with nothing to show what happened.
  private readonly handleSchemeChange = (): void => {
    this.postTheme();
  };

  private readonly handlePageShow = (event: PageTransitionEvent): void => {
    if (!event.persisted) return;
    this.exiting = false;
    this.erase();
    this.shiftExit.reset();
  };

  private readonly handleQuickExitClick = (event: Event): void => {
    // A real link underneath, so the exit still works if this handler never runs.
    event.preventDefault();
    void this.exit();
  };

  private readonly handleQuickExitKeydown = (event: KeyboardEvent): void => {
    // role="button" promises Space as well as the Enter a link already answers.
    if (event.key === ' ') this.handleQuickExitClick(event);
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

  /** The unread count on the launcher, while there is one. */
  private renderBadge(launcher: HTMLButtonElement): void {
    if (this.unread === 0) {
      this.badge?.remove();
      this.badge = undefined;
      return;
    }
    this.badge ??= launcher.appendChild(h('span', { part: 'badge' }, h('span', { 'aria-hidden': 'true' }), h('span', { class: 'visually-hidden' })));
    const [count, said] = this.badge.children as unknown as [HTMLElement, HTMLElement];
    setText(count, new Intl.NumberFormat(this.language).format(this.unread));
    setText(said, format(this.language, this.strings.unread, { count: this.unread }));
  }

  /** The iframe, from the first hover, focus or opening until quick exit. */
  private renderFrame(panel: HTMLDivElement): void {
    if (!this.loaded || !this.serverOrigin) {
      this.frame?.remove();
      this.frame = undefined;
      this.frameReady = false;
      return;
    }
    // No `allow` features and no sandbox relaxations are needed: the frame only talks to
    // its own origin. `referrerpolicy` keeps the hospital page's path out of the relay.
    this.frame ??= panel.appendChild(h('iframe', { part: 'frame', title: this.strings.frameTitle, referrerpolicy: 'no-referrer' }));
    // Only another relay reloads the frame; a new scheme or mode reaches it over the bridge.
    const src = this.frameSrc;
    if (this.frame.getAttribute('src')?.split('#')[0] !== src.split('#')[0]) {
      this.frameReady = false;
      this.frame.setAttribute('src', src);
    }
  }

  /** The blank cover, from quick exit until the page goes (or comes back from the cache). */
  private renderOverlay(): void {
    if (!this.exiting) {
      this.overlay?.remove();
      this.overlay = undefined;
      return;
    }
    this.overlay ??= this.renderRoot.appendChild(h('div', { part: 'exit-overlay', popover: 'manual' }));
  }

  /**
   * Makes the DOM on the first update, then brings the few changing parts up to date.
   *
   * One Quick exit beside the launcher, always shown: it works before the frame loads and
   * while it is slow or broken. Inside the open panel, the chat's own Quick exit is first.
   * While the panel is closed its log is hidden and says nothing, so a second polite status
   * says the unread count as it goes up (WCAG 4.1.3): a count only, never what was written.
   * It is empty while open (the count is then 0), and kept apart from the Shift countdown so
   * neither cuts the other off. `noreferrer` on the link: if the link itself is ever followed,
   * the hospital page's address stays here.
   */
  private render(): void {
    if (!this.launcher) {
      this.quickExit = h('a', { part: 'quick-exit', role: 'button', rel: 'noreferrer' });
      this.quickExit.addEventListener('click', this.handleQuickExitClick);
      this.quickExit.addEventListener('keydown', this.handleQuickExitKeydown);
      this.launcher = h('button', { part: 'launcher', type: 'button', 'aria-controls': 'panel' }, h('span'));
      this.launcher.addEventListener('click', this.handleLauncherClick);
      this.launcher.addEventListener('pointerenter', this.handleLauncherPreload);
      this.launcher.addEventListener('focus', this.handleLauncherPreload);
      this.panel = h('div', { part: 'panel', id: 'panel' });
      // `lang` on everything the shell shows (its language may not be the page's), and `dir` on
      // what holds its text. Not on the panel: it keeps to the side of the window the host keeps
      // to, which follows the page's direction (or `position`), and the frame sets its own.
      const dir = isRtl(this.language) ? 'rtl' : 'ltr';
      this.countdown = h('span', { class: 'visually-hidden', role: 'status', dir });
      this.unreadStatus = h('span', { class: 'visually-hidden', role: 'status', id: 'unread', dir });
      this.renderRoot.append(h('div', { class: 'root', lang: this.language }, h('div', { class: 'bar', dir }, this.quickExit, this.launcher), this.panel, this.countdown, this.unreadStatus));
    }
    setText(this.quickExit!, this.quickExitLabel || this.strings.quickExit);
    setText(this.launcher.firstChild!, this.launcherLabel || this.strings.launcher);
    this.quickExit!.setAttribute('href', this.exitHref);
    this.launcher.setAttribute('aria-expanded', String(this.open));
    this.panel!.hidden = !this.open && !this.inline;
    setText(this.countdown!, this.shiftExit.announcement);
    setText(this.unreadStatus!, this.unread ? format(this.language, this.strings.unread, { count: this.unread }) : '');
    this.renderBadge(this.launcher);
    this.renderFrame(this.panel!);
    this.renderOverlay();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kindred-chat': KindredChat;
  }
}
