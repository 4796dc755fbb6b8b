// SPDX-License-Identifier: Apache-2.0
import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'socket.io';

/**
 * Whether a browser connection may use the relay: its `Origin` is the relay's own (same host
 * as the request was sent to) or one of the configured hospital origins, exactly. A request
 * with no Origin is refused: every browser sends one on a websocket, so only a tool would not.
 */
export function originAllowed(headers: IncomingHttpHeaders, allowed: readonly string[]): boolean {
  const origin = headers.origin;
  if (typeof origin !== 'string') return false;
  if (allowed.includes(origin)) return true;
  try {
    const url = new URL(origin);
    return url.origin === origin && url.host === headers.host?.toLowerCase();
  } catch {
    return false;
  }
}

/** Namespace middleware refusing connections whose origin is not allowed, with `origin-refused`. */
export function originGuard(allowed: readonly string[]) {
  return (socket: Socket, next: (error?: Error) => void): void => {
    next(originAllowed(socket.request.headers, allowed) ? undefined : new Error('origin-refused'));
  };
}
