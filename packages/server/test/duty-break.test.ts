// SPDX-License-Identifier: Apache-2.0
/**
 * Breaks and the wellbeing settings. PROTECTS: a peer can step away on a break (off duty, and
 * counted apart), which a reload keeps; going on duty ends it; a break on duty is refused; the
 * console is told the hospital's wellbeing settings; bad settings stop the relay at start with
 * every problem listed. Run against Redis too (redis-parity.test.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../src/relay.js';
import { expectOk, pair, peerBack, peerSession, queueUpdate, request, secret, startRelay, survivor } from './helpers.js';

test('a break is off duty and survives a reload; going on duty ends it', async () => {
  const relay = await startRelay();
  const robin = await peerSession(relay, { name: 'Robin' }, { onDuty: false });
  assert.equal(robin.ready.onBreak, false);
  assert.deepEqual(expectOk(await request(robin.socket, 'duty:set', { onDuty: true })), { onDuty: true, onBreak: false });
  assert.deepEqual(expectOk(await request(robin.socket, 'duty:set', { onDuty: false, onBreak: true })), { onDuty: false, onBreak: true });

  // On a break a peer is off duty: a waiting survivor sees nobody who can answer.
  const sam = await survivor(relay);
  const status = expectOk(await request<{ peersOnDuty: number }>(sam, 'chat:start', {}));
  assert.equal(status.peersOnDuty, 0);

  robin.socket.disconnect();
  const back = await peerBack(relay, { resume: robin.ready.resume });
  assert.equal(back.ready.resumed, true);
  assert.equal(back.ready.onDuty, false);
  assert.equal(back.ready.onBreak, true, 'the console shows the break again after a reload');

  const listed = queueUpdate(back.socket);
  assert.deepEqual(expectOk(await request(back.socket, 'duty:set', { onDuty: true })), { onDuty: true, onBreak: false });
  assert.equal((await listed).total, 1, 'back on duty, they see the survivor waiting');
  back.socket.disconnect();
  const again = await peerBack(relay, { resume: robin.ready.resume });
  assert.deepEqual([again.ready.onDuty, again.ready.onBreak], [true, false]);
});

test('going off duty without a break is not a break; a break on duty is refused and changes nothing', async () => {
  const relay = await startRelay();
  const robin = await peerSession(relay, { name: 'Robin' });
  for (const payload of [{ onDuty: true, onBreak: true }, { onBreak: true }, { onDuty: false, onBreak: 'yes' }, { onDuty: false, onBreak: true, minutes: 5 }]) {
    const ack = await request(robin.socket, 'duty:set', payload);
    assert.equal(!ack.ok && ack.error.code, 'payload-invalid', JSON.stringify(payload));
  }
  // Still on duty: a chat can be accepted.
  const { chatId } = await pair(relay, robin.socket);
  assert.match(chatId, /^[A-Za-z0-9_-]{22}$/);
  assert.deepEqual(expectOk(await request(robin.socket, 'duty:set', { onDuty: false })), { onDuty: false, onBreak: false });
  robin.socket.disconnect();
  const back = await peerBack(relay, { resume: robin.ready.resume });
  assert.deepEqual([back.ready.onDuty, back.ready.onBreak], [false, false]);
});

test('the console is told the hospital’s wellbeing settings', async () => {
  const defaults = await startRelay();
  assert.deepEqual((await peerSession(defaults)).ready.wellbeing, { breakReminderMinutes: 90, debrief: true });
  const quiet = await startRelay({ wellbeing: { breakReminderMinutes: null, debrief: false } });
  assert.deepEqual((await peerSession(quiet)).ready.wellbeing, { breakReminderMinutes: null, debrief: false });
});

const load = (file: unknown) => loadConfig({ KINDRED_SECRET: secret, KINDRED_CONFIG: '/kindred.json' }, { demo: false }, () => JSON.stringify(file));

test('wellbeing and blockMinutes come from KINDRED_CONFIG; 0 or null turns the break reminder off', () => {
  assert.deepEqual(load({}).config.wellbeing, { breakReminderMinutes: 90, debrief: true });
  assert.equal(load({}).config.blockMs, 60 * 60_000);
  const set = load({ wellbeing: { breakReminderMinutes: 45, debrief: false }, blockMinutes: 15 }).config;
  assert.deepEqual(set.wellbeing, { breakReminderMinutes: 45, debrief: false });
  assert.equal(set.blockMs, 15 * 60_000);
  assert.equal(load({ wellbeing: { breakReminderMinutes: 0 } }).config.wellbeing.breakReminderMinutes, null);
  assert.deepEqual(load({ wellbeing: { breakReminderMinutes: null } }).config.wellbeing, { breakReminderMinutes: null, debrief: true });
});

test('bad wellbeing and block settings stop the relay at start, every problem listed', () => {
  assert.throws(
    () => load({ wellbeing: { breakReminderMinutes: 1.5, debrief: 'yes', nap: true }, blockMinutes: 0, matching: { offerSeconds: 3 } }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      const text = error.problems.join('\n');
      assert.match(text, /wellbeing\.breakReminderMinutes: must be a whole number of minutes/);
      assert.match(text, /wellbeing\.debrief: must be true or false/);
      assert.match(text, /wellbeing\.nap/);
      assert.match(text, /blockMinutes: must be from 1 to 10080/);
      assert.match(text, /matching\.offerSeconds/, 'listed with the others');
      return true;
    },
  );
  assert.throws(() => load({ wellbeing: { breakReminderMinutes: 721 } }), /must be 0 or null \(no reminder\) or from 1 to 720/);
  assert.throws(() => load({ blockMinutes: '60' }), /blockMinutes/);
});
