// SPDX-License-Identifier: Apache-2.0
/**
 * Picks the relay's state: in memory (the default, one relay), or shared in Redis behind
 * REDIS_URL, with Socket.IO's Redis adapter so that any relay can reach any connection.
 */
import type { Namespace } from 'socket.io';
import type { RelayConfig } from '../config.js';
import type { Logger } from '../log.js';
import { MemoryState } from './memory.js';
import { connectRedis } from './redis-link.js';
import { RedisState } from './redis.js';
import type { State } from './state.js';

export interface StateBackend {
  readonly state: State;
  /** The Socket.IO adapter to use (Redis), or undefined for Socket.IO's own in-memory one. */
  readonly adapter: ((nsp: Namespace) => unknown) | undefined;
}

export async function createState(config: RelayConfig, log: Logger): Promise<StateBackend> {
  if (config.redisUrl === '') return { state: new MemoryState(), adapter: undefined };
  const link = await connectRedis(config.redisUrl, config.redisPrefix, log);
  const state = new RedisState(link, config.secret, { prefix: config.redisPrefix, resumeGraceMs: config.resumeGraceMs }, log);
  return { state, adapter: link.adapter };
}
