// SPDX-License-Identifier: Apache-2.0
/**
 * What a survivor sees of a transfer and of supervision (issue 4), against the real test relay.
 * The people on the other side are driven over the real protocol with the real end-to-end
 * keys (`internal/socket-client.ts`, `internal/e2e.ts`), as their consoles would: a peer who
 * hands the chat to a colleague, the colleague, a supervisor. After a transfer the survivor is
 * told who they talk with now, the keys (and so the code to compare) are new, what the first
 * peer never confirmed reaches the colleague, and the colleague's messages, counted from 1
 * again, are shown. A supervisor joining and leaving is said in the status, and what they write
 * (passed on by the peer) is labelled "Supervisor". Axe is clean in each state.
 */
import { namespaces, socketPath, type PublicKeys, type RelayedMessage } from '@kindred/protocol';
import { expect, waitUntil } from '@open-wc/testing';
import { ChatCipher } from '../../internal/e2e.js';
import { newMessageId } from '../../internal/message-id.js';
import { openSocket, type SocketClient } from '../../internal/socket-client.js';
import { button, expectAccessible, field, role, shadow, testRelay, text, waitForText, type TestRelay } from '../../testing/harness.js';
import { cleanUp, survivor, testToken } from '../../testing/peer.js';
import type { KindredChatFrame } from './chat-frame.js';

type Answer = { ok: true; data?: unknown } | { ok: false; error: { code: string } };

/** One person on the peer namespace, as their console would speak for them. */
interface Person {
  /** Sends a request and resolves with the relay's answer. */
  request(event: string, payload: object): Promise<Answer>;
  /** The chat this person holds (accepted, or handed to them). */
  chatId: string;
  /** The chat's keys on this side: the code to compare, and what seals and opens. */
  cipher: ChatCipher;
  /** The survivor's messages this person has opened, in the order opened. */
  opened: string[];
  /** Texts opened but deliberately never acknowledged, as if this console had not shown them. */
  unconfirmed: Set<string>;
  /** Seals `text` as this person's message number `seq` and sends it (`by` as the relay passes it on). */
  say(seq: number, text: string, by?: 'supervisor'): Promise<Answer>;
  socket: SocketClient;
}

const people: Person[] = [];

/**
 * Signs `name` in (a supervisor if `supervisor`) with a token from the test server, and answers
 * key offers and opens messages for whatever chat it holds, as a console does.
 */
async function signIn(relay: TestRelay, name: string, supervisor = false): Promise<Person> {
  const token = await testToken(name, supervisor ? 'supervisor' : undefined);
  const socket = openSocket({ url: relay.url, path: socketPath, namespace: namespaces.peer, auth: () => ({ token }) });
  const person: Person = {
    socket,
    chatId: '',
    cipher: new ChatCipher('peer'),
    opened: [],
    unconfirmed: new Set(),
    request: (event, payload) =>
      new Promise((resolve) => socket.request(event, payload, 5_000, (error, ack) => resolve(error ? { ok: false, error: { code: String(error.message) } } : (ack as Answer)))),
    say: async (seq, message, by) => {
      const box = await person.cipher.seal('m', seq, message);
      return person.request('message:send', { chatId: person.chatId, id: newMessageId(), seq, box, ...(by ? { by } : {}) });
    },
  };
  socket.on('key:offered', async ({ chatId, keys }: { chatId: string; keys: PublicKeys }) => {
    // The offer can overtake the answer to `chat:accept`: the first chat this person hears of is theirs.
    if (person.chatId && chatId !== person.chatId) return;
    person.chatId ||= chatId;
    const answer = await person.cipher.offered(keys);
    if (answer) await person.request('key:answer', { chatId, keys: answer.keys, offer: keys });
  });
  socket.on('message:received', async (message: RelayedMessage & { chatId: string }, ack: (shown: true) => void) => {
    if (message.chatId !== person.chatId) return;
    const opened = await person.cipher.open('m', message.seq, message.box);
    if (typeof opened !== 'string') return;
    if (!person.opened.includes(opened)) person.opened.push(opened);
    if (!person.unconfirmed.has(opened)) ack(true);
  });
  socket.on('chat:transferred', ({ chatId }: { chatId: string }) => {
    person.chatId = chatId;
  });
  people.push(person);
  await waitUntil(() => socket.connected, `${name} never connected`);
  return person;
}

