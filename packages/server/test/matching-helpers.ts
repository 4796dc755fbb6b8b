// SPDX-License-Identifier: Apache-2.0
/** Helpers of the matching and offer tests: a hospital with topics and languages, and peers whose tokens list theirs. */
import type { Socket } from 'socket.io-client';
import { defaultHospital } from '../src/config.js';
import { signPeerToken, type Relay, type RelayConfig } from '../src/relay.js';
import { client, connect, expectOk, next, queueUpdate, request, secret, startRelay, survivor } from './helpers.js';

/** A hospital with topics and languages, English first. */
export const matchingHospital = {
  ...defaultHospital,
  topics: [
    { id: 'injury', label: 'After an injury', labels: { es: 'Después de una lesión' } },
    { id: 'assault', label: 'After an assault' },
  ],
  languages: ['en', 'es', 'fr', 'pt-BR'],
};

/** A relay with that hospital; offers off unless given. */
export function matchingRelay(overrides: Partial<RelayConfig> = {}): Promise<Relay> {
  return startRelay({ hospital: matchingHospital, offerMs: 0, ...overrides });
}

/** A connected peer whose token lists `topics` and `languages`, on duty unless `onDuty: false`. */
export async function peerWith(
  relay: Relay,
  claims: { name: string; maxChats?: number; topics?: string[]; languages?: string[] },
  { onDuty = true } = {},
): Promise<Socket> {
  const token = await signPeerToken(secret, { maxChats: 1, ...claims, ttlSeconds: 600 });
  const socket = client(relay, '/peer', { auth: { token } });
  const ready = next(socket, 'session:ready');
  await connect(socket);
  await ready;
  if (onDuty) expectOk(await request(socket, 'duty:set', { onDuty: true }));
  return socket;
}

/** A survivor who started a chat with `choice`; returns their socket and pseudonym as peers see it. */
export async function waiting(relay: Relay, watcher: Socket, choice: Record<string, string> = {}) {
  const socket = await survivor(relay);
  const before = new Set<string>();
  const listed = queueUpdate(watcher, (list) => {
    const fresh = list.entries.find((entry) => !before.has(entry.ticket));
    for (const entry of list.entries) before.add(entry.ticket);
    return fresh !== undefined && list.entries.length > 0;
  });
  expectOk(await request(socket, 'chat:start', choice));
  const list = await listed;
  return { socket, list };
}

