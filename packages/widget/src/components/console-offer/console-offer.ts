// SPDX-License-Identifier: Apache-2.0
/**
 * A survivor offered to this peer (`offer:made`), in the console: who, what they chose, how
 * long they have waited, a countdown, and Accept / Decline. A controller that owns the offer and
 * its clock, and a render function that draws it in the console's own shadow root (like the
 * resource card), so its buttons are found, focused and tested like the console's others.
 *
 * Accessibility, and why:
 * - Focus is never moved to an offer: the peer may be writing to another survivor, and their
 *   words must not land in a button (WCAG 3.2.2, no change of context on its own). The offer
 *   comes first in the side column instead, before the waiting list, one Tab from the top.
 * - Its arrival is announced at once (an assertive live region: it will not wait its turn
 *   behind a long message being read), with the survivor's pseudonym, their choices and the
 *   time to answer. The countdown is visible and updates each second on screen, but is
 *   announced only once more, politely, ten seconds before the end: a screen reader reading
 *   every second would drown everything else.
 * - The time limit is the one part of an offer that cannot be extended (WCAG 2.2.1 allows it
 *   for real-time events): the survivor is waiting. Nothing is lost when it runs out: the
 *   survivor stays in the waiting list, where Accept still works.
 * - Accept and Decline name the survivor to screen readers ("Accept Robin Hood 12").
 */
import type { Offer, QueueEntry, Topic } from '@kindred/protocol';
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { strings } from '../../internal/strings-console.js';
import { languageName, topicLabel } from '../topic-choice/topic-choice.js';

/** When the countdown is announced once more, in seconds before the end. */
export const reminderSeconds = 10;

/** A peer's entry or offer with its shape checked; undefined when it is not one. */
export function parseOffer(value: unknown): Offer | undefined {
  const offer = value as Partial<Offer> | null;
  if (typeof offer !== 'object' || offer === null) return undefined;
  const { ticket, survivorName, waitedMs, expiresInMs, topic, language } = offer;
  if (typeof ticket !== 'string' || typeof survivorName !== 'string' || typeof expiresInMs !== 'number' || !(expiresInMs > 0)) return undefined;
  return {
    ticket,
    survivorName: survivorName.slice(0, 40),
    waitedMs: typeof waitedMs === 'number' && waitedMs >= 0 ? waitedMs : 0,
    expiresInMs: Math.min(expiresInMs, 600_000),
    matches: offer.matches !== false,
    ...(typeof topic === 'string' ? { topic } : {}),
    ...(typeof language === 'string' ? { language } : {}),
  };
}

/**
 * What the survivor chose, as the peer reads it: "After an injury · Spanish" (the topic's label
 * and the language's name in the console's language), or '' when they chose nothing.
 */
export function choiceText(entry: Pick<QueueEntry, 'topic' | 'language'>, topics: readonly Topic[], language: string): string {
  const topic = entry.topic === undefined ? undefined : topics.find((each) => each.id === entry.topic);
  const parts = [topic ? topicLabel(topic, language) : entry.topic, entry.language === undefined ? undefined : languageName(entry.language, language)];
  return parts.filter(Boolean).join(' · ');
}

/** The offer on screen, its countdown, and what to announce. */
export class OfferController implements ReactiveController {
  /** The offer shown, if any. */
  offer: Offer | undefined;
  /** Said once when an offer arrives (assertive). */
  arrival = '';
  /** Said once, politely, near the end of the countdown. */
  reminder = '';
  #endsAt = 0;
  #clock: ReturnType<typeof setInterval> | undefined;
  readonly #host: ReactiveControllerHost;
  readonly #ranOut: (offer: Offer) => void;

  /** `ranOut` is called when the countdown ends here (the relay says so too, but may be late or gone). */
  constructor(host: ReactiveControllerHost, ranOut: (offer: Offer) => void) {
    this.#host = host;
    this.#ranOut = ranOut;
    host.addController(this);
  }

  /** Whole seconds left to answer, as shown. */
  get secondsLeft(): number {
    return Math.max(0, Math.ceil((this.#endsAt - Date.now()) / 1000));
  }

  /** Shows an offer from the relay (`offer:made`); `announce` is what the arrival says besides the countdown. */
  show(value: unknown, announce: (offer: Offer) => string): void {
    const offer = parseOffer(value);
    if (!offer) return;
    this.offer = offer;
    this.#endsAt = Date.now() + offer.expiresInMs;
    this.reminder = '';
    this.arrival = `${announce(offer)} ${strings.offerCountdown({ seconds: this.secondsLeft })}`;
    clearInterval(this.#clock);
    this.#clock = setInterval(() => this.#tick(), 1_000);
    this.#host.requestUpdate();
  }

  /** Takes the offer off screen (answered, withdrawn, or nobody there to answer it); returns it if it was `ticket`'s (or any, without one). */
  clear(ticket?: string): Offer | undefined {
    const offer = this.offer;
    if (!offer || (ticket !== undefined && offer.ticket !== ticket)) return undefined;
    clearInterval(this.#clock);
    this.#clock = undefined;
    this.offer = undefined;
    this.arrival = '';
    this.reminder = '';
    this.#host.requestUpdate();
    return offer;
  }

  hostDisconnected(): void {
    clearInterval(this.#clock);
    this.#clock = undefined;
  }

  #tick(): void {
    const offer = this.offer;
    if (!offer) return;
    const left = this.secondsLeft;
    if (left === 0) {
      this.clear();
      this.#ranOut(offer);
      return;
    }
    if (left === reminderSeconds && offer.expiresInMs > (reminderSeconds + 5) * 1000) {
      this.reminder = `${strings.offerFor({ name: offer.survivorName })} ${strings.offerCountdown({ seconds: left })}`;
    }
    this.#host.requestUpdate();
  }
}

/** What the offer needs from the console: labels, and what to do on each button. */
export interface OfferView {
  topics: readonly Topic[];
  language: string;
  onAccept: (ticket: string) => void;
  onDecline: (ticket: string) => void;
}

/**
 * The offer (nothing while there is none) and its two live regions, which stay in the page
 * while on duty so that what is put in them is announced.
 */
export function renderOffer(controller: OfferController, view: OfferView) {
  const offer = controller.offer;
  const details = offer ? choiceText(offer, view.topics, view.language) : '';
  return html`<p class="visually-hidden" aria-live="assertive">${controller.arrival}</p>
    <p class="visually-hidden" aria-live="polite">${controller.reminder}</p>
    ${offer
      ? html`<section class="offer" aria-labelledby="offer-heading">
          <h2 id="offer-heading">${strings.offerHeading}</h2>
          <p class="offer-who">${strings.offerFor({ name: offer.survivorName })}</p>
          <p class="offer-details">
            ${details ? html`${details} · ` : nothing}${strings.waitedFor({ minutes: Math.floor(offer.waitedMs / 60_000) })}
          </p>
          <p class="offer-countdown">${strings.offerCountdown({ seconds: controller.secondsLeft })}</p>
          <div class="actions">
            <button type="button" @click=${() => view.onAccept(offer.ticket)}>
              ${strings.acceptShort}<span class="visually-hidden"> ${offer.survivorName}</span>
            </button>
            <button type="button" class="secondary" @click=${() => view.onDecline(offer.ticket)}>
              ${strings.declineShort}<span class="visually-hidden"> ${offer.survivorName}</span>
            </button>
          </div>
        </section>`
      : nothing}`;
}