/** Goes on duty (a supervisor too: that is who the relay tells about escalations). */
async function onDuty(person: Person): Promise<void> {
  const answer = await person.request('duty:set', { onDuty: true });
  expect(answer.ok, 'duty:set').to.equal(true);
}

/** Goes on duty and accepts the one survivor waiting; resolves once the keys are agreed. */
async function acceptTheSurvivor(person: Person): Promise<void> {
  let ticket = '';
  person.socket.on('queue:updated', ({ entries }: { entries: Array<{ ticket: string }> }) => {
    ticket = entries[0]?.ticket ?? ticket;
  });
  await onDuty(person);
  await waitUntil(() => ticket !== '', 'nobody was waiting');
  const answer = await person.request('chat:accept', { ticket });
  if (!answer.ok) throw new Error(`chat:accept: ${answer.error.code}`);
  person.chatId = (answer.data as { chatId: string }).chatId;
  await waitUntil(() => person.cipher.code !== undefined, 'the keys were never agreed');
}

/** Ends what each person holds, goes off duty and closes: the relay must be empty for the next test. */
async function signOutEveryone(): Promise<void> {
  const leaving = people.splice(0);
  await Promise.all(
    leaving.map(async (person) => {
      if (person.socket.connected) {
        if (person.chatId) await person.request('chat:end', { chatId: person.chatId });
        await person.request('duty:set', { onDuty: false });
      }
      person.socket.disconnect();
    }),
  );
}

/** Writes `message` in the box and presses Send. */
function say(root: ShadowRoot, message: string): void {
  field(root, 'Message').value = message;
  button(root, 'Send').click();
}

/** The delivery status of our own message that reads `message`. */
function statusOf(root: ShadowRoot, message: string): string | undefined {
  const bubble = [...root.querySelectorAll('.bubble.own')].find((each) => text(each.querySelector('.text')) === message);
  return bubble?.querySelector('.delivery')?.getAttribute('data-status') ?? undefined;
}

/** The code "Check that this chat is private" shows. */
function shownCode(root: ShadowRoot): string {
  return /Your code: (.+?)\. If/.exec(text(root.querySelector('.verify')))?.[1] ?? '';
}

/** The frame, with the survivor waiting for a peer. */
async function waitingSurvivor(relay: TestRelay): Promise<KindredChatFrame> {
  const el = await survivor(relay.url);
  button(shadow(el), 'Start chat').click();
  await waitForText(() => shadow(el), /You are number \d+ in the queue/);
  return el;
}

