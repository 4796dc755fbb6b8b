// SPDX-License-Identifier: Apache-2.0
/**
 * The relay's state in Redis, shared by every relay of a deployment (REDIS_URL). Each
 * operation is one Lua script (redis-scripts.ts, which lists the keys); this class computes the
 * keyed hashes the scripts store instead of ids and tokens (redis-keys.ts), and treats every
 * reply as untrusted data: each field is checked for type, shape and length before the relay
 * uses it, and a reply that does not fit is an error, never a guess.
 */
import { createHash } from 'node:crypto';
import { ErrorReply } from '@redis/client';
import { limits, type EndReason, type ErrorCode, type PeerClaims } from '@kindred/protocol';
import { randomId, randomPseudonym } from '../ids.js';
import type { Logger } from '../log.js';
import type { RedisLink } from './redis-link.js';
import { createRedisKeys, type RedisKeys } from './redis-keys.js';
import { scripts, type ScriptName } from './redis-scripts.js';
import {
  gapWeight,
  StateUnavailableError,
  toldOfEnd,
  type Away,
  type BoardFigures,
  type EscalationEntry,
  type SupervisionJoined,
  type SupervisionParties,
  type ColleagueEntry,
  type Counts,
  type Due,
  type Ended,
  type DutyPeer,
  type NewSession,
  type OfferMade,
  type PeerBack,
  type QueueFigures,
  type QueueSnapshot,
  type Requeued,
  type Side,
  type State,
  type SurvivorBack,
  type SurvivorRoute,
  type Tick,
  type Transferred,
  type WaitChoice,
  type WaitingEntry,
  type Withdrawn,
} from './state.js';

/** A reply from Redis that is not what the scripts return: a bug, or a store someone else wrote. */
export class StateReplyError extends Error {
  override name = 'StateReplyError';
  constructor() {
    super('Redis answered something the relay does not expect.');
  }
}

export interface RedisStateOptions {
  /** Key prefix and Socket.IO channel prefix; the keys get `:{prefix}:` as their hash tag. */
  prefix: string;
  /** The resume grace period: keys outlive it by `holdMarginMs` at least. */
  resumeGraceMs: number;
  /** This relay's id in the cluster: random, names nobody. */
  node?: string;
}

/** How long every key lives past its last renewal, on top of the grace period (see redis-scripts.ts). */
const holdMarginMs = 10 * 60_000;
/** A command with no answer in this time is taken as Redis being unavailable. */
const commandTimeoutMs = 3_000;
/** A relay whose heartbeat is this old is taken for dead (ticks come every second). */
export const nodeTtlMs = 5_000;
/** A sweep leaves an expired grace period this long to the relay that armed its timer. */
const sweepMarginMs = 1_000;
/** Expiries handed out per tick (the rest come next tick). */
const dueLimit = 100;
/** Every this many ticks, renew the expiry of what this relay's connections hold, and reconcile. */
const refreshEvery = 30;
/** The wait-estimate figures are forgotten after a day without accepts. */
const statsTtlMs = 86_400_000;

// ---------------------------------------------------------------------------- reply checking

function fail(): never {
  throw new StateReplyError();
}

function list(value: unknown, length?: number): unknown[] {
  if (!Array.isArray(value) || (length !== undefined && value.length !== length) || value.length > 10_000) fail();
  return value;
}

function text(value: unknown, max = 64): string {
  if (typeof value !== 'string' || value.length > max) fail();
  return value;
}

const opaque = /^[A-Za-z0-9_-]{22}$/;
/** A reference or a seed: 22 base64url characters. */
function ref(value: unknown): string {
  const v = text(value);
  if (!opaque.test(v)) fail();
  return v;
}

/** A socket id (socket.io: 20 base64url characters), or undefined for ''. */
function socket(value: unknown): string | undefined {
  const v = text(value);
  if (v === '') return undefined;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(v)) fail();
  return v;
}

function count(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 0) fail();
  return n;
}

