// SPDX-License-Identifier: Apache-2.0
/**
 * What a newcomer does after `npm start`: open the demo hospital page the relay prints, open
 * the printed sign-in link in another window, and chat. The relay runs as the real CLI process.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { person } from './harness.js';

const main = fileURLToPath(new URL('../packages/server/dist/main.js', import.meta.url));

test('the demo the relay prints: hospital page, sign-in link, a chat both ways', { timeout: 60_000 }, async () => {
  const relay = spawn(process.execPath, [main, '--demo'], {
    env: { PATH: process.env.PATH ?? '', PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  after(() => relay.kill('SIGTERM'));
  let printed = '';
  relay.stdout.on('data', (chunk) => (printed += chunk));
  while (!/Demo peer sign-in/.test(printed)) await once(relay.stdout, 'data');
  const page = /Demo hospital page:\s+(\S+)/.exec(printed)?.[1];
  const link = /Demo peer sign-in:\s+(\S+)/.exec(printed)?.[1];
  assert.ok(page && link, printed);

  const survivor = await person();
  const peer = await person();
  await peer.page.goto(link);
  await peer.page.getByRole('button', { name: 'Go on duty' }).click();

  await survivor.page.goto(page);
  await survivor.page.getByRole('heading', { name: 'Support after trauma' }).waitFor();
  await survivor.page.getByRole('button', { name: /chat/i }).click();
  const frame = survivor.page.frameLocator('iframe[title="Peer support chat"]');
  await frame.getByRole('button', { name: 'Start chat' }).click();
  await peer.page.getByRole('button', { name: /^Accept/ }).click();
  await frame.getByText('You are talking with Demo peer').waitFor();

  await frame.getByRole('textbox', { name: 'Message' }).fill('Is anyone there?');
  await frame.getByRole('button', { name: 'Send' }).click();
  await peer.page.getByRole('log').getByText('Is anyone there?').waitFor();
  await peer.page.getByRole('textbox', { name: 'Message' }).fill('Yes. I am here with you.');
  await peer.page.getByRole('button', { name: 'Send' }).click();
  await frame.getByRole('log').getByText('Yes. I am here with you.').waitFor();

  // The demo page is itself a strict host page (its policy is the relay's): nothing was refused.
  assert.deepEqual(await survivor.violations(), []);
  assert.deepEqual(await peer.violations(), []);
});
