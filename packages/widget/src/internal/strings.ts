// SPDX-License-Identifier: Apache-2.0
import { shellStrings } from './strings-shell.js';

/**
 * Every English string a person can see or hear, in one object, so a later issue can add
 * locales by swapping this object and nothing else. Strings that take a value are functions.
 */
export const strings = {
  ...shellStrings,

  // survivor chat
  idleHeading: 'Talk with a peer',
  idleIntro: 'You stay anonymous, and nothing you write is stored.',
  startChat: 'Start chat',
  startNewChat: 'Start a new chat',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  queuePosition: (position: number) => `You are number ${position} in the queue`,
  leaveQueue: 'Leave the queue',
  leftQueue: 'You left the queue.',
  talkingWith: (peerName: string) => `You are talking with ${peerName}`,
  minimise: 'Minimise chat',
  endChat: 'End chat',
  you: 'You',
  ended: {
    'peer-ended': 'The peer ended the chat.',
    'peer-left': "The peer's connection was lost.",
    'survivor-ended': 'You ended the chat.',
    'survivor-left': 'Your connection was lost, so the chat ended.',
    'relay-closing': 'The chat service is restarting.',
  },

  // shared conversation pieces
  messages: 'Messages',
  message: 'Message',
  send: 'Send',
  sending: 'Sending…',
  sent: 'Sent',
  delivered: 'Delivered',
  notSent: 'Not sent',
  isTyping: (name: string) => `${name} is typing…`,
  saidBy: (name: string) => `${name}:`,
  opensInNewTab: '(opens in a new tab)',

  // peer console
  consoleHeading: 'Kindred peer console',
  peerToken: 'Peer token',
  signIn: 'Sign in',
  signedInAs: (name: string) => `Signed in as ${name}`,
  onDuty: 'You are on duty.',
  offDuty: 'You are off duty.',
  goOnDuty: 'Go on duty',
  goOffDuty: 'Go off duty',
  waiting: (total: number) => `Waiting (${total})`,
  nobodyWaiting: 'Nobody is waiting.',
  waitedFor: (minutes: number) =>
    minutes < 1 ? 'waiting less than a minute' : minutes === 1 ? 'waiting 1 minute' : `waiting ${minutes} minutes`,
  acceptShort: 'Accept',
  activeChats: 'Your chats',
  noChats: 'No chats yet.',
  unreadShort: (count: number) => (count === 1 ? '1 unread' : `${count} unread`),
  chatEndedShort: 'ended',
  chatWith: (survivorName: string) => `Chat with ${survivorName}`,
  close: 'Close',
  survivorEnded: {
    'survivor-ended': (name: string) => `${name} ended the chat.`,
    'survivor-left': (name: string) => `${name}'s connection was lost.`,
    'peer-ended': () => 'You ended the chat.',
    'peer-left': () => 'Your connection was lost, so the chat ended.',
    'relay-closing': () => 'The chat service is restarting.',
  },
} as const;
