// SPDX-License-Identifier: Apache-2.0
import { errorCodes, type ErrorCode } from './codes.js';

/** The one shape every acknowledgement takes, success or failure. */
export type Ack<T = undefined> =
  | { ok: true; data: T }
  | { ok: false; error: { code: ErrorCode; message: string } };

/** The callback a client passes as the last argument of every request. */
export type AckCallback<T = undefined> = (ack: Ack<T>) => void;

/** A success acknowledgement. */
export function ok<T>(data: T): Ack<T> {
  return { ok: true, data };
}

/** A failure acknowledgement; the message comes from the code table, never from the request. */
export function fail(code: ErrorCode): Ack<never> {
  return { ok: false, error: { code, message: errorCodes[code] } };
}
