// SPDX-License-Identifier: Apache-2.0
/**
 * A token bucket: it holds at most `capacity` tokens and gains `perSecond` of them every
 * second; each action takes one (or `cost`). A full bucket is the burst allowed at once, the
 * refill rate is what can be kept up. It holds two numbers and no timer, so one per connection
 * costs nothing while the connection is quiet.
 */

/** How big a burst may be, and what may be sustained. */
export interface Rate {
  readonly capacity: number;
  readonly perSecond: number;
}

export class TokenBucket {
  readonly #rate: Rate;
  readonly #now: () => number;
  #tokens: number;
  #updatedAt: number;

  /**
   * Starts full. `now` is in milliseconds and defaults to a monotonic clock, so a change of
   * the wall clock neither empties nor refills anyone's bucket.
   */
  constructor(rate: Rate, now: () => number = () => performance.now()) {
    this.#rate = rate;
    this.#now = now;
    this.#tokens = rate.capacity;
    this.#updatedAt = now();
  }

  /** Takes `cost` tokens when there are that many and says so; otherwise takes nothing. */
  take(cost = 1): boolean {
    const now = this.#now();
    const gained = ((now - this.#updatedAt) / 1000) * this.#rate.perSecond;
    this.#tokens = Math.min(this.#rate.capacity, this.#tokens + gained);
    this.#updatedAt = now;
    if (this.#tokens < cost) return false;
    this.#tokens -= cost;
    return true;
  }
}
