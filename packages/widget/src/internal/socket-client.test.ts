// SPDX-License-Identifier: Apache-2.0
/**
 * Our Socket.IO client against the real test relay (web-test-runner.config.mjs): the Socket.IO
 * server the widget talks to in production, on a real port, in real Chromium. PROTECTS what the
 * chat relies on when it left socket.io-client behind: the handshake carries the auth (never the
 * URL), a refusal or a relay's own DISCONNECT is final, a lost connection comes back with fresh
 * auth, nothing buffered is lost or reordered, requests get their own answer or fail in time, and
 * no malformed frame can break the socket.
 *
 * The page's WebSocket is wrapped (below) so a test can see every frame and play the network:
 * hold new connections down, lose an ack on the way, cut a connection. The client under test is
 * the shipped code, and a cut is a real `close` event from a real WebSocket. Only the ping timeout
 * uses a stand-in relay: the real one pings every 25 s and would take 45 s to count as silent.
 */
import { fail, namespaces } from '@kindred/protocol';
import { expect, waitUntil } from '@open-wc/testing';
import { testRelay, type TestRelay } from '../testing/harness.js';
import { openSocket, type SocketClient } from './socket-client.js';

const Native = WebSocket;
/** Every WebSocket this page has made, in order. */
const made: Tapped[] = [];
let held = false;
/** While set, acks (`43…`) from the relay are lost on the way and kept here instead. */
let lostAcks: string[] | undefined;

class Tapped extends Native {
  readonly address: string;
  readonly sent: string[] = [];
  readonly received: string[] = [];

  constructor(url: string | URL, protocols?: string | string[]) {
    // Held: as when the network is down, the connection fails (nobody listens on port 9).
    super(held ? 'ws://127.0.0.1:9/' : url, protocols);
    this.address = String(url);
    made.push(this);
    // Added before the client's own handler, so it runs first and can stop a frame.
    this.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') return;
      this.received.push(event.data);
      if (lostAcks && event.data.startsWith('43')) {
        lostAcks.push(event.data);
        event.stopImmediatePropagation();
      }
    });
  }

  override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
    if (typeof data === 'string') this.sent.push(data);
    super.send(data);
  }

  /** Delivers `data` as if it had come from the relay. */
  hear(data: unknown): void {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }
}
globalThis.WebSocket = Tapped;

const last = (): Tapped => made.at(-1)!;

/** What a socket told its listeners, in order. */
type Heard = Array<{ event: string; args: unknown[] }>;

const opened: SocketClient[] = [];

/** Opens a socket on the test relay and records what it hears (`also`: relay events too). */
function open(url: string, namespace: string, auth?: () => object, also: string[] = []): { socket: SocketClient; heard: Heard } {
  const socket = openSocket({ url, path: '/socket.io', namespace, auth });
  opened.push(socket);
  const heard: Heard = [];
  for (const event of ['connect', 'disconnect', 'connect_error', ...also]) socket.on(event, (...args: unknown[]) => heard.push({ event, args }));
  return { socket, heard };
}

const named = (heard: Heard, event: string) => heard.filter((each) => each.event === event);

