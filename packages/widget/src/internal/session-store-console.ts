// SPDX-License-Identifier: Apache-2.0
/**
 * The peer console's snapshot in `sessionStorage` (see `session-store.ts` for the rules): its
 * session token and its open chats. Never the sign-in token. A module of its own so the
 * survivor's frame, which shares a chunk with the console, does not carry it.
 */
import { limits, peerResumePattern } from '@kindred/protocol';
import { isRecord, isSeq, isString, maxMessages, opaqueIdPattern, parseMessages, sessionStore } from './session-store.js';
import type { TranscriptMessage } from './transcript.js';

/** One chat of a peer's console, as kept while it goes on. */
export interface ConsoleChatSnapshot {
  chatId: string;
  survivorName: string;
  messages: TranscriptMessage[];
  /** The survivor's next sequence number to show. */
  expectedSeq: number;
  unread: number;
  /**
   * Transferred to this peer, and no survivor message shown yet: the survivor kept counting, so
   * the first number to arrive is where the count starts (kept, or a reload would wait for 1).
   */
  seqOpen?: true;
  /**
   * This console asked a supervisor for help with this chat (`chat:escalate`), and the answer
   * is not over: only then does it let a supervisor's keys in, so that a relay cannot bring a
   * "supervisor" of its own into a chat nobody escalated. Kept, so a reload can re-key.
   */
  escalated?: true;
}

/** What the peer console keeps: its session token and its open chats. */
export interface ConsoleSnapshot {
  resume: string;
  chats: ConsoleChatSnapshot[];
  selectedId?: string;
}

function parseChat(value: unknown): ConsoleChatSnapshot | undefined {
  if (!isRecord(value)) return undefined;
  const { chatId, survivorName, expectedSeq, unread, seqOpen, escalated } = value;
  const messages = parseMessages(value['messages']);
  if (!isString(chatId, 22) || !opaqueIdPattern.test(chatId) || !isString(survivorName, 100)) return undefined;
  if (!isSeq(expectedSeq) || typeof unread !== 'number' || !Number.isInteger(unread) || unread < 0 || unread > maxMessages || !messages) {
    return undefined;
  }
  if ((seqOpen !== undefined && seqOpen !== true) || (escalated !== undefined && escalated !== true)) return undefined;
  return { chatId, survivorName, messages, expectedSeq, unread, ...(seqOpen ? { seqOpen } : {}), ...(escalated ? { escalated } : {}) };
}

/** A stored console snapshot, checked; undefined when anything is off. */
export function parseConsoleSnapshot(value: unknown): ConsoleSnapshot | undefined {
  if (!isRecord(value)) return undefined;
  const { resume, selectedId, chats: list } = value;
  // A peer's resume token is signed by the relay and dies with the sign-in (protocol `peerResumePattern`).
  if (!isString(resume, limits.token) || !peerResumePattern.test(resume) || !Array.isArray(list) || list.length > limits.maxChatsPerPeer) return undefined;
  const chats = list.map(parseChat);
  if (!chats.every((chat): chat is ConsoleChatSnapshot => chat !== undefined)) return undefined;
  if (selectedId !== undefined && !chats.some((chat) => chat.chatId === selectedId)) return undefined;
  return { resume, chats, ...(selectedId === undefined ? {} : { selectedId: selectedId as string }) };
}

/** The peer console's store. */
export const consoleStore = sessionStore('kindred-console', parseConsoleSnapshot);