describe('<kindred-chat-frame> transfer and supervision', () => {
  let relay: TestRelay;

  before(async () => {
    relay = await testRelay();
  });

  afterEach(async () => {
    await cleanUp();
    await signOutEveryone();
  });

  it('after a transfer: "You are now talking with Sam", new keys, the unconfirmed message reaches Sam, and Sam\'s first message shows', async () => {
    const el = await waitingSurvivor(relay);
    const root = shadow(el);
    const robin = await signIn(relay, 'Robin');
    await acceptTheSurvivor(robin);
    await waitForText(() => root.querySelector('h1'), 'You are talking with Robin');
    await waitUntil(() => shownCode(root) === robin.cipher.code, 'the code is not the one Robin has');

    say(root, 'Robin read this');
    await waitUntil(() => statusOf(root, 'Robin read this') === 'delivered' || statusOf(root, 'Robin read this') === 'read');
    // Robin's console never shows this one: it is still the survivor's to deliver at the hand-over.
    robin.unconfirmed.add('Robin never confirmed this');
    say(root, 'Robin never confirmed this');
    await waitUntil(() => robin.opened.includes('Robin never confirmed this'));
    await waitUntil(() => statusOf(root, 'Robin never confirmed this') === 'sent', 'the relay never took it');

    const sam = await signIn(relay, 'Sam');
    await onDuty(sam);
    const { data } = (await robin.request('colleagues:list', {})) as { data: { colleagues: Array<{ handle: string; name: string }> } };
    const handle = data.colleagues.find((each) => each.name === 'Sam')!.handle;
    const transfer = await robin.request('chat:transfer', { chatId: robin.chatId, to: handle, note: 'Be gentle about the assault.' });
    expect(transfer.ok, 'chat:transfer').to.equal(true);
    robin.chatId = '';

    // Said in the status (a polite live region), and the heading names Sam.
    await waitForText(() => role(root, 'status'), 'You are now talking with Sam.');
    expect(text(root.querySelector('h1'))).to.equal('You are talking with Sam');
    // New keys with Sam, never Robin's: the code to compare changes with them.
    await waitUntil(() => sam.cipher.code !== undefined && shownCode(root) === sam.cipher.code, 'the code is not the one Sam has');
    expect(sam.cipher.code).to.not.equal(robin.cipher.code);
    // What Robin had not confirmed goes to Sam under Sam's keys; what Robin confirmed does not.
    await waitUntil(() => sam.opened.includes('Robin never confirmed this'), 'the unconfirmed message never reached Sam');
    await waitUntil(() => statusOf(root, 'Robin never confirmed this') === 'delivered' || statusOf(root, 'Robin never confirmed this') === 'read');
    expect(sam.opened).to.not.include('Robin read this');

    // The survivor goes on writing; Sam opens it.
    say(root, 'hello Sam');
    await waitUntil(() => sam.opened.includes('hello Sam'), 'Sam never opened the message written after the transfer');
    expect(sam.opened).to.deep.equal(['Robin never confirmed this', 'hello Sam']);
    await waitUntil(() => statusOf(root, 'hello Sam') === 'delivered' || statusOf(root, 'hello Sam') === 'read');

    // Sam counts from 1: the frame shows it, under Sam's name.
    expect((await sam.say(1, 'Hi, I am Sam. I am here now.')).ok).to.equal(true);
    await waitForText(() => role(root, 'log'), 'Sam: Hi, I am Sam. I am here now.');
    expect(text(role(root, 'log'))).to.not.contain('Robin: Hi, I am Sam');
    // Robin opened nothing written after the hand-over.
    expect(robin.opened).to.deep.equal(['Robin read this', 'Robin never confirmed this']);
    await expectAccessible(el);
  });

  it('a supervisor joins and leaves: both said in the status; their message, passed on by the peer, is labelled Supervisor', async () => {
    const el = await waitingSurvivor(relay);
    const root = shadow(el);
    const robin = await signIn(relay, 'Robin');
    await acceptTheSurvivor(robin);
    await waitForText(() => root.querySelector('h1'), 'You are talking with Robin');
    expect((await robin.say(1, 'I am Robin.')).ok).to.equal(true);
    await waitForText(() => role(root, 'log'), 'Robin: I am Robin.');

    const alex = await signIn(relay, 'Alex', true);
    await onDuty(alex);
    const escalated = await robin.request('chat:escalate', { chatId: robin.chatId });
    expect(escalated.ok, 'chat:escalate').to.equal(true);
    expect((escalated as { data: { supervisorsOnDuty: number } }).data.supervisorsOnDuty).to.equal(1);
    const joined = await alex.request('supervision:join', { chatId: robin.chatId });
    expect(joined.ok, 'supervision:join').to.equal(true);
    await waitForText(() => role(root, 'status'), 'A supervisor joined the chat.');
    // Never the supervisor's name.
    expect(text(root)).to.not.contain('Alex');
    await expectAccessible(el);

    // Robin's console passes the supervisor's words on, sealed under the survivor's keys.
    expect((await robin.say(2, 'I am supporting Robin today.', 'supervisor')).ok).to.equal(true);
    await waitForText(() => role(root, 'log'), 'Supervisor: I am supporting Robin today.');
    expect((await robin.say(3, 'Back to me.')).ok).to.equal(true);
    await waitForText(() => role(root, 'log'), 'Robin: Back to me.');
    const senders = [...root.querySelectorAll('.bubble.peer .sender')].map((each) => text(each));
    expect(senders).to.deep.equal(['Robin:', 'Supervisor:', 'Robin:']);

    expect((await alex.request('supervision:leave', { chatId: robin.chatId })).ok, 'supervision:leave').to.equal(true);
    await waitForText(() => role(root, 'status'), 'The supervisor left the chat.');
    await expectAccessible(el);
  });
});
