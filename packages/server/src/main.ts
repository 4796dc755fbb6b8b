#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
/**
 * The `kindred-relay` command, and the only module that reads the environment or listens.
 *
 *   kindred-relay [--demo]                                   start the relay
 *   kindred-relay token --name NAME [--max-chats N] [--role peer|supervisor]
 *                       [--topics a,b] [--languages en,es] [--ttl 12h]   print a signed peer token
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { limits, peerClaimsSchema } from '@kindred/protocol';
import * as v from 'valibot';
import { maxTokenSeconds, parseDuration, signPeerToken } from './auth/tokens.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './log.js';
import { createRelay } from './relay.js';

/** Longest a SIGTERM may take: well inside the 10 s orchestrators usually allow. */
const shutdownDeadlineMs = 8_000;

const usage = `Usage:
  kindred-relay [--demo]
  kindred-relay token --name NAME [--max-chats N] [--role peer|supervisor] [--topics a,b] [--languages en,es] [--ttl 12h]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

async function printToken(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: 'string' },
      'max-chats': { type: 'string' },
      role: { type: 'string' },
      topics: { type: 'string' },
      languages: { type: 'string' },
      ttl: { type: 'string' },
    },
  });
  const problems: string[] = [];
  const secret = process.env.KINDRED_SECRET ?? '';
  if (secret.length < 32) problems.push('KINDRED_SECRET must be set (at least 32 characters) to sign tokens.');
  const name = values.name?.trim() ?? '';
  if (name.length === 0 || name.length > limits.displayName) {
    problems.push(`--name is required: the display name survivors see, 1 to ${limits.displayName} characters.`);
  }
  const maxChats = Number(values['max-chats'] ?? '1');
  if (!Number.isInteger(maxChats) || maxChats < 1 || maxChats > limits.maxChatsPerPeer) {
    problems.push(`--max-chats must be a whole number from 1 to ${limits.maxChatsPerPeer}.`);
  }
  // Checked by the same schema the relay checks tokens with, so the command never prints a token the relay would refuse.
  const claim = <K extends keyof typeof peerClaimsSchema.entries>(key: K, value: unknown, problem: string) => {
    const parsed = v.safeParse(peerClaimsSchema.entries[key], value);
    if (!parsed.success) problems.push(problem);
    return parsed.success ? (parsed.output as v.InferOutput<(typeof peerClaimsSchema.entries)[K]>) : undefined;
  };
  const list = (text: string | undefined) => (text ?? '').split(',').map((each) => each.trim()).filter(Boolean);
  const role = claim('role', values.role ?? 'peer', '--role must be peer or supervisor.');
  const topics = claim('topics', list(values.topics), `--topics must be at most ${limits.topicsPerPeer} topic ids, each 1 to 40 of a-z, 0-9 and -, separated by commas.`);
  const languages = claim('languages', list(values.languages), `--languages must be at most ${limits.languagesPerPeer} language tags such as en or pt-BR, separated by commas.`);
  const ttlSeconds = parseDuration(values.ttl ?? '12h');
  if (ttlSeconds === undefined || ttlSeconds > maxTokenSeconds) problems.push('--ttl must look like 90s, 30m, 12h or 7d, and be at most 7d.');
  if (problems.length > 0) fail(problems.join('\n'));
  process.stdout.write(`${await signPeerToken(secret, { name, maxChats, role: role!, topics: topics!, languages: languages!, ttlSeconds: ttlSeconds! })}\n`);
}

async function startRelay(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { demo: { type: 'boolean', default: false } } });
  let loaded;
  try {
    loaded = loadConfig(process.env, { demo: values.demo ?? false, execArgv: process.execArgv }, (path) => readFileSync(path, 'utf8'));
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const { config, secretGenerated } = loaded;
  const log = createLogger((line) => process.stderr.write(`${line}\n`));

  let relay;
  try {
    relay = await createRelay(config, { log });
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    const code = (error as { code?: unknown }).code;
    if (code === 'EADDRINUSE') fail(`Port ${config.port} is in use: set PORT to a free port.`);
    throw error;
  }

  // What a person starting the relay needs to read: where it is, and how to sign a peer in.
  const shown = relay.url.replace('//127.0.0.1:', '//localhost:');
  const lines = [`Kindred relay listening on ${shown}`];
  if (secretGenerated) {
    lines.push(`  No KINDRED_SECRET set: generated one for this run (peer tokens die with the process):`);
    lines.push(`  KINDRED_SECRET=${config.secret}`);
  }
  if (config.demo) {
    const token = await signPeerToken(config.secret, { name: 'Demo peer', maxChats: 3, ttlSeconds: 12 * 3600 });
    lines.push(`  Demo hospital page:  ${shown}/`);
    lines.push(`  Peer console:        ${shown}/console`);
    lines.push(`  Demo peer sign-in:   ${shown}/console#token=${token}`);
  } else {
    lines.push(`  Peer console:        ${shown}/console`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);

  // SIGTERM: stop accepting, tell everyone their chat ended (with REDIS_URL: hand every
  // connection over to the other relays instead), let what is in flight finish, exit 0. Nothing is lost by stopping (the relay holds nothing), so a close that hangs on a
  // stuck client is cut short rather than making an orchestrator wait for SIGKILL.
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), shutdownDeadlineMs).unref();
    void relay.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'token') {
  await printToken(rest);
} else if (command === undefined || command.startsWith('--')) {
  await startRelay(process.argv.slice(2));
} else {
  fail(usage);
}
