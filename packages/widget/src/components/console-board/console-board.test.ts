// SPDX-License-Identifier: Apache-2.0
/**
 * The supervisors' live board in the console (components/console-board), against the real
 * test relay: a supervisor's console, a survivor's real frame, and a peer ("Casey") driven
 * over the real protocol (`internal/socket-client.ts`) as their console would, who accepts the
 * survivor and asks the supervisors for help. What a supervisor notices: the figures move when
 * someone starts waiting, the escalation appears and is announced, Join asks the console to
 * join that chat, and a hidden tab's title counts it. A peer who is not a supervisor has no board.
 */
import { namespaces, socketPath, type QueueEntry } from '@kindred/protocol';
import { expect, waitUntil } from '@open-wc/testing';
import { openSocket, type SocketClient } from '../../internal/socket-client.js';
import { button, expectAccessible, hasButton, shadow, testRelay, text, waitForText, type TestRelay } from '../../testing/harness.js';
import { signInAs } from '../../testing/matching.js';
import { cleanUp, otherTab, peerConsole, survivor, testToken } from '../../testing/peer.js';
import type { KindredConsole } from '../console/console.js';
import { parseBoard, type BoardJoinDetail } from './console-board.js';

type Answer = { ok: true; data?: unknown } | { ok: false; error: { code: string } };

/** A figure on the supervisor's board, by its name ("Waiting"), as shown. */
function figure(el: KindredConsole, name: string): string {
  const term = [...shadow(el).querySelectorAll('.board-figures dt')].find((each) => text(each) === name);
  if (!term) throw new Error(`no board figure "${name}"`);
  return text(term.nextElementSibling);
}

/** A peer on the relay's peer namespace, with no console: on duty, and what the relay lists as waiting. */
interface Peer {
  socket: SocketClient;
  waiting: QueueEntry[];
  request(event: string, payload: object): Promise<Answer>;
}

const peers: Peer[] = [];

async function peerOnDuty(relay: TestRelay, name: string): Promise<Peer> {
  const token = await testToken(name);
  const socket = openSocket({ url: relay.url, path: socketPath, namespace: namespaces.peer, auth: () => ({ token }) });
  const peer: Peer = {
    socket,
    waiting: [],
    request: (event, payload) =>
      new Promise((resolve) => socket.request(event, payload, 5_000, (error, ack) => resolve(error ? { ok: false, error: { code: String(error.message) } } : (ack as Answer)))),
  };
  socket.on('queue:updated', ({ entries }: { entries: QueueEntry[] }) => {
    peer.waiting = entries;
  });
  peers.push(peer);
  expect(await peer.request('duty:set', { onDuty: true })).to.include({ ok: true });
  return peer;
}

/**
 * Makes the page read as hidden (or shown again) and tells it, as the browser does when the
 * supervisor switches tabs (see console-alerts.test.ts: the console reads nothing else).
 */
