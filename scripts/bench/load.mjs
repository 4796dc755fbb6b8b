// SPDX-License-Identifier: Apache-2.0
/**
 * A load generator (child process of run.mjs): `peers` peers, each holding `chatsPerPeer`
 * chats with as many survivors, on one relay (or two sharing Redis: then each peer is on one
 * and its survivors on the other), through the real protocol with socket.io-client over
 * websocket. Then, on `start`, each side of each chat writes a message every few seconds
 * (the pace of a person typing); the generator's total rate comes from the number of chats.
 * Every message carries its sender's monotonic clock, so its recipient measures the one-hop
 * latency (sender → relay → recipient) on the machine's one clock.
 */
import { io } from 'socket.io-client';
import { survivorSchemas } from '../../packages/protocol/dist/index.js';
import { signPeerToken } from '../../packages/server/dist/relay.js';
import { Histogram } from './histogram.mjs';
import { serveCommands } from './ipc.mjs';
import { origin, secret } from './shared.mjs';

/** Now, in microseconds, on the clock every process on this machine shares (CLOCK_MONOTONIC). */
function nowUs() {
  const [s, ns] = process.hrtime();
  return s * 1e6 + ns / 1e3;
}

// What people write in a support chat: short lines, a few longer ones.
const lines = [
  'hi',
  'Thank you for being here.',
  'I am not sure where to start, it has been a hard week.',
  'That makes a lot of sense. Take your time, there is no rush at all.',
  'Some days are fine and then something small brings it all back and I cannot sleep.',
  'Would it help to talk about what usually happens on those nights?',
  'ok',
  'Yes. I think so. My sister says I should talk to someone but I did not want to bother anyone.',
  'You are not bothering anyone. This is exactly what this space is for, and I have been there too.',
  'There is a group at the hospital on Thursdays; I can share the details if you would like.',
];

/**
 * What a message carries: plain `text`, or, once the browsers encrypt end to end, a sealed
 * `box` (base64url ciphertext) the relay passes on unread. Whichever the protocol in this tree
 * asks for; a box is as long as the ciphertext of the line would be (text + 28 bytes, base64url).
 */
const sealed = 'box' in survivorSchemas['message:send'].entries;
const base64urlOfLength = (n) => Buffer.from(Array.from({ length: n }, () => Math.floor(Math.random() * 256))).toString('base64url').slice(0, n);
const boxes = lines.map((line) => base64urlOfLength(Math.ceil(((Buffer.byteLength(line) + 28) * 4) / 3)));

let mode;
const sockets = [];
/** One per chat per direction: who writes, what addresses the chat, the last seq written. */
const sides = [];
const side = (socket, base) => ({ socket, base, seq: 0, line: Math.floor(Math.random() * lines.length) });
let closing = false;

const counters = () => ({
  sent: 0,
  acked: 0,
  sendErrors: 0,
  errorCodes: {},
  received: 0,
  delivered: 0,
  unexpectedDisconnects: 0,
  disconnectReasons: {},
  chatsEnded: 0,
});
let count = counters();
let latency = new Histogram();
let cpuAtReset = process.cpuUsage();
let atReset = nowUs();
let window;

// Shared listeners: one function for every socket, no closure per message.
function onReceived(message, ack) {
  count.received += 1;
  // Every message starts with its sender's clock in whole microseconds (digits only).
  latency.record(nowUs() - Number.parseInt(message.box ?? message.text, 10));
  if (typeof ack === 'function') ack(true);
}
function onDelivered() {
  count.delivered += 1;
}
function onSendAck(answer) {
  if (answer?.ok) {
    count.acked += 1;
    return;
  }
  count.sendErrors += 1;
  const code = answer?.error?.code ?? 'no-answer';
  count.errorCodes[code] = (count.errorCodes[code] ?? 0) + 1;
}
function onDisconnect(reason) {
  if (closing) return;
  count.unexpectedDisconnects += 1;
  count.disconnectReasons[reason] = (count.disconnectReasons[reason] ?? 0) + 1;
}
function onEnded() {
  count.chatsEnded += 1;
}

