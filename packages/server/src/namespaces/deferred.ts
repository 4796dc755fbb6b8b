// SPDX-License-Identifier: Apache-2.0
/**
 * Handlers for a connection whose session is still being taken (a state operation, which in
 * Redis is a round trip). The gate (handlers/handler.ts) registers every handler the moment
 * the connection opens, so nothing a client sends early is lost: each one waits for the session,
 * then runs. A state that cannot reach its store answers `unavailable`.
 */
import { fail, type Ack } from '@kindred/protocol';
import type { Logger } from '../log.js';
import { StateUnavailableError } from '../state/state.js';

/** A request: answered with the handler's acknowledgement, or `unavailable`. */
export function deferRequest<H, P, T>(session: Promise<H>, make: (handle: H) => (payload: P) => Promise<Ack<T>>) {
  return async (payload: P): Promise<Ack<T>> => {
    try {
      return await make(await session)(payload);
    } catch (error) {
      if (error instanceof StateUnavailableError) return fail('unavailable');
      throw error;
    }
  };
}

/** A signal: nobody to answer, and one lost costs nothing (the next typing mark or read mark repeats it). */
export function deferSignal<H, P>(session: Promise<H>, make: (handle: H) => (payload: P) => Promise<void>, log: Logger) {
  return (payload: P): void => {
    session
      .then((handle) => make(handle)(payload))
      .catch((error: unknown) => {
        // The error itself is not logged: its message could quote the payload.
        if (!(error instanceof StateUnavailableError)) log.error('handler-failed');
      });
  };
}