function optionalCount(value: unknown): number | undefined {
  return value === '' ? undefined : count(value);
}

function displayName(value: unknown): string {
  const v = text(value, limits.displayName);
  if (v.length === 0) fail();
  return v;
}

const endReasons: readonly EndReason[] = ['survivor-ended', 'survivor-left', 'peer-ended', 'peer-left', 'relay-closing'];
function reason(value: unknown): EndReason {
  const v = text(value);
  if (!(endReasons as readonly string[]).includes(v)) fail();
  return v as EndReason;
}

function figures(value: unknown): QueueFigures {
  const [position, peersOnDuty, gap] = list(value, 3);
  return { position: count(position), peersOnDuty: count(peersOnDuty), acceptGapMs: optionalCount(gap) };
}

const flag = (value: boolean) => (value ? '1' : '0');

/** A topic id as the hospital configures them (`injury`), or undefined for ''. */
function topic(value: unknown): string | undefined {
  const v = text(value, 40);
  if (v === '') return undefined;
  if (!/^[a-z0-9-]{1,40}$/.test(v)) fail();
  return v;
}

/** A language tag (`en`, `pt-BR`), or undefined for ''. */
function language(value: unknown): string | undefined {
  const v = text(value, limits.languageTag);
  if (v === '') return undefined;
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(v)) fail();
  return v;
}

/** A space-separated list, each item checked by `item`. */
function words<T>(value: unknown, item: (word: string) => T | undefined, max: number): T[] {
  const v = text(value, max * 64);
  const out = v.split(' ').filter(Boolean).map((word) => item(word) ?? fail());
  if (out.length > max) fail();
  return out;
}

// ------------------------------------------------------------------------------------ state

export class RedisState implements State {
  readonly shared = true;
  readonly node: string;
  readonly #link: RedisLink;
  readonly #keys: RedisKeys;
  readonly #log: Logger;
  readonly #prefix: string;
  readonly #hold: string;
  readonly #shas: Record<ScriptName, string>;
  #counts: Counts = { chats: 0, waiting: 0, peers: 0, survivors: 0, peersOnBreak: 0 };
  /** The last tick reached Redis. */
  #alive = false;
  /** This relay has had a heartbeat in Redis (so a missing one means it lapsed). */
  #beaten = false;
  #ticks = 0;
  /** A command failed since the last reconcile: reconcile at the next tick. */
  #failed = false;

