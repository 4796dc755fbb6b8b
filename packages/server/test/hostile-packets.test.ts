// SPDX-License-Identifier: Apache-2.0
/**
 * Hostile packets, below what socket.io-client would ever send. PROTECTS the relay, and every
 * chat on it, from one client that writes Socket.IO packets by hand: reserved and unknown
 * event names, prototype-pollution keys, wrong types, oversize strings, deep nesting, and
 * binary attachments with lying counts or broken placeholders.
 *
 * Each row is one raw websocket sending one thing. Its answer is either an error code (the
 * gate answered) or the connection closed (socket.io's parser refused the packet outright);
 * a row says which, so a change in either direction is noticed. Throughout, a survivor and a
 * peer chat on the same relay, this process must see no uncaught exception, and afterwards
 * that chat still carries a message both ways and a new survivor can still connect.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { limits, type ErrorCode } from '@kindred/protocol';
import { io } from 'socket.io-client';
import { hospital, startRelay } from './helpers.js';
import { box } from './box.js';
import { assertStillChatting, bystanders, codeOf, outcome, rawNamespace, rawSocket, watchForCrashes, type Outcome } from './raw.js';

/** Each packet is sent as a request with acknowledgement id 1 unless the row says otherwise. */
interface Row {
  title: string;
  /** Websocket frames, in order: engine.io text packets, or Buffers for binary attachments. */
  frames: (string | Buffer)[];
  expected: ErrorCode | 'closed';
}

const ns = '/survivor';
const send = (event: unknown, ...args: unknown[]) => `42${ns},1${JSON.stringify([event, ...args])}`;
// Raw text, for JSON that JSON.stringify would not write (own __proto__ keys, deep nesting).
const sendRaw = (body: string) => `42${ns},1[${body}]`;
const binary = (attachments: number | string, body: string) => `45${attachments}-${ns},1[${body}]`;
const attachment = Buffer.from('an attachment');

