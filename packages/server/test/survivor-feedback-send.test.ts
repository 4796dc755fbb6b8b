// SPDX-License-Identifier: Apache-2.0
/**
 * `feedback:send`, the survivor's "Did this chat help?" (issue 4). PROTECTS: an answer counts
 * once per chat that ended with a peer, on the connection it ended on; it is refused before
 * any such chat ended, a second time, and with a malformed payload; and `/metrics` shows only
 * the yes/no counts, nothing that tells a chat or a person apart.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectOk, next, pair, request, startRelay, survivor } from './helpers.js';
import { metricsToken, scrape } from './metrics-text.js';

const answers = async (relay: Awaited<ReturnType<typeof startRelay>>) => {
  const metrics = await scrape(relay);
  return { yes: metrics.value('kindred_chat_feedback_total', { answer: 'yes' }), no: metrics.value('kindred_chat_feedback_total', { answer: 'no' }) };
};

test('after the peer ends the chat, one answer is counted; a second is refused', async () => {
  const relay = await startRelay({ metricsToken });
  assert.deepEqual(await answers(relay), { yes: 0, no: 0 });
  const chat = await pair(relay);
  const ended = next(chat.survivor, 'chat:ended');
  expectOk(await request(chat.peer, 'chat:end', { chatId: chat.chatId }));
  await ended;
  expectOk(await request(chat.survivor, 'feedback:send', { helped: true }));
  const again = await request(chat.survivor, 'feedback:send', { helped: false });
  assert.equal(again.ok, false);
  assert.equal(!again.ok && again.error.code, 'feedback-closed');
  assert.deepEqual(await answers(relay), { yes: 1, no: 0 });
});

test('after the survivor ends the chat themself, "not really" is counted as no', async () => {
  const relay = await startRelay({ metricsToken });
  const chat = await pair(relay);
  expectOk(await request(chat.survivor, 'chat:end', {}));
  expectOk(await request(chat.survivor, 'feedback:send', { helped: false }));
  assert.deepEqual(await answers(relay), { yes: 0, no: 1 });
});

test('refused before any chat ended: a fresh connection, a chat under way, a queue left before any peer came', async () => {
  const relay = await startRelay({ metricsToken });
  const fresh = await survivor(relay);
  const refused = await request(fresh, 'feedback:send', { helped: true });
  assert.equal(!refused.ok && refused.error.code, 'feedback-closed');

  const chat = await pair(relay);
  const during = await request(chat.survivor, 'feedback:send', { helped: true });
  assert.equal(!during.ok && during.error.code, 'feedback-closed', 'not while the chat goes on');

  // Waiting is not a chat: leaving the queue opens no question.
  expectOk(await request(fresh, 'chat:start', {}));
  expectOk(await request(fresh, 'chat:end', {}));
  const afterQueue = await request(fresh, 'feedback:send', { helped: false });
  assert.equal(!afterQueue.ok && afterQueue.error.code, 'feedback-closed');

  // Another connection cannot answer for a chat that ended elsewhere.
  expectOk(await request(chat.survivor, 'chat:end', {}));
  const other = await survivor(relay);
  const elsewhere = await request(other, 'feedback:send', { helped: true });
  assert.equal(!elsewhere.ok && elsewhere.error.code, 'feedback-closed');
  assert.deepEqual(await answers(relay), { yes: 0, no: 0 });
});

test('a new chat withdraws the unanswered question about the last one', async () => {
  const relay = await startRelay({ metricsToken });
  const chat = await pair(relay);
  expectOk(await request(chat.survivor, 'chat:end', {}));
  expectOk(await request(chat.survivor, 'chat:start', {}));
  const refused = await request(chat.survivor, 'feedback:send', { helped: true });
  assert.equal(!refused.ok && refused.error.code, 'feedback-closed');
  assert.deepEqual(await answers(relay), { yes: 0, no: 0 });
});

test('payloads that are not exactly { helped: boolean } are refused and count nothing, and leave the question open', async () => {
  const relay = await startRelay({ metricsToken });
  const chat = await pair(relay);
  expectOk(await request(chat.survivor, 'chat:end', {}));
  for (const payload of [{}, { helped: 'yes' }, { helped: 1 }, { helped: null }, { helped: true, chatId: 'x' }, [true], 'yes', null]) {
    const ack = await request(chat.survivor, 'feedback:send', payload);
    assert.equal(!ack.ok && ack.error.code, 'payload-invalid', JSON.stringify(payload));
  }
  assert.deepEqual(await answers(relay), { yes: 0, no: 0 });
  expectOk(await request(chat.survivor, 'feedback:send', { helped: true }));
  assert.deepEqual(await answers(relay), { yes: 1, no: 0 });
});

test('/metrics carries the two counts and nothing that identifies the chat or the survivor', async () => {
  const relay = await startRelay({ metricsToken });
  const chat = await pair(relay);
  expectOk(await request(chat.survivor, 'chat:end', {}));
  expectOk(await request(chat.survivor, 'feedback:send', { helped: true }));
  const { text } = await scrape(relay);
  for (const secretThing of [chat.chatId, chat.survivorName, chat.survivor.id, chat.peer.id]) {
    if (secretThing) assert.ok(!text.includes(secretThing), `not in /metrics: ${secretThing.slice(0, 6)}…`);
  }
  const lines = text.split('\n').filter((line) => line.startsWith('kindred_chat_feedback_total'));
  assert.deepEqual(lines, ['kindred_chat_feedback_total{answer="yes"} 1', 'kindred_chat_feedback_total{answer="no"} 0']);
});
