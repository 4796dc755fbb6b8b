// SPDX-License-Identifier: Apache-2.0
/**
 * Property-based fuzzing of every event of both namespaces. PROTECTS the relay's one promise to
 * a client, whatever it sends: a request (an event with a callback) is answered, always, with
 * `{ ok: true, data }` or a known error code and that code's fixed message; nothing hangs,
 * nothing closes the connection, nothing escapes as an exception; and other chats carry on.
 *
 * Each run pairs a real survivor with a real signed-in, on-duty peer (real socket.io-client
 * connections, real relay) and sends a sequence of events from both: valid payloads, valid
 * payloads mutated (a field of the wrong type, a field missing, an extra or prototype key, an
 * oversize string), and arbitrary values (fast-check's `anything`, with typed arrays so some
 * go as binary attachments), with and without a callback, plus unknown event names. A chat
 * paired before the fuzzing starts must still carry a message both ways at the end.
 *
 * A failure prints fast-check's seed and the shrunk sequence; replay it with `{ seed, path }`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorCodes, isErrorCode, limits, peerSchemas, survivorSchemas } from '@kindred/protocol';
import fc from 'fast-check';
import type { Socket } from 'socket.io-client';
// socket.io-client's own encoder, to keep to what the client can actually send.
import { Encoder, PacketType } from 'socket.io-parser';
import { defaultHospital } from '../src/config.js';
import { pair, request, startRelay } from './helpers.js';
import { assertStillChatting, bystanders, watchForCrashes } from './raw.js';

type Side = 'survivor' | 'peer';
type Payload = Record<string, unknown>;
interface Command {
  side: Side;
  event: string;
  payload: unknown;
  ack: boolean;
}

/** Stands for the run's real chat id, which only exists once the run has paired its two people. */
const thisChat = '<this chat>';

const opaqueId = fc.stringMatching(/^[A-Za-z0-9_-]{22}$/);
const messageId = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
const seq = fc.integer({ min: 1, max: limits.seq - 1 });
const box = fc.stringMatching(/^[A-Za-z0-9_-]{1,120}$/);
const keys = fc.record({ p256: fc.stringMatching(/^[A-Za-z0-9_-]{87}$/), x25519: fc.stringMatching(/^[A-Za-z0-9_-]{43}$/) }, { requiredKeys: ['p256'] });
const chatId = fc.oneof(fc.constant(thisChat), opaqueId);

/** A valid payload for every event; the test checks this covers every event of the protocol. */
const valid: Record<Side, Record<string, fc.Arbitrary<Payload>>> = {
  survivor: {
    'chat:start': fc.oneof(
      fc.constant({}),
      fc.record({ safety: fc.constantFrom('safe', 'unsafe', 'unsure') }),
      fc.record({ topic: fc.stringMatching(/^[a-z0-9-]{1,40}$/), language: fc.constantFrom('en', 'es', 'pt-BR', 'ar') }, { requiredKeys: [] }),
    ),
    'chat:end': fc.constant({}),
    'message:send': fc.record({ id: messageId, seq, box }),
    'message:read': fc.record({ seq }),
    'typing:set': fc.record({ typing: fc.boolean() }),
    'key:offer': fc.record({ keys }),
    'feedback:send': fc.record({ helped: fc.boolean() }),
  },
  peer: {
    'duty:set': fc.record({ onDuty: fc.boolean(), onBreak: fc.boolean() }, { requiredKeys: ['onDuty'] }),
    'chat:accept': fc.record({ ticket: opaqueId }),
    'chat:end': fc.record({ chatId }),
    'message:send': fc.record({ chatId, id: messageId, seq, box }),
    'message:read': fc.record({ chatId, seq }),
    'typing:set': fc.record({ chatId, typing: fc.boolean() }),
    'resource:share': fc.record({ chatId, id: messageId, seq, box }),
    'key:answer': fc.record({ chatId, keys, offer: keys }),
    'offer:decline': fc.record({ ticket: opaqueId }),
    'colleagues:list': fc.constant({}),
    'chat:transfer': fc.record({ chatId, to: opaqueId, note: fc.string({ maxLength: 500 }) }, { requiredKeys: ['chatId', 'to'] }),
    'chat:block': fc.record({ chatId }),
    'chat:escalate': fc.record({ chatId }),
    'supervision:join': fc.record({ chatId }),
    'supervision:leave': fc.record({ chatId }),
    'supervision:key': fc.record({ chatId, keys, offer: keys }, { requiredKeys: ['chatId', 'keys'] }),
    'supervision:send': fc.record({ chatId, id: messageId, seq, box }),
  },
};

