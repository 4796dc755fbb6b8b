// SPDX-License-Identifier: Apache-2.0
/**
 * The gate every inbound event passes. A request is `emit(event, payload, ack)` and nothing
 * else: a known event name, one plain-object payload that matches the event's schema, and an
 * acknowledgement callback. A signal (`signalEvents`: typing, read marks) is `emit(event,
 * payload)` with no callback. Anything else is answered with an error code (when there is a
 * callback to answer; otherwise dropped) and changes nothing. A handler that throws answers
 * `internal` and the relay, and every other chat, carries on.
 *
 * Before any of that, every event spends a token from the connection's request limits
 * (guard/request-guard.ts): over them a request is answered `rate-limited` and a signal is
 * dropped, and a connection that keeps on is closed.
 */
import { fail, parsePayload, signalEvents, type Ack, type AckCallback } from '@kindred/protocol';
import type * as v from 'valibot';
import type { Socket } from 'socket.io';
import { createRequestGuard } from '../guard/request-guard.js';
import type { Logger } from '../log.js';

/** A handler after validation: typed payload in, acknowledgement out (signals: nothing out). */
export type Handler<S extends v.GenericSchema, T> = (payload: v.InferOutput<S>) => Ack<T> | Promise<Ack<T>> | void;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Registers `handlers` on `socket`, each validated against its schema in `schemas`, and refuses
 * every event that is not among them.
 */
export function serve<M extends Record<string, v.GenericSchema>>(
  typedSocket: Socket<never, never>,
  schemas: M,
  handlers: { [K in keyof M]: Handler<M[K], unknown> },
  log: Logger,
): void {
  // The gate sits below the typed event maps: it is what makes the payloads fit them.
  const socket = typedSocket as unknown as Socket;
  const requestLimits = createRequestGuard();
  // One listener for every event, here in the gate, rather than a `socket.on` per event per
  // connection: the per-connection closures and listener arrays were most of what a connection
  // cost beyond bare Socket.IO's (BENCHMARKS.md). Socket.IO hands each inbound event to this
  // middleware first; it never calls `next`, so no other listener sees an inbound event.
  socket.use(([event, ...args]) => {
    const ack = args.at(-1);
    const answer = typeof ack === 'function' ? (ack as AckCallback<unknown>) : undefined;
    // First, before any work on the payload: unknown events and bad payloads cost a token too.
    const verdict = requestLimits.check(event);
    if (verdict !== 'pass') {
      answer?.(fail('rate-limited'));
      if (verdict === 'disconnect') {
        log.info('connection-flooding');
        socket.disconnect(true);
      }
      return;
    }
    if (!Object.hasOwn(schemas, event)) {
      answer?.(fail('event-unknown'));
      return;
    }
    if (signalEvents.has(event)) {
      // A signal has exactly one payload and nobody to answer: anything else is dropped.
      if (args.length === 1 && !answer) void run(event, args[0], undefined);
      else answer?.(fail('payload-invalid'));
      return;
    }
    // Without a callback there is no one to answer: the request is dropped unanswered.
    if (!answer) return;
    if (args.length !== 2) {
      answer(fail('payload-invalid'));
      return;
    }
    void run(event, args[0], answer);
  });

  /** Validates one event's payload against its schema and runs its handler; a request is answered, a signal is not. */
  async function run(event: string, payload: unknown, ack: AckCallback<unknown> | undefined): Promise<void> {
    // The schema and its handler share a key, so the payload the schema outputs is the one the handler takes.
    const schema = schemas[event] as v.GenericSchema;
    const handler = handlers[event] as Handler<v.GenericSchema, unknown>;
    const input = isPlainObject(payload) ? parsePayload(schema, payload) : undefined;
    if (input === undefined) {
      ack?.(fail('payload-invalid'));
      return;
    }
    try {
      const answer = await handler(input);
      if (ack && answer) ack(answer);
    } catch {
      // The error itself is not logged: its message could quote the payload.
      log.error('handler-failed');
      ack?.(fail('internal'));
    }
  }
}