const rows: Row[] = [
  // Reserved names. socket.io-parser refuses these in any EVENT packet (they would fire the
  // socket's own lifecycle events), which is a protocol error: the connection closes.
  ...['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'].map(
    (name): Row => ({ title: `reserved event name "${name}"`, frames: [send(name, {})], expected: 'closed' }),
  ),
  // Names the parser lets through meet the gate, which knows only this namespace's events.
  ...['error', '__proto__', 'constructor', 'hasOwnProperty', 'toString', 'valueOf', 'duty:set', 'session:ready', 'x'.repeat(2_000)].map(
    (name): Row => ({ title: `event name "${name.slice(0, 30)}"`, frames: [send(name, {})], expected: 'event-unknown' }),
  ),
  { title: 'a number for an event name', frames: [send(7, {})], expected: 'event-unknown' },
  { title: 'an object for an event name', frames: [send({ toString: 'chat:start' }, {})], expected: 'closed' },
  { title: 'an array for an event name', frames: [send(['chat:start'], {})], expected: 'closed' },
  { title: 'no event name at all', frames: [`42${ns},1[]`], expected: 'closed' },

  // Prototype pollution: JSON.parse makes "__proto__" an own key, which strict schemas refuse.
  { title: '__proto__ key in a message', frames: [sendRaw('"message:send",{"__proto__":{"polluted":"yes"},"id":"a","seq":1,"box":"aGk"}')], expected: 'payload-invalid' },
  { title: '__proto__ carrying an answer to the safety question', frames: [sendRaw('"chat:start",{"__proto__":{"safety":"unsafe"}}')], expected: 'payload-invalid' },
  { title: 'constructor.prototype key', frames: [send('chat:start', { constructor: { prototype: { polluted: 'yes' } } })], expected: 'payload-invalid' },
  { title: '__proto__ as the whole payload', frames: [sendRaw('"chat:end",{"__proto__":null}')], expected: 'payload-invalid' },

  // Wrong types and shapes.
  ...([['a string', 'chat:start'], ['a number', 7], ['null', null], ['true', true], ['an array', [{}]]] as const).map(
    ([title, payload]): Row => ({ title: `${title} for a payload`, frames: [send('chat:start', payload)], expected: 'payload-invalid' }),
  ),
  { title: 'no payload, only the callback', frames: [send('chat:start')], expected: 'payload-invalid' },
  { title: 'two payloads', frames: [send('chat:start', {}, {})], expected: 'payload-invalid' },
  { title: 'seq as a string', frames: [send('message:send', { id: 'a', seq: '1', box: box('hi') })], expected: 'payload-invalid' },
  { title: 'seq beyond 2^31', frames: [send('message:send', { id: 'a', seq: 2 ** 53, box: box('hi') })], expected: 'payload-invalid' },
  { title: 'box as an object with toString', frames: [send('message:send', { id: 'a', seq: 1, box: { toString: 'hi' } })], expected: 'payload-invalid' },
  { title: 'a signal with a callback', frames: [send('typing:set', { typing: true })], expected: 'payload-invalid' },

  // Oversize strings within the packet limit, and a packet beyond it.
  { title: `a box of ${limits.box + 1} characters`, frames: [send('message:send', { id: 'a', seq: 1, box: 'x'.repeat(limits.box + 1) })], expected: 'payload-invalid' },
  { title: `an id of ${limits.messageId + 1} characters`, frames: [send('message:send', { id: 'a'.repeat(limits.messageId + 1), seq: 1, box: box('hi') })], expected: 'payload-invalid' },
  { title: 'a 6,000-character key', frames: [send('chat:start', { ['k'.repeat(6_000)]: 1 })], expected: 'payload-invalid' },
  { title: 'a packet over the size limit', frames: [send('message:send', { id: 'a', seq: 1, box: 'x'.repeat(limits.packetBytes) })], expected: 'closed' },

  // Deep nesting: as deep as fits in the 8 KB packet limit (two bytes a level), and deeper.
  { title: '4,000 nested arrays as the payload', frames: [sendRaw(`"chat:start",${'['.repeat(4_000)}${']'.repeat(4_000)}`)], expected: 'payload-invalid' },
  { title: '4,000 nested arrays as the box', frames: [sendRaw(`"message:send",{"id":"a","seq":1,"box":${'['.repeat(4_000)}${']'.repeat(4_000)}}`)], expected: 'payload-invalid' },
  { title: '1,300 nested objects', frames: [sendRaw(`"chat:start",${'{"a":'.repeat(1_300)}1${'}'.repeat(1_300)}`)], expected: 'payload-invalid' },
  { title: '4,000 nested arrays as the event name', frames: [sendRaw(`${'['.repeat(4_000)}${']'.repeat(4_000)}`)], expected: 'closed' },
  { title: '6,000 nested arrays: more than a packet holds', frames: [sendRaw(`"chat:start",${'['.repeat(6_000)}${']'.repeat(6_000)}`)], expected: 'closed' },

  // Binary attachments. A well-formed one reaches the gate as a Buffer, which is never a payload.
  { title: 'a binary payload', frames: [binary(1, '"chat:start",{"_placeholder":true,"num":0}'), attachment], expected: 'payload-invalid' },
  { title: 'binary box in a message', frames: [binary(1, '"message:send",{"id":"a","seq":1,"box":{"_placeholder":true,"num":0}}'), attachment], expected: 'payload-invalid' },
  { title: 'binary nested 3,900 arrays deep', frames: [binary(1, `"chat:start",${'['.repeat(3_900)}{"_placeholder":true,"num":0}${']'.repeat(3_900)}`), attachment], expected: 'payload-invalid' },
  { title: 'a placeholder that is not one ("_placeholder" is a string)', frames: [binary(1, '"chat:start",{"_placeholder":"true","num":0}'), attachment], expected: 'payload-invalid' },
  // Broken placeholders and lying counts: socket.io-parser refuses them, the connection closes.
  ...([['"toString"', 'the name of an Array method'], ['-1', 'negative'], ['1', 'past the last attachment'], ['"0"', 'a string'], ['null', 'null']] as const).map(
    ([num, why]): Row => ({ title: `placeholder index ${why}`, frames: [binary(1, `"chat:start",{"_placeholder":true,"num":${num}}`), attachment], expected: 'closed' }),
  ),
  // A fraction passes the parser's range check and finds no attachment: the payload is undefined.
  { title: 'placeholder index a fraction', frames: [binary(1, '"chat:start",{"_placeholder":true,"num":0.5}'), attachment], expected: 'payload-invalid' },
  { title: 'a placeholder for the event name', frames: [binary(1, '{"_placeholder":true,"num":0},{}'), attachment], expected: 'closed' },
  { title: 'zero attachments announced', frames: [binary(0, '"chat:start",{}'), attachment], expected: 'closed' },
  { title: 'more attachments than allowed', frames: [binary(11, '"chat:start",{}'), attachment], expected: 'closed' },
  { title: 'an attachment count that is not a number', frames: [binary('x', '"chat:start",{}'), attachment], expected: 'closed' },
  { title: 'an attachment nobody announced', frames: [attachment], expected: 'closed' },
  { title: 'text while attachments are awaited', frames: [binary(2, '"chat:start",{"_placeholder":true,"num":0}'), attachment, send('chat:start', {})], expected: 'closed' },

  // Packets that are not events.
  { title: 'a second CONNECT to a namespace already joined', frames: [`40${ns},{}`], expected: 'closed' },
  { title: 'an unknown packet type', frames: [`49${ns},1["chat:start",{}]`], expected: 'closed' },
];