const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'toJSON', 'then');
const anything = fc.anything({
  maxDepth: 3,
  key: fc.oneof(fc.string({ maxLength: 12 }), hostileKey, fc.constantFrom('chatId', 'id', 'seq', 'box', 'keys', 'typing')),
  withBoxedValues: true,
  withNullPrototype: true,
  withObjectString: true,
  withTypedArray: true,
  withSparseArray: true,
  withDate: true,
});

/** Sets an own property, even one named `__proto__` (plain assignment would set the prototype). */
function withOwn(payload: Payload, key: string, value: unknown): Payload {
  const copy = { ...payload };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** A valid payload with one thing wrong. */
function mutated(base: fc.Arbitrary<Payload>): fc.Arbitrary<Payload> {
  return fc.tuple(base, fc.nat(), anything, hostileKey, fc.integer({ min: 1, max: 2_000 })).chain(([payload, pick, value, key, extra]) => {
    const keys = Object.keys(payload);
    const chosen = keys.length > 0 ? keys[pick % keys.length]! : 'x';
    const { [chosen]: _dropped, ...missing } = payload;
    return fc.constantFrom<Payload>(
      withOwn(payload, chosen, value), // the wrong type
      missing, // a field missing
      withOwn(payload, key, value), // a prototype key
      withOwn(payload, `extra${pick % 3}`, value), // an unknown key
      withOwn(payload, chosen, 'x'.repeat(limits.box + extra)), // an oversize string
    );
  });
}

/**
 * Whether socket.io-client can send `payload` inside what the transport allows: its encoder
 * does not throw (an object whose prototype is a Date, say, never leaves this process), the
 * packet stays under limits.packetBytes and it has at most 10 attachments. Beyond those limits
 * socket.io closes the connection by design, which hostile-packets.test.ts covers.
 */
function sendable(payload: unknown): boolean {
  try {
    const [text, ...attachments] = new Encoder().encode({ type: PacketType.EVENT, nsp: '/survivor', id: 1, data: ['message:send', payload] });
    const bytes = (part: unknown) => (typeof part === 'string' ? Buffer.byteLength(part) : (part as ArrayBufferLike).byteLength);
    return attachments.length <= 10 && [text, ...attachments].every((part) => bytes(part) < limits.packetBytes - 500);
  } catch {
    return false;
  }
}

/** Payloads for one event: valid, valid with one thing wrong, or anything at all. */
function payloads(base: fc.Arbitrary<Payload>): fc.Arbitrary<unknown> {
  return fc
    .oneof({ arbitrary: base, weight: 1 }, { arbitrary: mutated(base), weight: 3 }, { arbitrary: anything, weight: 1 })
    .filter(sendable);
}

// socket.io-client itself refuses to emit these; hostile-packets.test.ts sends them raw.
const clientReserved = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);

function commands(side: Side): fc.Arbitrary<Command>[] {
  const known = Object.entries(valid[side]).map(([event, base]) =>
    fc.record({ side: fc.constant(side), event: fc.constant(event), payload: payloads(base), ack: fc.boolean() }),
  );
  const otherSide = Object.keys(valid[side === 'survivor' ? 'peer' : 'survivor']);
  const unknownEvent = fc
    .oneof(fc.constantFrom('sync:probe', 'chat:delete', 'queue:updated', 'error', '__proto__', 'constructor', 'toString', ...otherSide), fc.string({ maxLength: 30 }))
    .filter((event) => !Object.hasOwn(valid[side], event) && !clientReserved.has(event));
  // Filtered like the known events' payloads: one the client cannot even encode is a failure of
  // the generator, not of the relay (seen with an object whose prototype is a Date).
  const unknown = fc.record({ side: fc.constant(side), event: unknownEvent, payload: anything.filter(sendable), ack: fc.boolean() });
  return [...known, unknown];
}