function setHidden(hidden: boolean): void {
  if (hidden) Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
  else delete (document as { visibilityState?: DocumentVisibilityState }).visibilityState;
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('<kindred-console> supervisors’ live board', () => {
  let relay: TestRelay;
  const title = 'Kindred peer console';

  before(async () => {
    relay = await testRelay();
    document.title = title;
  });

  afterEach(async () => {
    // Off duty first: a peer whose connection merely went stays on duty for the relay's grace period.
    for (const peer of peers.splice(0)) {
      await peer.request('duty:set', { onDuty: false });
      peer.socket.disconnect();
    }
    await cleanUp();
    setHidden(false);
    document.title = title;
  });

  /** A supervisor's console, signed in (off duty), once the first board has come. */
  async function supervisorConsole(): Promise<KindredConsole> {
    const el = await peerConsole(relay.url, { tab: otherTab() });
    await signInAs(el, await testToken('Sam', 'supervisor'), 'Sam', { onDuty: false });
    await waitForText(() => shadow(el), 'Live board');
    return el;
  }

  /** Casey accepts the survivor who started waiting in `frame`; resolves with the chat and the survivor's pseudonym. */
  async function caseyAccepts(casey: Peer): Promise<{ chatId: string; survivorName: string }> {
    await waitUntil(() => casey.waiting.length > 0, 'Casey sees the survivor waiting');
    const [entry] = casey.waiting;
    const accepted = await casey.request('chat:accept', { ticket: entry!.ticket });
    expect(accepted).to.include({ ok: true });
    return (accepted as { data: { chatId: string; survivorName: string } }).data;
  }

  it('shows the figures as they change, announces an escalation, and Join asks to join that chat', async () => {
    const el = await supervisorConsole();
    const root = shadow(el);
    expect(text(root)).to.contain('Nobody is asking for help.');
    await expectAccessible(el, { sharedPage: true });
    const waitingBefore = Number(figure(el, 'Waiting'));
    const activeBefore = Number(figure(el, 'Active chats'));

    const casey = await peerOnDuty(relay, 'Casey');
    await waitUntil(() => Number(figure(el, 'Peers on duty')) >= 1, 'the board counts Casey on duty');
    const frame = await survivor(relay.url, { tab: otherTab() });
    button(shadow(frame), 'Start chat').click();
    await waitUntil(() => Number(figure(el, 'Waiting')) === waitingBefore + 1, 'the board counts the survivor waiting');
    expect(figure(el, 'Longest wait')).to.match(/\d+ (sec|min)/);

    const { chatId, survivorName } = await caseyAccepts(casey);
    await waitUntil(() => Number(figure(el, 'Active chats')) === activeBefore + 1, 'the board counts the chat');
    expect(Number(figure(el, 'Waiting'))).to.equal(waitingBefore);

    // Casey asks for help: it appears on the board, said once, politely, with who and about whom.
    const joins: BoardJoinDetail[] = [];
    const outside: Event[] = [];
    root.addEventListener('kindred-board-join', (event) => joins.push(event.detail));
    el.addEventListener('kindred-board-join', (event) => outside.push(event));
    expect(await casey.request('chat:escalate', { chatId })).to.include({ ok: true });
    const said = `Casey asked for help with ${survivorName}`;
    await waitForText(() => root.querySelector('.board'), said);
    expect(text(root.querySelector('#escalations-heading'))).to.equal('Asking for help (1)');
    const announced = [...root.querySelectorAll('[aria-live="polite"]')].map((each) => text(each));
    expect(announced).to.include(`${said}.`);
    await expectAccessible(el, { sharedPage: true });

    // Join, by keyboard as by mouse: the console is asked to join this chat; the event never leaves its shadow root.
    const join = button(root, `Join Casey, ${survivorName}`);
    join.focus();
    join.click();
    expect(joins).to.deep.equal([{ chatId }]);
    expect(outside, 'the chat id stays inside the console').to.deep.equal([]);
  });

  it('counts a new escalation in the title while the tab is hidden', async () => {
    const el = await supervisorConsole();
    const casey = await peerOnDuty(relay, 'Casey');
    const frame = await survivor(relay.url, { tab: otherTab() });
    button(shadow(frame), 'Start chat').click();
    const { chatId, survivorName } = await caseyAccepts(casey);
    setHidden(true);
    expect(document.title).to.equal(title);
    expect(await casey.request('chat:escalate', { chatId })).to.include({ ok: true });
    await waitUntil(() => document.title === `(1) ${title}`, `the title counts the escalation (it reads "${document.title}")`);
    setHidden(false);
    await waitUntil(() => document.title === title, 'the badge goes when the tab is shown');
    expect(text(shadow(el).querySelector('.board'))).to.contain(`Casey asked for help with ${survivorName}`);
  });

  // What a broken or hostile relay could send: the board shows nothing wrong, and never throws.
  const malformed: Array<{ title: string; payload: unknown; expected: ReturnType<typeof parseBoard> }> = [
    { title: 'not an object', payload: 'board', expected: undefined },
    { title: 'null', payload: null, expected: undefined },
    {
      title: 'negative, fractional and missing figures count as 0',
      payload: { waiting: -1, longestWaitMs: -5, activeChats: 1.5, peersOnDuty: '3' },
      expected: { waiting: 0, longestWaitMs: 0, activeChats: 0, peersOnDuty: 0, peersOnBreak: 0, escalations: [] },
    },
    {
      title: 'escalations without a chat or a name are left out; long names are cut',
      payload: {
        waiting: 1,
        longestWaitMs: 1_000,
        activeChats: 1,
        peersOnDuty: 1,
        peersOnBreak: 0,
        escalations: [{ peerName: 'Casey', survivorName: 'Quiet Heron 27' }, { chatId: 'a', peerName: '', survivorName: 'x' }, { chatId: 'b', peerName: 'C'.repeat(90), survivorName: 'S', waitedMs: 'soon' }],
      },
      expected: { waiting: 1, longestWaitMs: 1_000, activeChats: 1, peersOnDuty: 1, peersOnBreak: 0, escalations: [{ chatId: 'b', peerName: 'C'.repeat(40), survivorName: 'S', waitedMs: 0 }] },
    },
  ];
  for (const { title, payload, expected } of malformed) {
    it(`reads a malformed board safely: ${title}`, () => {
      expect(parseBoard(payload)).to.deep.equal(expected);
    });
  }

  it('is not shown to a peer who is not a supervisor', async () => {
    const el = await peerConsole(relay.url);
    await signInAs(el, relay.token, 'Robin');
    const supervisor = await supervisorConsole();
    // The supervisor's board has come (and counts Robin on duty); Robin's console has none.
    await waitUntil(() => Number(figure(supervisor, 'Peers on duty')) >= 1, 'the board counts Robin');
    expect(text(shadow(el))).to.not.contain('Live board');
    expect(hasButton(shadow(el), /^Join /)).to.equal(false);
  });
});