test('every hostile packet is answered with an error code or a closed connection, and the relay carries on', { timeout: 120_000 }, async () => {
  const crashes = watchForCrashes();
  // Every row opens its own connection from this one address: above the per-address limit.
  const relay = await startRelay({ connectionsPerMinute: 1_000 });
  const chat = await bystanders(relay);

  for (const row of rows) {
    const socket = await rawNamespace(relay, ns);
    for (const frame of row.frames) socket.send(frame);
    const result: Outcome = await outcome(socket, ns, 1);
    const got = 'closed' in result ? 'closed' : (codeOf(result) ?? JSON.stringify(result.answer));
    assert.equal(got, row.expected, row.title);
    socket.close();
  }

  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was not polluted');
  assert.equal(({} as Record<string, unknown>).safety, undefined, 'Object.prototype was not polluted');
  crashes.assertNone();
  await assertStillChatting(relay, chat);
});

test('a handshake whose auth pollutes or is not an object is refused, and the relay carries on', async () => {
  const crashes = watchForCrashes();
  const relay = await startRelay({ connectionsPerMinute: 1_000 });
  const chat = await bystanders(relay);
  for (const auth of ['{"__proto__":{"resume":"AAAAAAAAAAAAAAAAAAAAAA"}}', '{"resume":{"toString":"x"}}', '[]', '"x"', `${'['.repeat(4_000)}${']'.repeat(4_000)}`]) {
    const socket = await rawSocket(relay);
    socket.send(`40${ns},${auth}`);
    const answer = await socket
      .next((frame) => frame.startsWith(`44${ns},`) || frame.startsWith(`40${ns},`))
      .catch((error: Error) => (socket.isClosed() ? 'closed' : Promise.reject(error)));
    assert.ok(answer === 'closed' || answer.startsWith(`44${ns},`), `refused: ${auth.slice(0, 40)} → ${answer.slice(0, 60)}`);
    socket.close();
  }
  assert.equal(({} as Record<string, unknown>).resume, undefined, 'Object.prototype was not polluted');
  crashes.assertNone();
  await assertStillChatting(relay, chat);
});

test('binary payloads from socket.io-client are refused as payloads, and the relay carries on', async () => {
  const crashes = watchForCrashes();
  const relay = await startRelay();
  const chat = await bystanders(relay);
  const sam = io(relay.url + ns, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { origin: hospital } });
  await new Promise<void>((resolve, reject) => {
    sam.once('connect', () => resolve());
    sam.once('connect_error', reject);
  });
  const payloads: [string, unknown][] = [
    ['a Buffer', Buffer.from('hello')],
    ['an ArrayBuffer', new ArrayBuffer(16)],
    ['a Uint8Array', new Uint8Array([1, 2, 3])],
    ['an object with a Buffer inside', { safety: Buffer.from('unsafe') }],
    ['ten attachments', { safety: Array.from({ length: 10 }, () => Buffer.alloc(1)) }],
  ];
  for (const [title, payload] of payloads) {
    const ack = (await sam.timeout(3_000).emitWithAck('chat:start', payload)) as { ok: boolean; error?: { code: string } };
    assert.equal(ack.error?.code, 'payload-invalid', title);
  }
  // A signal carrying binary is dropped without an answer; the connection carries on.
  sam.emit('typing:set', Buffer.from('typing'));
  const after = (await sam.timeout(3_000).emitWithAck('chat:start', {})) as { ok: boolean };
  assert.equal(after.ok, true, 'the same connection still starts a chat');
  sam.disconnect();
  crashes.assertNone();
  await assertStillChatting(relay, chat);
});
