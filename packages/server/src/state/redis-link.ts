// SPDX-License-Identifier: Apache-2.0
/**
 * The relay's connections to Redis (or Valkey), behind REDIS_URL: one client for commands and
 * publishing, one for subscribing, and Socket.IO's Redis adapter over them, so that an emit to
 * a socket on another relay reaches it.
 *
 * The adapter is the pub/sub one, sharded (SPUBLISH/SSUBSCRIBE) when the server has it (Redis 7
 * and later, Valkey): a packet crosses Redis in flight and is stored nowhere. Socket.IO's Redis
 * Streams adapter and connection-state recovery are never used: both keep packets, i.e.
 * message text, in storage.
 *
 * Redis may go away at any time. The relay must stay up: commands fail at once instead of
 * queueing (`disableOfflineQueue`), the clients reconnect by themselves, and the few adapter
 * calls that would otherwise reject with nobody listening (which would end the process) are
 * given an answer.
 */
import { createClient, type RedisClientType } from '@redis/client';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import type { Namespace } from 'socket.io';
import type { Logger } from '../log.js';

export interface RedisLink {
  /** Commands (the state's scripts) and publishing. */
  readonly client: RedisClientType;
  /** Subscriptions of the adapter. */
  readonly subscriber: RedisClientType;
  /** Whether the adapter uses sharded pub/sub. */
  readonly sharded: boolean;
  /** The Socket.IO adapter for `io.adapter(…)`. */
  readonly adapter: (nsp: Namespace) => unknown;
  /** Both clients are connected. */
  ready(): boolean;
  /** Quits both clients (at once when Redis is away). */
  close(): Promise<void>;
}

/** How long `connectRedis` waits for Redis at start before starting without it (not ready). */
const startWaitMs = 3_000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** The major version from `INFO server`, or undefined when it cannot be read. */
function majorVersion(info: unknown): number | undefined {
  if (typeof info !== 'string') return undefined;
  const match = /^redis_version:(\d{1,3})\./m.exec(info);
  return match ? Number(match[1]) : undefined;
}

/**
 * Connects to Redis. Resolves within a few seconds even when Redis is down: the relay then
 * starts not ready, and becomes ready when Redis comes.
 */
export async function connectRedis(url: string, channelPrefix: string, log: Logger): Promise<RedisLink> {
  const client: RedisClientType = createClient({
    url,
    // Fail at once while disconnected: a request is answered `unavailable` now, not queued
    // for minutes in memory.
    disableOfflineQueue: true,
    pingInterval: 5_000,
    socket: { connectTimeout: 2_000, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1_000) },
  });
  // The subscriber keeps its queue: subscriptions made while Redis is away are sent when it
  // is back (and node-redis subscribes again to everything after every reconnect).
  const subscriber: RedisClientType = client.duplicate({ disableOfflineQueue: false });

  let up = false;
  const changed = () => {
    const now = client.isReady && subscriber.isReady;
    if (now === up) return;
    up = now;
    log[now ? 'info' : 'error'](now ? 'redis-ready' : 'redis-unavailable');
  };
  for (const c of [client, subscriber]) {
    // The error itself is not logged: it may name the Redis host. Readiness says enough.
    c.on('error', changed);
    c.on('ready', changed);
    c.on('end', changed);
    c.on('reconnecting', changed);
  }

  const connecting = Promise.all([client.connect(), subscriber.connect()]).then(
    () => true,
    () => false,
  );
  await Promise.race([connecting, delay(startWaitMs)]);

  // Sharded pub/sub needs Redis 7 (SPUBLISH); without an answer, assume a current server.
  let sharded = true;
  if (client.isReady) {
    try {
      const version = majorVersion(await client.sendCommand(['INFO', 'server']));
      if (version !== undefined && version < 7) sharded = false;
    } catch {
      // Keep the default.
    }
  }
  // One channel per namespace ('static'), not one per room ('dynamic'). In dynamic mode a room
  // emptied and filled again before Redis answers the SUNSUBSCRIBE (the last peer on duty here
  // goes off duty as another comes on) is left with no subscription: @redis/client drops the
  // channel's listeners when that answer comes, after the new SSUBSCRIBE was skipped as already
  // subscribed, and emits to that room from other relays are lost here until it empties again
  // (npm run bench's two-relay run hit it when the waiting list went to the on-duty room).
  // Static costs nothing: the relay emits to socket ids, which go on the namespace channel to
  // every relay in either mode, and it saves a SSUBSCRIBE/SUNSUBSCRIBE per change of duty.
  const factory = (sharded ? createShardedAdapter : createAdapter)(client, subscriber, sharded ? { channelPrefix, subscriptionMode: 'static' } : { key: channelPrefix });

  // Socket.IO calls `new adapter(nsp)`: a function (not an arrow) returning the instance.
  const adapter = function (nsp: Namespace) {
    const instance = factory(nsp) as unknown as {
      serverCount(): Promise<number>;
      close(): Promise<void> | void;
    };
    // A broadcast with acknowledgements asks how many relays there are; socket.io does not
    // catch a failure there, and an unhandled rejection would end the process. Without Redis
    // only this relay can answer anyway.
    const serverCount = instance.serverCount.bind(instance);
    instance.serverCount = () => serverCount().catch(() => 1);
    // Unsubscribing waits for Redis; closing the relay must not.
    const close = instance.close.bind(instance);
    instance.close = () => Promise.race([Promise.resolve(close()).catch(() => undefined), delay(1_000)]);
    return instance;
  };

  return {
    client,
    subscriber,
    sharded,
    adapter,
    ready: () => client.isReady && subscriber.isReady,
    async close() {
      await Promise.all(
        [client, subscriber].map(async (c) => {
          if (c.isReady) await Promise.race([c.quit().catch(() => undefined), delay(1_000)]);
          // Not connected (Redis is away), or QUIT got no answer in time.
          if (c.isOpen) await c.disconnect().catch(() => undefined);
        }),
      );
    },
  };
}