/** Puts the run's real chat id where a payload says `thisChat`. */
function materialize(payload: unknown, realChatId: string): unknown {
  if (typeof payload !== 'object' || payload === null || (payload as Payload).chatId !== thisChat) return payload;
  return withOwn(payload as Payload, 'chatId', realChatId);
}

/** The one shape every acknowledgement takes. */
function assertAnswer(answer: unknown, command: Command): void {
  const where = `${command.side} ${command.event}`;
  assert.equal(typeof answer, 'object', `${where}: an object`);
  const ack = answer as { ok?: unknown; data?: unknown; error?: { code?: unknown; message?: unknown } };
  if (ack.ok === true) {
    // `data` is absent on the wire when it is undefined (JSON drops it).
    assert.ok(Object.keys(ack).every((key) => key === 'ok' || key === 'data'), `${where}: { ok, data }`);
    return;
  }
  assert.equal(ack.ok, false, `${where}: ok is true or false`);
  assert.ok(isErrorCode(ack.error?.code), `${where}: a known error code, got ${String(ack.error?.code)}`);
  assert.equal(ack.error.message, errorCodes[ack.error.code], `${where}: the code's own message`);
}

test('every event of both namespaces, fuzzed: always a known answer, never a hang, and other chats carry on', { timeout: 180_000 }, async () => {
  assert.deepEqual(Object.keys(valid.survivor).sort(), Object.keys(survivorSchemas).sort(), 'every survivor event is fuzzed');
  assert.deepEqual(Object.keys(valid.peer).sort(), Object.keys(peerSchemas).sort(), 'every peer event is fuzzed');

  const crashes = watchForCrashes();
  const relay = await startRelay({
    // Each run opens two connections from this one address.
    connectionsPerMinute: 10_000,
    hospital: { ...defaultHospital, resources: [{ id: 'helpline', name: 'Helpline' }] },
  });
  const chat = await bystanders(relay);
  let runs = 0;

  await fc.assert(
    fc.asyncProperty(fc.array(fc.oneof(...commands('survivor'), ...commands('peer')), { minLength: 1, maxLength: 12 }), async (sequence) => {
      runs += 1;
      const pairing = await pair(relay);
      const sockets: Record<Side, Socket> = { survivor: pairing.survivor, peer: pairing.peer };
      try {
        for (const command of sequence) {
          const socket = sockets[command.side];
          const payload = materialize(command.payload, pairing.chatId);
          if (!command.ack) {
            socket.emit(command.event, payload);
            continue;
          }
          let answer: unknown;
          try {
            answer = await socket.timeout(3_000).emitWithAck(command.event, payload);
          } catch {
            assert.fail(`${command.side} ${command.event}: no answer within 3 s (connected: ${socket.connected})`);
          }
          assertAnswer(answer, command);
        }
        // Nothing closed either connection, and both still answer.
        for (const side of ['survivor', 'peer'] as const) {
          assert.ok(sockets[side].connected, `the ${side}'s connection is still open`);
          const probe = await request(sockets[side], 'sync:probe', {});
          assert.equal(!probe.ok && probe.error.code, 'event-unknown', `the ${side}'s connection still answers`);
        }
      } finally {
        // Leave nobody waiting in the queue for the next run.
        await request(pairing.survivor, 'chat:end', {}).catch(() => undefined);
        pairing.survivor.disconnect();
        pairing.peer.disconnect();
      }
    }),
    { numRuns: 500, interruptAfterTimeLimit: 60_000, markInterruptAsFailure: false, includeErrorInReport: true },
  );

  assert.ok(runs >= 30, `enough runs happened (${runs})`);
  crashes.assertNone();
  await assertStillChatting(relay, chat);
});