  constructor(link: RedisLink, secret: string, options: RedisStateOptions, log: Logger) {
    this.#link = link;
    this.#keys = createRedisKeys(secret);
    this.#log = log;
    this.node = options.node ?? randomId();
    this.#prefix = `${options.prefix}:{${options.prefix}}:`;
    this.#hold = String(options.resumeGraceMs + holdMarginMs);
    this.#shas = Object.fromEntries(
      Object.entries(scripts).map(([name, source]) => [name, createHash('sha1').update(source).digest('hex')]),
    ) as Record<ScriptName, string>;
  }

  ready(): boolean {
    return this.#alive && this.#link.ready();
  }

  counts(): Counts {
    return { ...this.#counts };
  }

  async countsNow(): Promise<Counts> {
    await this.#run('counts', []);
    return this.counts();
  }

  // ------------------------------------------------------------------------------ survivors

  /**
   * Never fails for want of Redis: a survivor can always connect and read the hospital's
   * information. A session that could not be written is written when they start a chat
   * (`startChat` recreates it); until then it holds nothing to lose.
   */
  async openSurvivor(socketId: string): Promise<NewSession> {
    const resume = randomId();
    const sessionRef = this.#keys.survivorRef(resume);
    try {
      this.#expect(await this.#run('openSurvivor', [sessionRef, socketId, this.node]), 'ok');
    } catch (error) {
      if (!(error instanceof StateUnavailableError)) throw error;
    }
    return { ref: sessionRef, resume };
  }

  async resumeSurvivor(resume: string, socketId: string): Promise<{ ref: string; back: SurvivorBack } | undefined> {
    const sessionRef = this.#keys.survivorRef(resume);
    const reply = list(await this.#run('resumeSurvivor', [sessionRef, socketId, this.node]));
    if (reply[0] === 'none') return undefined;
    if (reply[0] !== 'back' || reply.length !== 4) fail();
    const ended = text(reply[2]);
    const view = list(reply[3]);
    let chat: SurvivorBack['chat'];
    if (view[0] === 'idle' && view.length === 1) chat = null;
    else if (view[0] === 'chatting' && view.length === 5) {
      chat = { state: 'chatting', chatId: this.#keys.chatId(ref(view[1])), peerName: displayName(view[2]), peerSocket: socket(view[3]), supervised: view[4] === '1' };
    } else if (view[0] === 'waiting' && view.length === 3) {
      chat = { state: 'waiting', chatRef: ref(view[1]), figures: figures(view[2]) };
    } else fail();
    return { ref: sessionRef, back: { previousSocket: socket(reply[1]), chat, ended: ended === '' ? undefined : reason(ended) } };
  }

  async startChat(sessionRef: string, socketId: string, choice: WaitChoice): Promise<{ chatRef: string; figures: QueueFigures } | 'already-started'> {
    const chat = this.#keys.newChat();
    const args = [sessionRef, socketId, this.node, chat.chatRef, chat.seed, chat.ticketRef, randomPseudonym(), flag(choice.urgent), choice.topic ?? '', choice.language ?? ''];
    const reply = list(await this.#run('startChat', args));
    if (reply[0] === 'already-started') return 'already-started';
    if (reply[0] !== 'ok' || reply.length !== 2) fail();
    return { chatRef: chat.chatRef, figures: figures(reply[1]) };
  }

  async survivorRoute(sessionRef: string): Promise<SurvivorRoute | undefined> {
    const reply = list(await this.#run('survivorRoute', [sessionRef]));
    if (reply[0] === 'none') return undefined;
    if (reply[0] !== 'route' || reply.length !== 4) fail();
    return { chatId: this.#keys.chatId(ref(reply[1])), paired: reply[2] === '1', peerSocket: socket(reply[3]) };
  }

  async endSurvivorChat(sessionRef: string): Promise<Ended | 'no-chat'> {
    const told = toldOfEnd('survivor-ended');
    const reply = list(await this.#run('endSurvivorChat', [sessionRef, 'survivor-ended', flag(told.survivor), flag(told.peer)]));
    if (reply[0] === 'no-chat') return 'no-chat';
    return this.#ended(reply) ?? 'no-chat';
  }

  async survivorAway(sessionRef: string, socketId: string, graceMs: number): Promise<Away | 'removed' | undefined> {
    return this.#away(await this.#run('survivorAway', [sessionRef, socketId, String(graceMs)]));
  }

  async expireSurvivor(sessionRef: string, epoch: number): Promise<Ended | 'removed' | undefined> {
    const told = toldOfEnd('survivor-left');
    const reply = list(await this.#run('expireSurvivor', [sessionRef, String(epoch), 'survivor-left', flag(told.survivor), flag(told.peer)]));
    if (reply[0] === 'none') return undefined;
    if (reply[0] === 'removed' || reply[0] === 'gone') return 'removed';
    return this.#ended(reply);
  }

  // ---------------------------------------------------------------------------------- peers

  async openPeer(socketId: string, claims: PeerClaims): Promise<NewSession> {
    const resume = randomId();
    const sessionRef = this.#keys.peerRef(resume);
    const args = [sessionRef, socketId, this.node, claims.name, String(claims.maxChats), (claims.topics ?? []).join(' '), (claims.languages ?? []).join(' ')];
    this.#expect(await this.#run('openPeer', args), 'ok');
    return { ref: sessionRef, resume };
  }

  async hasPeer(resume: string): Promise<boolean> {
    const reply = list(await this.#run('hasPeer', [this.#keys.peerRef(resume)]), 1);
    return reply[0] === '1';
  }

  async resumePeer(resume: string, socketId: string): Promise<{ ref: string; back: PeerBack } | undefined> {
    const sessionRef = this.#keys.peerRef(resume);
    const reply = list(await this.#run('resumePeer', [sessionRef, socketId, this.node]));
    if (reply[0] === 'none') return undefined;
    if (reply[0] !== 'back' || reply.length !== 8) fail();
    const maxChats = count(reply[3]);
    if (maxChats < 1 || maxChats > limits.maxChatsPerPeer) fail();
    const chats = list(reply[5]).map((entry) => {
      const [seed, name, survivorSocket] = list(entry, 3);
      return { chatId: this.#keys.chatId(ref(seed)), survivorName: displayName(name), survivorSocket: socket(survivorSocket) };
    });
    const ended = list(reply[6]).map((entry) => {
      const [seed, why] = text(entry).split(' ');
      return { chatId: this.#keys.chatId(ref(seed)), reason: reason(why) };
    });
    const back: PeerBack = { previousSocket: socket(reply[1]), name: displayName(reply[2]), maxChats, onDuty: reply[4] === '1', onBreak: reply[7] === '1', chats, ended };
    return { ref: sessionRef, back };
  }

  async setOnDuty(sessionRef: string, onDuty: boolean, onBreak = false): Promise<boolean> {
    const reply = list(await this.#run('setOnDuty', [sessionRef, flag(onDuty), flag(!onDuty && onBreak)]), 1);
    return reply[0] === 'ok';
  }

  async accept(
    sessionRef: string,
    ticket: string,
  ): Promise<{ chatId: string; survivorName: string; survivorSocket: string | undefined; taken: Withdrawn | undefined; released: Withdrawn | undefined } | ErrorCode> {
    const args = [sessionRef, this.#keys.ticketRef(ticket), String(gapWeight), String(statsTtlMs)];
    const reply = list(await this.#run('accept', args));
    if (reply.length === 1 && (reply[0] === 'not-on-duty' || reply[0] === 'capacity-reached' || reply[0] === 'not-found')) return reply[0];
    if (reply[0] !== 'ok' || reply.length !== 6) fail();
    return {
      chatId: this.#keys.chatId(ref(reply[1])),
      survivorName: displayName(reply[2]),
      survivorSocket: socket(reply[3]),
      taken: this.#withdrawn(reply[4]),
      released: this.#withdrawn(reply[5]),
    };
  }

  async offer(sessionRef: string, chatRef: string, ms: number): Promise<OfferMade | 'refused'> {
    const reply = list(await this.#run('offer', [sessionRef, chatRef, String(ms)]));
    if (reply[0] === 'refused' && reply.length === 1) return 'refused';
    if (reply[0] !== 'ok' || reply.length !== 10) fail();
    const peerSocket = socket(reply[8]);
    if (!peerSocket) fail();
    return {
      ticket: this.#keys.ticket(ref(reply[1])),
      survivorName: displayName(reply[2]),
      queuedAt: count(reply[3]),
      topic: topic(reply[4]),
      language: language(reply[5]),
      now: count(reply[6]),
      until: count(reply[7]),
      peerSocket,
      lapsed: this.#withdrawn(reply[9]),
    };
  }

  async declineOffer(sessionRef: string, ticket: string): Promise<'ok' | 'not-found'> {
    const reply = list(await this.#run('declineOffer', [sessionRef, this.#keys.ticketRef(ticket)]), 1);
    if (reply[0] !== 'ok' && reply[0] !== 'not-found') fail();
    return reply[0];
  }

  async lapseOffer(sessionRef: string, chatRef: string, until: number): Promise<Withdrawn | undefined> {
    const reply = list(await this.#run('lapseOffer', [sessionRef, chatRef, String(until)]));
    if (reply[0] === 'none' && reply.length === 1) return undefined;
    if (reply[0] !== 'lapsed' || reply.length !== 2) fail();
    return this.#withdrawn(reply[1]);
  }

  async peerRoute(sessionRef: string, chatId: string): Promise<{ survivorSocket: string | undefined } | undefined> {
    const reply = list(await this.#run('peerRoute', [sessionRef, this.#keys.chatRef(chatId)]));
    if (reply[0] === 'none') return undefined;
    if (reply[0] !== 'route' || reply.length !== 2) fail();
    return { survivorSocket: socket(reply[1]) };
  }

  async endPeerChat(sessionRef: string, chatId: string): Promise<Ended | 'not-found'> {
    const told = toldOfEnd('peer-ended');
    const args = [sessionRef, this.#keys.chatRef(chatId), 'peer-ended', flag(told.survivor), flag(told.peer)];
    const reply = list(await this.#run('endPeerChat', args));
    if (reply[0] === 'not-found') return 'not-found';
    return this.#ended(reply) ?? 'not-found';
  }

  // ------------------------------------------------------------ blocking, colleagues, transfer

  async blockChat(sessionRef: string, chatId: string, ms: number): Promise<Ended | 'not-found'> {
    const told = toldOfEnd('peer-ended');
    const args = [sessionRef, this.#keys.chatRef(chatId), 'peer-ended', flag(told.survivor), flag(told.peer), String(ms)];
    const reply = list(await this.#run('blockChat', args));
    if (reply[0] === 'not-found') return 'not-found';
    return this.#ended(reply) ?? 'not-found';
  }

  async survivorBlocked(sessionRef: string): Promise<boolean> {
    const reply = list(await this.#run('survivorBlocked', [sessionRef]), 1);
    return reply[0] === '1';
  }

  async colleagues(): Promise<ColleagueEntry[]> {
    const reply = list(await this.#run('colleagues', []), 2);
    if (reply[0] !== 'ok') fail();
    return list(reply[1]).map((entry) => {
      const [peerRef, name, chats, maxChats] = list(entry, 4);
      return { ref: ref(peerRef), name: displayName(name), chats: count(chats), maxChats: count(maxChats) };
    });
  }

  async transfer(fromRef: string, chatId: string, toRef: string): Promise<Transferred | 'not-found' | 'colleague-unavailable'> {
    const reply = list(await this.#run('transfer', [fromRef, this.#keys.chatRef(chatId), toRef]));
    if (reply.length === 1 && (reply[0] === 'not-found' || reply[0] === 'colleague-unavailable')) return reply[0];
    if (reply[0] !== 'ok' || reply.length !== 8) fail();
    return {
      chatId: this.#keys.chatId(ref(reply[1])),
      survivorName: displayName(reply[2]),
      survivorSocket: socket(reply[3]),
      peerSocket: socket(reply[4]) ?? fail(),
      peerName: displayName(reply[5]),
      released: this.#withdrawn(reply[6]),
      supervisorSocket: socket(reply[7]),
    };
  }

  async peerAway(sessionRef: string, socketId: string, graceMs: number): Promise<Away | undefined> {
    const away = this.#away(await this.#run('peerAway', [sessionRef, socketId, String(graceMs)]));
    return away === 'removed' ? undefined : away;
  }

  async expirePeer(sessionRef: string, epoch: number): Promise<Requeued[] | undefined> {
    // Fresh chats for the survivors to be requeued: a peer holds at most maxChatsPerPeer.
    const fresh = Array.from({ length: limits.maxChatsPerPeer }, () => this.#keys.newChat()).flatMap((chat) => [chat.chatRef, chat.seed, chat.ticketRef]);
    const reply = list(await this.#run('expirePeer', [sessionRef, String(epoch), ...fresh]));
    if (reply[0] === 'none') return undefined;
    if (reply[0] !== 'requeued' || reply.length !== 2) fail();
    return list(reply[1]).map((entry) => {
      const [chatRef, survivorSocket, place, supervisorSocket, seed] = list(entry, 5);
      const supervisor = socket(supervisorSocket);
      return {
        chatRef: ref(chatRef),
        survivorSocket: socket(survivorSocket),
        figures: figures(place),
        supervisor: supervisor ? { socket: supervisor, chatId: this.#keys.chatId(ref(seed)) } : undefined,
      };
    });
  }

  // ----------------------------------------------------------------------------------- both

  async socketOf(side: Side, sessionRef: string): Promise<string | undefined> {
    const reply = list(await this.#run('socketOf', [side === 'survivor' ? 's' : 'p', sessionRef]), 1);
    return socket(reply[0]);
  }

  async queueSnapshot(): Promise<QueueSnapshot> {
    const reply = list(await this.#run('queueSnapshot', []), 5);
    const entries = list(reply[3]).map((entry): WaitingEntry => {
      const [chatRef, seed, name, queuedAt, told, survivorSocket, urgent, chosenTopic, chosenLanguage, offer, until, passed] = list(entry, 12);
      const last = text(told);
      const offeredTo = text(offer) === '' ? undefined : ref(offer);
      return {
        chatRef: ref(chatRef),
        ticket: this.#keys.ticket(ref(seed)),
        survivorName: displayName(name),
        queuedAt: count(queuedAt),
        survivorSocket: socket(survivorSocket),
        told: last === '' ? undefined : last,
        urgent: urgent === '1',
        topic: topic(chosenTopic),
        language: language(chosenLanguage),
        offer: offeredTo ? { peer: offeredTo, until: count(until) } : undefined,
        passed: words(passed, ref, 10_000),
      };
    });
    const peers = list(reply[4]).map((entry): DutyPeer => {
      const [peerRef, peerSocket, topics, languages, chats, maxChats, offer, until, last] = list(entry, 9);
      const onOffer = text(offer) === '' ? undefined : ref(offer);
      return {
        ref: ref(peerRef),
        socket: socket(peerSocket) ?? fail(),
        topics: words(topics, topic, limits.topicsPerPeer),
        languages: words(languages, language, limits.languagesPerPeer),
        chats: count(chats),
        maxChats: count(maxChats),
        offer: onOffer ? { chatRef: onOffer, until: count(until) } : undefined,
        lastOfferAt: optionalCount(last) ?? 0,
      };
    });
    return { now: count(reply[0]), peersOnDuty: count(reply[1]), acceptGapMs: optionalCount(reply[2]), entries, peers };
  }

  async markTold(told: ReadonlyArray<readonly [string, string]>): Promise<void> {
    if (told.length === 0) return;
    await this.#run('markTold', told.flatMap(([chatRef, key]) => [chatRef, key]));
  }

  // ---------------------------------------------------------------------------- supervision

  async markSupervisor(sessionRef: string): Promise<void> {
    this.#expect(await this.#run('markSupervisor', [sessionRef]), 'ok');
  }

  async escalate(sessionRef: string, chatId: string): Promise<{ supervisorsOnDuty: number; fresh: boolean } | 'not-found'> {
    const reply = list(await this.#run('escalate', [sessionRef, this.#keys.chatRef(chatId)]));
    if (reply[0] === 'not-found' && reply.length === 1) return 'not-found';
    if (reply[0] !== 'ok' || reply.length !== 3) fail();
    return { supervisorsOnDuty: count(reply[1]), fresh: reply[2] === '1' };
  }

  async boardFigures(): Promise<BoardFigures> {
    const reply = list(await this.#run('boardFigures', []), 5);
    const escalations = list(reply[4]).map((entry): EscalationEntry => {
      const [seed, peerName, survivorName, since] = list(entry, 4);
      return { chatId: this.#keys.chatId(ref(seed)), peerName: displayName(peerName), survivorName: displayName(survivorName), since: count(since) };
    });
    // The counts came back with this very reply (`#run`), so they are of the same moment.
    const { chats, waiting } = this.#counts;
    return {
      now: count(reply[0]),
      waiting,
      oldestQueuedAt: optionalCount(reply[1]),
      activeChats: Math.max(0, chats - waiting),
      peersOnDuty: count(reply[2]),
      supervisors: count(reply[3]),
      escalations,
    };
  }

  async joinSupervision(sessionRef: string, socketId: string, chatId: string): Promise<SupervisionJoined | 'not-found'> {
    const reply = list(await this.#run('joinSupervision', [sessionRef, socketId, this.#keys.chatRef(chatId)]));
    if (reply[0] === 'not-found' && reply.length === 1) return 'not-found';
    if (reply[0] !== 'ok' || reply.length !== 5) fail();
    return { ...this.#parties(reply[1]), peerName: displayName(reply[2]), survivorName: displayName(reply[3]), replacedSocket: socket(reply[4]) };
  }

  async leaveSupervision(sessionRef: string, chatId: string): Promise<SupervisionParties | 'not-found'> {
    const reply = list(await this.#run('leaveSupervision', [sessionRef, this.#keys.chatRef(chatId)]));
    if (reply[0] === 'not-found' && reply.length === 1) return 'not-found';
    if (reply[0] !== 'ok' || reply.length !== 2) fail();
    return this.#parties(reply[1]);
  }

  async supervisorGone(sessionRef: string, socketId: string): Promise<SupervisionParties[]> {
    const reply = list(await this.#run('supervisorGone', [sessionRef, socketId]), 2);
    if (reply[0] !== 'ok') fail();
    return list(reply[1]).map((entry) => this.#parties(entry));
  }

  async supervisionRoute(sessionRef: string, chatId: string): Promise<{ to: string | undefined } | undefined> {
    const reply = list(await this.#run('supervisionRoute', [sessionRef, this.#keys.chatRef(chatId)]));
    if (reply[0] === 'none' && reply.length === 1) return undefined;
    if (reply[0] !== 'route' || reply.length !== 2) fail();
    return { to: socket(reply[1]) };
  }

  async tick(graceMs: number): Promise<Tick> {
    const refresh = this.#failed || this.#ticks % refreshEvery === 0;
    let reply: unknown[];
    try {
      const args = [this.node, String(nodeTtlMs), String(graceMs), String(sweepMarginMs), String(dueLimit), flag(refresh), flag(this.#beaten)];
      reply = list(await this.#run('tick', args), 4);
    } catch (error) {
      this.#alive = false;
      this.#failed = true;
      throw error;
    }
    this.#alive = true;
    this.#beaten = true;
    this.#ticks += 1;
    if (refresh) this.#failed = false;

    const side = (value: unknown): Side => (value === 's' ? 'survivor' : value === 'p' ? 'peer' : fail());
    const away: Tick['away'] = [];
    for (const entry of list(reply[1])) {
      const [who, sessionRef, result] = list(entry, 3);
      const found = this.#away(result);
      if (found && found !== 'removed') away.push({ side: side(who), ref: ref(sessionRef), away: found });
    }
    const due: Due[] = list(reply[2]).map((entry) => {
      const [who, sessionRef, epoch] = list(entry, 3);
      return { side: side(who), ref: ref(sessionRef), epoch: count(epoch) };
    });
    const mine = list(reply[3]).map((entry) => {
      const [who, sessionRef, socketId] = list(entry, 3);
      return { side: side(who), ref: ref(sessionRef), socket: socket(socketId) };
    });
    return { lapsed: reply[0] === '1', away, due, ...(refresh ? { mine } : {}) };
  }

  async close(): Promise<void> {
    try {
      if (this.#link.ready()) await this.#run('leave', [this.node]);
    } catch {
      // Redis is away: the heartbeat lapses and another relay's sweep takes over.
    }
    this.#alive = false;
    await this.#link.close();
  }

  // -------------------------------------------------------------------------------- private

  /** Runs a script (EVALSHA, or EVAL when Redis does not have it yet) and returns its result. */
  async #run(name: ScriptName, args: readonly string[]): Promise<unknown> {
    const key = `${this.#prefix}queue`;
    const tail = ['1', key, this.#prefix, this.#hold, ...args];
    let reply: unknown;
    try {
      reply = await this.#send(['EVALSHA', this.#shas[name], ...tail]);
    } catch (error) {
      if (!(error instanceof ErrorReply && error.message.startsWith('NOSCRIPT'))) throw error;
      reply = await this.#send(['EVAL', scripts[name], ...tail]);
    }
    try {
      // A lookup (`found` in redis-scripts.ts) answers its result alone and leaves the sizes be.
      if (Array.isArray(reply) && reply.length === 1) return reply[0];
      const [chats, waiting, peers, survivors, result, peersOnBreak] = list(reply, 6);
      this.#counts = { chats: count(chats), waiting: count(waiting), peers: count(peers), survivors: count(survivors), peersOnBreak: count(peersOnBreak) };
      return result;
    } catch (error) {
      this.#log.error('redis-reply-invalid');
      throw error;
    }
  }

  /** One command; a lost or missing connection, or no answer in time, is `StateUnavailableError`. */
  async #send(command: string[]): Promise<unknown> {
    if (!this.#link.client.isReady) {
      this.#failed = true;
      throw new StateUnavailableError();
    }
    const sent = this.#link.client.sendCommand(command);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StateUnavailableError()), commandTimeoutMs);
    });
    try {
      return await Promise.race([sent, late]);
    } catch (error) {
      // An error reply is Redis answering (a script error, NOSCRIPT): not an outage.
      if (error instanceof ErrorReply) throw error;
      sent.catch(() => undefined);
      this.#failed = true;
      throw new StateUnavailableError();
    } finally {
      clearTimeout(timer);
    }
  }

  #expect(result: unknown, word: string): void {
    const reply = list(result);
    if (reply[0] !== word) fail();
  }

  #ended(reply: unknown[]): Ended | undefined {
    if (reply[0] === 'gone') return undefined;
    if (reply[0] !== 'ended' || reply.length !== 7) fail();
    const withdrawn = this.#withdrawn(reply[5]);
    const supervisorSocket = socket(reply[6]);
    return {
      chatId: this.#keys.chatId(ref(reply[1])),
      survivorSocket: socket(reply[2]),
      peerSocket: socket(reply[3]),
      wasWaiting: reply[4] === '1',
      ...(withdrawn ? { withdrawn } : {}),
      ...(supervisorSocket ? { supervisorSocket } : {}),
    };
  }

  /** `{ chat seed, peer socket, survivor socket }` from a supervision script. */
  #parties(value: unknown): SupervisionParties {
    const [seed, peerSocket, survivorSocket] = list(value, 3);
    return { chatId: this.#keys.chatId(ref(seed)), peerSocket: socket(peerSocket), survivorSocket: socket(survivorSocket) };
  }

  /** `{ peer ref, socket, seed }` from a script, or undefined for `{}`. */
  #withdrawn(value: unknown): Withdrawn | undefined {
    const entry = list(value);
    if (entry.length === 0) return undefined;
    const [peerRef, peerSocket, seed] = list(entry, 3);
    return { peer: ref(peerRef), socket: socket(peerSocket), ticket: this.#keys.ticket(ref(seed)) };
  }

  #away(result: unknown): Away | 'removed' | undefined {
    const reply = list(result);
    if (reply[0] === 'none') return undefined;
    if (reply[0] === 'removed') return 'removed';
    if (reply[0] !== 'away' || reply.length !== 4) fail();
    const tell = list(reply[2]).map((entry) => {
      const [socketId, seed] = list(entry, 2);
      const to = socket(socketId);
      if (!to) fail();
      return { socket: to, chatId: this.#keys.chatId(ref(seed)) };
    });
    return { epoch: count(reply[1]), tell, dutyChanged: reply[3] === '1' };
  }
}