function open(url, namespace, auth, localAddress) {
  const socket = io(url + namespace, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    autoConnect: false,
    // A browser always sends Origin on a websocket; the relay refuses connections without it.
    extraHeaders: { origin },
    auth,
    localAddress,
  });
  socket.on('message:received', onReceived);
  socket.on('message:delivered', onDelivered);
  socket.on('chat:ended', onEnded);
  socket.on('disconnect', onDisconnect);
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => reject(new Error(`connect ${namespace}: ${error.message}`)));
    socket.connect();
  });
}

function request(socket, event, payload) {
  return socket.timeout(30_000).emitWithAck(event, payload);
}

function expectOk(answer, what) {
  if (!answer?.ok) throw new Error(`${what}: ${answer?.error?.code ?? 'no answer'}`);
  return answer.data;
}

/** Runs `task(i)` for i in 0..n-1 with at most `limit` in flight. */
async function pool(n, limit, task) {
  let next = 0;
  const worker = async () => {
    while (next < n) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, worker));
}

/**
 * One Kindred peer fills its chats: on duty, its survivors ask for a chat, it accepts each
 * ticket on the waiting list, then goes off duty, so that the waiting list stops going to a
 * peer who cannot take anyone (every change of the list goes to every peer on duty).
 *
 * With two relays the lists come from both, and one sent before the previous peer's accepts
 * can arrive after them: its tickets are taken already (`not-found`). As a person would, the
 * peer skips those and takes the next list, until it holds its survivors' chats.
 */
async function pairKindred(peer, survivors) {
  const lists = [];
  let wake;
  const onQueue = (list) => {
    lists.push(list);
    wake?.();
  };
  peer.on('queue:updated', onQueue);
  try {
    expectOk(await request(peer, 'duty:set', { onDuty: true }), 'duty:set');
    await Promise.all(survivors.map(async (survivor) => expectOk(await request(survivor, 'chat:start', {}), 'chat:start')));
    const tried = new Set();
    const until = Date.now() + 30_000;
    let accepted = 0;
    while (accepted < survivors.length) {
      if (lists.length === 0) {
        const left = until - Date.now();
        if (left <= 0) throw new Error('the survivors were not on the waiting list within 30 s');
        let timer;
        await new Promise((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, left);
        });
        clearTimeout(timer);
        wake = undefined;
        continue;
      }
      for (const { ticket } of lists.shift().entries) {
        if (accepted === survivors.length || tried.has(ticket)) continue;
        tried.add(ticket);
        const answer = await request(peer, 'chat:accept', { ticket });
        if (answer?.ok) {
          sides.push(side(peer, { chatId: answer.data.chatId }));
          accepted += 1;
        } else if (answer?.error?.code !== 'not-found') {
          expectOk(answer, 'chat:accept');
        }
      }
    }
  } finally {
    peer.off('queue:updated', onQueue);
  }
  expectOk(await request(peer, 'duty:set', { onDuty: false }), 'duty:set');
}

const groups = []; // a peer and the survivors it will chat with

/**
 * Everyone connects (many at once, as at a shift change); no chat yet. With two relays
 * (`urls`, the two-relay run through Redis) every chat is split across them: a peer on one
 * relay, its survivors on the other, alternately, so that half the peers are on each and
 * every message and receipt crosses Redis.
 */
async function connect({ mode: relayMode, urls, generator, peers, chatsPerPeer, addresses }) {
  mode = relayMode;
  const kindred = mode !== 'bare' && mode !== 'bare-receipts';
  const address = (i) => addresses[i % addresses.length];
  await pool(peers, 32, async (p) => {
    const peerUrl = urls[(p + generator) % urls.length];
    const survivorUrl = urls[(p + generator + 1) % urls.length];
    const auth = kindred
      ? { token: await signPeerToken(secret, { name: `Peer ${generator}-${p}`, maxChats: chatsPerPeer, ttlSeconds: 3_600 }) }
      : {};
    const n = p * (chatsPerPeer + 1);
    const [peer, ...survivors] = await Promise.all([
      open(peerUrl, kindred ? '/peer' : '/', auth, address(n)),
      ...Array.from({ length: chatsPerPeer }, (_, c) => open(survivorUrl, kindred ? '/survivor' : '/', {}, address(n + c + 1))),
    ]);
    groups.push({ room: `${generator}-${p}`, peer, survivors });
  });
  return { sockets: sockets.filter((s) => s.connected).length };
}

