// SPDX-License-Identifier: Apache-2.0
/**
 * Counts what the state does, for `/metrics`: the state's own operations are where a chat
 * starts and ends, exactly once, whichever handler, sweep or relay caused it. So the counters
 * watch the state rather than each handler, and no new handler can forget to count.
 *
 * A Proxy, so the state stays what it was for everyone else (`instanceof MemoryState` included);
 * its methods run on the state itself, whose private fields a wrapper could not reach.
 */
import type { EndReason } from '@kindred/protocol';
import type { Metrics } from './metrics.js';
import type { Ended, State } from './state/state.js';

/** The state, with its chat starts and ends counted in `metrics`. */
export function observeState<S extends State>(state: S, metrics: Metrics): S {
  const ended = (result: Ended | string | undefined, reason: EndReason) => {
    if (typeof result !== 'object') return; // nothing ended ('no-chat', 'not-found', 'removed', undefined)
    if (result.wasWaiting) metrics.queueLeft();
    else metrics.chatEnded(reason);
  };

  /**
   * When the survivor behind `ticket` joined the queue. The accept itself does not say, so this
   * reads the queue first: one more read per accept, which happens at the pace of a person
   * pressing a button. A survivor requeued after their peer left keeps their first arrival, as
   * their place in line does.
   */
  const queuedAt = async (ticket: string) => {
    try {
      return (await state.queueSnapshot()).entries.find((entry) => entry.ticket === ticket)?.queuedAt;
    } catch {
      return undefined; // the accept fails the same way, and says so
    }
  };

  const observed: Partial<Record<keyof State | 'endForClosing', unknown>> = {
    async startChat(...args: Parameters<State['startChat']>) {
      const result = await state.startChat(...args);
      if (result !== 'already-started') metrics.queueJoined();
      return result;
    },
    async accept(ref: string, ticket: string) {
      const since = await queuedAt(ticket);
      const result = await state.accept(ref, ticket);
      if (typeof result !== 'string') metrics.chatStarted(since === undefined ? undefined : Date.now() - since);
      return result;
    },
    async endSurvivorChat(ref: string) {
      const result = await state.endSurvivorChat(ref);
      ended(result, 'survivor-ended');
      return result;
    },
    async endPeerChat(ref: string, chatId: string) {
      const result = await state.endPeerChat(ref, chatId);
      ended(result, 'peer-ended');
      return result;
    },
    async blockChat(ref: string, chatId: string, ms: number) {
      const result = await state.blockChat(ref, chatId, ms);
      ended(result, 'peer-ended');
      if (typeof result === 'object') metrics.chatBlocked();
      return result;
    },
    async transfer(fromRef: string, chatId: string, toRef: string) {
      const result = await state.transfer(fromRef, chatId, toRef);
      if (typeof result === 'object') metrics.chatTransferred();
      return result;
    },
    async expireSurvivor(ref: string, epoch: number) {
      const result = await state.expireSurvivor(ref, epoch);
      ended(result, 'survivor-left');
      return result;
    },
    async expirePeer(ref: string, epoch: number) {
      const result = await state.expirePeer(ref, epoch);
      // Each of their chats ended; its survivor is back in line (the gauge shows them waiting).
      for (let i = 0; i < (result?.length ?? 0); i += 1) metrics.chatEnded('peer-left');
      return result;
    },
  };
  // The in-memory state ends every chat itself when its (only) relay closes.
  const closing = (state as { endForClosing?: (chatRef: string) => Ended | undefined }).endForClosing;
  if (closing) {
    observed.endForClosing = (chatRef: string) => {
      const result = closing.call(state, chatRef);
      ended(result, 'relay-closing');
      return result;
    };
  }

  // Each method is bound once: binding on every read would allocate a function for every
  // state call, several per relayed message (BENCHMARKS.md).
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(state, {
    get(target, key) {
      if (Object.hasOwn(observed, key)) return observed[key as keyof typeof observed];
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      let method = bound.get(key);
      if (method === undefined) {
        method = value.bind(target);
        bound.set(key, method);
      }
      return method;
    },
  });
}
