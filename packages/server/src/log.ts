// SPDX-License-Identifier: Apache-2.0
/**
 * The relay's only logger. It is allow-listed by construction: a line is one of the event names
 * below plus numeric or boolean fields, so it cannot carry message text, chat ids, tokens,
 * pseudonyms or addresses (privacy rule 1), whatever a caller passes by mistake.
 */
export type LogEvent =
  | 'relay-listening'
  | 'relay-closing'
  | 'relay-closed'
  | 'handler-failed'
  | 'connection-flooding'
  | 'redis-ready'
  | 'redis-unavailable'
  | 'redis-reply-invalid'
  | 'relay-lapsed'
  | 'config-invalid';

export type LogFields = Record<string, number | boolean>;

export interface Logger {
  info(event: LogEvent, fields?: LogFields): void;
  error(event: LogEvent, fields?: LogFields): void;
}

/** A logger that writes one JSON line per event to `write`; pass nothing to log nowhere. */
export function createLogger(write?: (line: string) => void): Logger {
  const emit = (level: 'info' | 'error', event: LogEvent, fields: LogFields = {}) => {
    if (!write) return;
    const safe: LogFields = {};
    for (const [key, value] of Object.entries(fields)) {
      if (typeof value === 'number' || typeof value === 'boolean') safe[key] = value;
    }
    write(JSON.stringify({ time: new Date().toISOString(), level, event, ...safe }));
  };
  return {
    info: (event, fields) => emit('info', event, fields),
    error: (event, fields) => emit('error', event, fields),
  };
}