/**
 * Makes the chats. Kindred: one peer at a time (run.mjs also takes the generators one at a
 * time), so each accepts exactly the survivors who just asked, and no accept misses. Bare: the
 * two sockets of each chat join a room.
 */
async function pair() {
  if (mode !== 'bare' && mode !== 'bare-receipts') {
    for (const { peer, survivors } of groups) {
      const joined = survivors.map((survivor) => new Promise((resolve) => survivor.once('peer:joined', resolve)));
      await pairKindred(peer, survivors);
      await Promise.all(joined);
      for (const survivor of survivors) sides.push(side(survivor, {}));
    }
  } else {
    await pool(groups.length, 32, async (i) => {
      const { room, peer, survivors } = groups[i];
      for (const [c, survivor] of survivors.entries()) {
        expectOk(await request(survivor, 'join', `${room}-${c}`), 'join');
        expectOk(await request(peer, 'join', `${room}-${c}`), 'join');
        sides.push(side(survivor, { room: `${room}-${c}` }), side(peer, { room: `${room}-${c}` }));
      }
    });
  }
  return { sides: sides.length };
}

// ---------------------------------------------------------------- traffic

let ticker;

function send(from) {
  from.seq += 1;
  const line = (from.line + from.seq) % lines.length;
  const content = sealed ? { box: `${Math.round(nowUs())}-${boxes[line]}` } : { text: `${Math.round(nowUs())} ${lines[line]}` };
  from.socket.emit('message:send', { ...from.base, id: `m${from.seq}`, seq: from.seq, ...content }, onSendAck);
  count.sent += 1;
}

/** Sends `rate` messages per second in all, spread evenly over the sides in a shuffled round. */
function start({ rate }) {
  for (let i = sides.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [sides[i], sides[j]] = [sides[j], sides[i]];
  }
  let next = 0;
  let owed = 0;
  let last = nowUs();
  ticker = setInterval(() => {
    const now = nowUs();
    owed += ((now - last) / 1e6) * rate;
    last = now;
    for (; owed >= 1; owed -= 1) {
      const from = sides[next];
      next = (next + 1) % sides.length;
      if (from.socket.connected) send(from);
    }
  }, 5);
  return { sides: sides.length, secondsBetweenMessagesPerSide: sides.length / rate };
}

serveCommands({
  connect,
  pair,
  start,
  stop() {
    clearInterval(ticker);
    return {};
  },
  reset() {
    count = counters();
    latency = new Histogram();
    cpuAtReset = process.cpuUsage();
    atReset = nowUs();
    return {};
  },
  /** Ends the window: what came after this is not counted. */
  mark() {
    const cpu = process.cpuUsage(cpuAtReset);
    window = { ...count, latency: latency.toJSON(), cpuUs: cpu.user + cpu.system, wallUs: nowUs() - atReset };
    return {};
  },
  report: () => window,
  /**
   * Strings that occur only in this generator's message content (a piece of each sealed box,
   * or each longer line): run.mjs looks for them where nothing of a message may be kept.
   */
  markers: () => ({ markers: sealed ? boxes.map((b) => b.slice(0, 24)) : lines.filter((line) => line.length > 20) }),
  /** Everyone leaves: every socket disconnects, and the generator is ready for a new setup. */
  async disconnect() {
    closing = true;
    for (const socket of sockets) socket.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const closed = sockets.length;
    sockets.length = 0;
    sides.length = 0;
    groups.length = 0;
    closing = false;
    return { closed };
  },
});
process.send({ ready: true });