async function heardOf(heard: Heard, event: string, count = 1, timeout = 8_000): Promise<unknown[]> {
  await waitUntil(() => named(heard, event).length >= count, `no ${event} (${count}); heard ${heard.map((each) => each.event).join(', ')}`, { timeout });
  return named(heard, event)[count - 1]!.args;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A request as a promise of `[error, ...ack args]`. */
function request(socket: SocketClient, event: string, payload: unknown, timeoutMs = 10_000): Promise<unknown[]> {
  return new Promise((resolve) => socket.request(event, payload, timeoutMs, (...args) => resolve(args)));
}

/** The relay's answer to an event it does not know: any request it gets answered, at once. */
const unknownEvent = fail('event-unknown');

describe('socket client (internal/socket-client.ts)', () => {
  let relay: TestRelay;

  before(async () => {
    relay = await testRelay();
  });

  afterEach(() => {
    held = false;
    lostAcks = undefined;
    for (const socket of opened.splice(0)) socket.disconnect();
  });

  it('connects to a namespace with its auth in the handshake, not the URL, and hears the relay’s events', async () => {
    const { socket, heard } = open(relay.url, namespaces.peer, () => ({ token: relay.token }), ['session:ready']);
    const [session] = await heardOf(heard, 'session:ready');
    expect(socket.connected).to.equal(true);
    expect(socket.active).to.equal(true);
    expect((session as { name?: unknown }).name, 'the relay signed us in with the token').to.equal('Robin');
    expect(named(heard, 'connect').length).to.equal(1);

    const ws = last();
    const port = new URL(relay.url).port;
    expect(ws.address).to.equal(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`);
    expect(ws.sent[0]).to.equal(`40/peer,${JSON.stringify({ token: relay.token })}`);
  });

  it('takes a refused handshake as final: connect_error with the relay’s code, and no retry', async () => {
    const before = made.length;
    const badToken = open(relay.url, namespaces.peer, () => ({ token: 'not-a-token' }));
    const wrongOrigin = open(relay.refusingUrl, namespaces.survivor, () => ({}));
    const [authError] = (await heardOf(badToken.heard, 'connect_error')) as [Error];
    const [originError] = (await heardOf(wrongOrigin.heard, 'connect_error')) as [Error];
    expect(authError.message).to.equal('auth-failed');
    expect(originError.message).to.equal('origin-refused');
    for (const { socket } of [badToken, wrongOrigin]) {
      expect(socket.active).to.equal(false);
      expect(socket.connected).to.equal(false);
    }
    // Longer than the first retry could wait (1.5 s at most).
    await sleep(2_000);
    expect(made.length - before, 'one WebSocket each, never a second').to.equal(2);
    expect(made.slice(before).every((ws) => ws.readyState >= WebSocket.CLOSING)).to.equal(true);
    expect(named(badToken.heard, 'connect_error').length + named(wrongOrigin.heard, 'connect_error').length).to.equal(2);
  });

  it('gives each request its own ack', async () => {
    const { socket, heard } = open(relay.url, namespaces.survivor, () => ({}));
    await heardOf(heard, 'connect');
    // Both in flight at once: the answers must not be crossed.
    const [unknown, invalid] = await Promise.all([request(socket, 'nope:never', {}), request(socket, 'chat:start', { bogus: 1 })]);
    expect(unknown).to.deep.equal([null, unknownEvent]);
    expect(invalid).to.deep.equal([null, fail('payload-invalid')]);
    expect(last().sent.slice(1)).to.deep.equal(['42/survivor,0["nope:never",{}]', '42/survivor,1["chat:start",{"bogus":1}]']);
  });

  it('fails a request whose ack does not come in time, ignores the late ack, and carries on', async () => {
    const { socket, heard } = open(relay.url, namespaces.survivor, () => ({}));
    await heardOf(heard, 'connect');
    lostAcks = [];
    let calls = 0;
    const started = performance.now();
    const answer = await new Promise<unknown[]>((resolve) =>
      socket.request('nope:never', {}, 400, (...args) => {
        calls += 1;
        resolve(args);
      }),
    );
    const waited = performance.now() - started;
    expect((answer[0] as Error).message).to.equal('timeout');
    expect(waited).to.be.within(390, 2_000);
    // The relay did answer; the network lost it. Now it arrives, late: nothing happens.
    await waitUntil(() => lostAcks!.length === 1, 'the relay answered');
    const late = lostAcks[0]!;
    lostAcks = undefined;
    last().hear(late);
    await sleep(50);
    expect(calls, 'the callback ran once').to.equal(1);
    expect(socket.connected).to.equal(true);
    expect(await request(socket, 'nope:again', {})).to.deep.equal([null, unknownEvent]);
  });

  it('buffers what is emitted while down, and sends it in order after the next connect', async () => {
    const { socket, heard } = open(relay.url, namespaces.survivor, () => ({}));
    await heardOf(heard, 'connect');
    const first = last();
    held = true;
    first.close();
    expect(await heardOf(heard, 'disconnect')).to.deep.equal(['transport close']);
    expect(socket.active).to.equal(true);
    expect(socket.connected).to.equal(false);

    const answers = Promise.all([request(socket, 'nope:a', {}), request(socket, 'nope:b', {})]);
    socket.request('nope:a2', {}, 10_000, () => undefined);
    socket.emit('typing:set', { typing: true });
    socket.emit('message:read', { seq: 1 });
    // At least one attempt fails while the network is down; then it comes back.
    await heardOf(heard, 'connect_error');
    expect(socket.active, 'still trying').to.equal(true);
    held = false;
    await heardOf(heard, 'connect', 2, 10_000);
    const second = last();
    expect(second).to.not.equal(first);
    expect(second.sent).to.deep.equal([
      '40/survivor,{}',
      '42/survivor,0["nope:a",{}]',
      '42/survivor,1["nope:b",{}]',
      '42/survivor,2["nope:a2",{}]',
      '42/survivor,["typing:set",{"typing":true}]',
      '42/survivor,["message:read",{"seq":1}]',
    ]);
    expect(await answers).to.deep.equal([
      [null, unknownEvent],
      [null, unknownEvent],
    ]);
  });

  it('drops volatile emits while down, and sends them while up', async () => {
    const { socket, heard } = open(relay.url, namespaces.survivor, () => ({}));
    await heardOf(heard, 'connect');
    socket.emit('typing:set', { typing: true }, true);
    expect(last().sent.at(-1)).to.equal('42/survivor,["typing:set",{"typing":true}]');
    held = true;
    last().close();
    await heardOf(heard, 'disconnect');
    socket.emit('typing:set', { typing: false }, true);
    socket.emit('message:read', { seq: 2 });
    await heardOf(heard, 'connect_error');
    held = false;
    await heardOf(heard, 'connect', 2, 10_000);
    expect(last().sent).to.deep.equal(['40/survivor,{}', '42/survivor,["message:read",{"seq":2}]']);
  });

  it('takes the relay’s DISCONNECT as final: no reconnection', async () => {
    // A sign-in that runs out in a second or two: the relay says so, then disconnects the namespace.
    const { token } = (await (await fetch('/__kindred-test-token.json?seconds=2')).json()) as { token: string };
    const { socket, heard } = open(relay.url, namespaces.peer, () => ({ token }), ['session:expired']);
    await heardOf(heard, 'connect');
    const ws = last();
    const count = made.length;
    expect(await heardOf(heard, 'disconnect', 1, 5_000)).to.deep.equal(['io server disconnect']);
    expect(named(heard, 'session:expired').length, 'the relay said why first').to.equal(1);
    expect(ws.received.at(-1), 'the relay sent it').to.equal('41/peer,');
    expect(socket.active).to.equal(false);
    await sleep(2_000);
    expect(made.length, 'no new connection').to.equal(count);
    expect(ws.readyState).to.be.at.least(WebSocket.CLOSING);
  });

  it('comes back after a lost connection, asking for the auth again', async () => {
    let resume: string | undefined;
    let asked = 0;
    const auth = () => {
      asked += 1;
      return resume ? { resume } : {};
    };
    const { socket, heard } = open(relay.url, namespaces.survivor, auth, ['session:ready']);
    const [first] = (await heardOf(heard, 'session:ready')) as [{ resume: string; resumed: boolean }];
    expect(first.resumed).to.equal(false);
    resume = first.resume;
    // In the queue, so the relay holds the session while the connection is away.
    expect((await request(socket, 'chat:start', {}))[1]).to.include({ ok: true });
    // The connection drops: a real close event from the WebSocket.
    last().close();
    expect(await heardOf(heard, 'disconnect')).to.deep.equal(['transport close']);
    const [second] = (await heardOf(heard, 'session:ready', 2, 10_000)) as [{ resumed: boolean; chat: { state: string } | null }];
    expect(second.resumed, 'the relay took the session back').to.equal(true);
    expect(second.chat?.state).to.equal('waiting');
    expect(asked).to.equal(2);
    expect(last().sent[0]).to.equal(`40/survivor,${JSON.stringify({ resume: first.resume })}`);
    expect(socket.connected).to.equal(true);
    expect(named(heard, 'connect').length).to.equal(2);
    // Out of the queue again: the other suites share this relay and expect it empty.
    expect(await request(socket, 'chat:end', {})).to.deep.equal([null, { ok: true }]);
  });

  it('fails a request that has left when its connection is lost; buffered ones wait', async () => {
    const { socket, heard } = open(relay.url, namespaces.survivor, () => ({}));
    await heardOf(heard, 'connect');
    lostAcks = [];
    const sent = request(socket, 'nope:sent', {});
    await waitUntil(() => lostAcks!.length === 1);
    lostAcks = undefined;
    last().close();
    const [error] = (await sent) as [Error];
    expect(error.message).to.equal('transport close');
    const buffered = request(socket, 'nope:buffered', {});
    held = false;
    expect(await buffered).to.deep.equal([null, unknownEvent]);
  });

  it('ignores malformed and out-of-place frames, and answers pings', async () => {
    const { socket, heard } = open(relay.url, namespaces.survivor, () => ({}), ['session:ready', 'x', 'nope']);
    await heardOf(heard, 'session:ready');
    const ws = last();
    const errors: unknown[] = [];
    const onError = (event: ErrorEvent) => errors.push(event.error);
    addEventListener('error', onError);
    const frames: Array<[title: string, data: unknown]> = [
      ['empty', ''],
      ['unknown Engine.IO type', '9'],
      ['a binary frame', new ArrayBuffer(4)],
      ['message without a packet', '4'],
      ['event without a payload', '42/survivor,'],
      ['event that is not JSON', '42/survivor,not json'],
      ['truncated JSON', '42/survivor,["x"'],
      ['event payload not an array', '42/survivor,{"0":"x"}'],
      ['event with no name', '42/survivor,[]'],
      ['event name not a string', '42/survivor,[1]'],
      ['reserved event name', '42/survivor,["connect"]'],
      ['reserved event name, disconnect', '42/survivor,["disconnect","io server disconnect"]'],
      ['another namespace', '42/peer,["x"]'],
      ['the main namespace', '42["x"]'],
      ['an ack id too long to be one', '42/survivor,1234567890123456789["x"]'],
      ['a binary event', '451-/survivor,["x",{"_placeholder":true,"num":0}]'],
      ['ack without an id', '43/survivor,[{"ok":true}]'],
      ['ack for no request', '43/survivor,99[{"ok":true}]'],
      ['ack not an array', '43/survivor,0{"ok":true}'],
      ['CONNECT while connected', '40/survivor,{"sid":"again"}'],
      ['CONNECT_ERROR while connected', '44/survivor,{"message":"auth-failed"}'],
      ['DISCONNECT with a payload', '41/survivor,{}'],
      ['DISCONNECT with an id', '41/survivor,3'],
      ['DISCONNECT for another namespace', '41/peer,'],
      ['a second Engine.IO open, with a 2 ms heartbeat', '0{"sid":"x","pingInterval":1,"pingTimeout":1,"maxPayload":1}'],
      ['ping with data', '2probe'],
      ['unknown Socket.IO type', '47/survivor,["x"]'],
      ['noop', '6'],
      ['pong', '3'],
    ];
    for (const [title, data] of frames) {
      ws.hear(data);
      expect(socket.connected, title).to.equal(true);
    }
    // The last good one: a ping is answered with a pong.
    ws.hear('2');
    await sleep(100);
    removeEventListener('error', onError);
    expect(errors).to.deep.equal([]);
    expect(heard.map((each) => each.event)).to.deep.equal(['connect', 'session:ready']);
    expect(ws.sent.at(-1)).to.equal('3');
    expect(socket.connected, 'still connected: no 2 ms heartbeat was taken').to.equal(true);
    expect(await request(socket, 'nope:after', {})).to.deep.equal([null, unknownEvent]);
  });

  it('fails a request larger than the relay accepts, without losing the connection', async () => {
    const { socket, heard } = open(relay.url, namespaces.survivor, () => ({}));
    await heardOf(heard, 'connect');
    // The relay's limit is limits.packetBytes (10,240 bytes, its maxPayload): this is 12,000 in UTF-8.
    const [error] = (await request(socket, 'message:send', { id: 'm', seq: 1, box: 'é'.repeat(6_000) })) as [Error];
    expect(error.message).to.equal('payload too large');
    expect(last().sent.some((frame) => frame.length > 1_000), 'never sent').to.equal(false);
    expect(await request(socket, 'nope:after', {})).to.deep.equal([null, unknownEvent]);
    expect(named(heard, 'disconnect').length).to.equal(0);
  });

  it('says goodbye on disconnect(), fails what waits, and stays closed', async () => {
    const { socket, heard } = open(relay.url, namespaces.survivor, () => ({}));
    await heardOf(heard, 'connect');
    const ws = last();
    const waiting = request(socket, 'nope:waiting', {});
    socket.disconnect();
    expect(ws.sent.at(-1)).to.equal('41/survivor,');
    expect(((await waiting)[0] as Error).message).to.equal('socket closed');
    expect(socket.active).to.equal(false);
    expect(ws.readyState).to.be.at.least(WebSocket.CLOSING);
    const count = made.length;
    await sleep(1_600);
    expect(made.length).to.equal(count);
  });

  it('takes the browser going offline as a lost connection, and comes back', async () => {
    const { socket, heard } = open(relay.url, namespaces.survivor, () => ({}));
    await heardOf(heard, 'connect');
    dispatchEvent(new Event('offline'));
    expect(await heardOf(heard, 'disconnect')).to.deep.equal(['transport close']);
    expect(socket.active).to.equal(true);
    await heardOf(heard, 'connect', 2, 10_000);
  });

  describe('with a stand-in relay that controls its heartbeat', () => {
    /**
     * Speaks just enough Engine.IO and Socket.IO to connect a namespace, with a 400 ms ping
     * interval and a 200 ms ping timeout; pings every `every` ms, or never.
     */
    function standIn(every?: number) {
      const sockets: Array<{ sent: string[]; closed: boolean; openedAt: number }> = [];
      class StandIn {
        onmessage: ((event: MessageEvent) => void) | null = null;
        onclose: (() => void) | null = null;
        readonly state = { sent: [] as string[], closed: false, openedAt: 0 };
        #pings: ReturnType<typeof setInterval> | undefined;
        constructor() {
          sockets.push(this.state);
          this.#say('0{"sid":"s","pingInterval":400,"pingTimeout":200,"maxPayload":1000000}');
        }
        send(data: string): void {
          this.state.sent.push(data);
          if (!data.startsWith('40/survivor,')) return;
          this.#say('40/survivor,{"sid":"n"}');
          if (every) this.#pings = setInterval(() => this.#say('2'), every);
        }
        close(): void {
          this.state.closed = true;
          clearInterval(this.#pings);
        }
        #say(data: string): void {
          setTimeout(() => {
            if (this.state.closed) return;
            if (data.startsWith('0')) this.state.openedAt = performance.now();
            this.onmessage?.(new MessageEvent('message', { data }));
          });
        }
      }
      return { sockets, StandIn };
    }

    afterEach(() => {
      globalThis.WebSocket = Tapped;
    });

    it('stays connected while pings come, answering each', async () => {
      const { sockets, StandIn } = standIn(150);
      globalThis.WebSocket = StandIn as unknown as typeof WebSocket;
      const { socket, heard } = open('http://relay.invalid', namespaces.survivor);
      await heardOf(heard, 'connect');
      // Twice as long as the relay may be silent.
      await sleep(1_200);
      expect(socket.connected).to.equal(true);
      expect(sockets.length).to.equal(1);
      expect(sockets[0]!.sent.filter((frame) => frame === '3').length).to.be.at.least(5);
    });

    it('counts a relay silent for longer than pingInterval + pingTimeout as lost, and reconnects', async () => {
      const { sockets, StandIn } = standIn();
      globalThis.WebSocket = StandIn as unknown as typeof WebSocket;
      const { socket, heard } = open('http://relay.invalid', namespaces.survivor);
      await heardOf(heard, 'connect');
      expect(await heardOf(heard, 'disconnect')).to.deep.equal(['ping timeout']);
      // Counted from the open packet, when the client learnt pingInterval + pingTimeout (600 ms).
      expect(performance.now() - sockets[0]!.openedAt).to.be.within(595, 2_000);
      expect(sockets[0]!.closed, 'the silent connection is closed').to.equal(true);
      expect(socket.active).to.equal(true);
      await heardOf(heard, 'connect', 2);
      expect(sockets.length).to.equal(2);
    });
  });
});
