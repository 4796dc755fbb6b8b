// SPDX-License-Identifier: Apache-2.0
/**
 * The supervisors' live board (`board:updated`). PROTECTS two promises: a supervisor sees the
 * shift as it is (who waits and how long, chats under way, peers on duty and on a break, who
 * asked for help), kept current as people act; and the board carries counts and pseudonyms
 * only, never anything a survivor wrote, never a chat nobody escalated, and never to anyone but
 * a supervisor. redis-parity.test.ts runs this file again with the state in Redis.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Board } from '@kindred/protocol';
import { box } from './box.js';
import { expectOk, next, nextWhere, pair, peer, queueUpdate, request, startRelay, supervisor, survivor, watch } from './helpers.js';

const boardWhere = (socket: Parameters<typeof next>[0], wanted: (board: Board) => boolean) => nextWhere<Board>(socket, 'board:updated', wanted);

test('a supervisor gets the board right after signing in: an empty shift is all zeros', async () => {
  const relay = await startRelay();
  const { board } = await supervisor(relay);
  assert.deepEqual(board, { waiting: 0, longestWaitMs: 0, activeChats: 0, peersOnDuty: 0, peersOnBreak: 0, escalations: [] });
});

test('the board follows the shift: waiting and for how long, chats, peers on duty and on a break', async () => {
  const relay = await startRelay();
  const sage = (await supervisor(relay)).socket;

  const sam = await survivor(relay);
  const waiting = boardWhere(sage, (board) => board.waiting === 1);
  expectOk(await request(sam, 'chat:start', {}));
  await waiting;

  // Someone waits: whatever comes next says for how long, and it is not nothing.
  await new Promise((resolve) => setTimeout(resolve, 30));
  const robin = await peer(relay, {}, { onDuty: false });
  const onDuty = boardWhere(sage, (board) => board.peersOnDuty === 1);
  const listed = queueUpdate(robin);
  expectOk(await request(robin, 'duty:set', { onDuty: true }));
  const withPeer = await onDuty;
  assert.equal(withPeer.waiting, 1);
  assert.ok(withPeer.longestWaitMs > 0, `the wait counts (${withPeer.longestWaitMs} ms)`);
  assert.equal(withPeer.activeChats, 0);

  const chatting = boardWhere(sage, (board) => board.activeChats === 1);
  const { ticket } = (await listed).entries[0]!;
  const { chatId } = expectOk(await request<{ chatId: string }>(robin, 'chat:accept', { ticket }));
  const during = await chatting;
  assert.equal(during.waiting, 0);
  assert.equal(during.longestWaitMs, 0);

  const ash = await peer(relay, { name: 'Ash' }, { onDuty: false });
  const resting = boardWhere(sage, (board) => board.peersOnBreak === 1);
  expectOk(await request(ash, 'duty:set', { onDuty: false, onBreak: true }));
  assert.equal((await resting).peersOnDuty, 1);
  const back = boardWhere(sage, (board) => board.peersOnBreak === 0 && board.peersOnDuty === 2);
  expectOk(await request(ash, 'duty:set', { onDuty: true }));
  await back;

  const over = boardWhere(sage, (board) => board.activeChats === 0);
  expectOk(await request(robin, 'chat:end', { chatId }));
  await over;
  const fewer = boardWhere(sage, (board) => board.peersOnDuty === 1);
  robin.disconnect();
  await fewer;
});

test('while anyone waits the board comes again by itself, the wait counting up', async () => {
  const relay = await startRelay();
  const sage = (await supervisor(relay)).socket;
  const sam = await survivor(relay);
  const first = boardWhere(sage, (board) => board.waiting === 1);
  expectOk(await request(sam, 'chat:start', {}));
  const seen = await first;
  // Nothing else happens: the next board is the relay's own refresh.
  const refreshed = await next<Board>(sage, 'board:updated', 8_000);
  assert.equal(refreshed.waiting, 1);
  assert.ok(refreshed.longestWaitMs > seen.longestWaitMs);
});

test('the board lists only escalated chats, with pseudonyms and the wait, and nothing anyone wrote', async () => {
  const relay = await startRelay();
  const sage = (await supervisor(relay)).socket;
  const boards: Board[] = [];
  sage.on('board:updated', (board: Board) => boards.push(board));
  const quiet = await pair(relay, await peer(relay, { name: 'Robin' }));
  const loud = await pair(relay, await peer(relay, { name: 'Ash' }));
  const secret = box('CANARYboard-survivor-words');
  const heard = next(quiet.peer, 'message:received');
  expectOk(await request(quiet.survivor, 'message:send', { id: 'm1', seq: 1, box: secret }));
  await heard;

  const listed = boardWhere(sage, (board) => board.escalations.length === 1);
  expectOk(await request(loud.peer, 'chat:escalate', { chatId: loud.chatId }));
  const board = await listed;
  assert.equal(board.activeChats, 2);
  const [entry] = board.escalations;
  assert.deepEqual(Object.keys(entry!).sort(), ['chatId', 'peerName', 'survivorName', 'waitedMs']);
  assert.equal(entry!.chatId, loud.chatId);
  assert.equal(entry!.peerName, 'Ash');
  assert.equal(entry!.survivorName, loud.survivorName);

  const gone = boardWhere(sage, (after) => after.escalations.length === 0 && after.activeChats === 1);
  expectOk(await request(loud.survivor, 'chat:end', {}));
  await gone; // an escalation goes with its chat
  const all = JSON.stringify(boards);
  assert.equal(all.includes(secret), false);
  assert.equal(all.includes(quiet.chatId), false, 'a chat nobody escalated is never named');
});

test('peers who are not supervisors never get the board', async () => {
  const relay = await startRelay();
  const robin = await peer(relay);
  const onlooker = watch(robin, 'board:updated');
  const { peer: ash, chatId } = await pair(relay, await peer(relay, { name: 'Ash' }));
  expectOk(await request(ash, 'chat:escalate', { chatId }));
  const sage = (await supervisor(relay)).socket;
  const more = boardWhere(sage, (board) => board.waiting === 1);
  expectOk(await request(await survivor(relay), 'chat:start', {}));
  await more;
  assert.deepEqual(await onlooker.settle(), []);
});

test('several supervisors each get every change', async () => {
  const relay = await startRelay();
  const sage = (await supervisor(relay)).socket;
  const kai = (await supervisor(relay, { name: 'Kai' })).socket;
  const { peer: robin, chatId } = await pair(relay);
  const both = [sage, kai].map((socket) => boardWhere(socket, (board) => board.escalations.length === 1));
  assert.deepEqual(expectOk(await request(robin, 'chat:escalate', { chatId })), { supervisorsOnDuty: 2 });
  for (const board of await Promise.all(both)) assert.equal(board.escalations[0]!.chatId, chatId);
});
