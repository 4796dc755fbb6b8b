// SPDX-License-Identifier: Apache-2.0
import { shellStrings } from './strings-shell.js';

/**
 * Every English string a person can see or hear in the chat frame (and, shared, in the
 * console), in one object, so a later issue can add locales by swapping this object and
 * nothing else. Strings that take a value are functions. The console's own strings are in
 * `strings-console.ts` and the shell's in `strings-shell.ts`, so the chat a survivor opens
 * carries neither the console's words nor more of the shell's than it shows.
 */
export const strings = {
  ...shellStrings,

  // survivor chat
  idleHeading: 'Talk with a peer',
  idleIntro: 'You stay anonymous, and nothing you write is stored.',
  idleWhatHappens: 'A trained peer volunteer with lived experience will chat with you here, one to one.',
  privacyHeading: 'What stays private',
  deviceSafety:
    'If someone else might see this device, use a private window. Quick exit, or pressing Shift three times, leaves this page at once.',
  safetyQuestion: 'Are you safe to talk right now?',
  safetyOptional: 'You can skip this question.',
  safetyAnswers: { safe: 'Yes', unsafe: 'No', unsure: 'Not sure' },
  emergencyCall: 'In immediate danger? Call',
  emergencyOn: 'on',
  emergencyLocal: 'In immediate danger? Call your local emergency number.',
  emergencyHeading: 'If you are in danger now',
  waitingHeading: 'Waiting for a peer',
  keepPlace: 'You will not lose your place while you read.',
  estimate: (minutes: number) => (minutes <= 1 ? 'About 1 minute.' : `About ${minutes} minutes.`),
  noPeerOnDuty: 'No peer is on duty right now.',
  noPeerStay: 'You can stay in the queue: if a peer comes on duty, you keep your place.',
  peerHours: (hours: string) => `Peers are usually here: ${hours}`,
  resourcesHeading: 'Other places to get help',
  resourcesWhileWaiting: 'Places to get help while you wait',
  writeWhileWaiting: 'You can write now. Your messages are sent when a peer joins.',
  queued: 'Waiting for a peer',
  callPhone: (phone: string) => `Call ${phone}`,
  visitWebsite: 'Visit website',
  hours: 'Hours:',
  sharedResource: 'Shared a resource',
  saveCopy: 'Save a copy',
  saveCopyWarning: 'A saved copy stays on this device. Anyone who uses it may find it.',
  saveCopyConfirm: 'Save copy',
  cancel: 'Cancel',
  savedCopy: 'A copy was saved to this device.',
  transcriptHeading: (peerName: string) => `Kindred chat with ${peerName}`,
  transcriptFileName: 'conversation.txt',
  startChat: 'Start chat',
  startNewChat: 'Start a new chat',
  startAgain: 'Start again',
  resumingHeading: 'Taking you back to your chat',
  readMarks: 'Let the peer see when I have read their messages',
  peerAway: (name: string) =>
    `${name}'s connection dropped. You can keep writing: your messages will be delivered if they come back.`,
  requeued: "Your peer's connection was lost. Your conversation stays here.",
  firstInLine: 'You are first in line for the next peer.',
  rejoined: 'The connection was lost, so you joined the queue again.',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  queuePosition: (position: number) => `You are number ${position} in the queue.`,
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
    'relay-closing': 'The chat service is restarting, so this chat has ended. You can start again.',
    'connection-lost': 'This chat has ended because the connection was lost. You can start again.',
  },

  // shared conversation pieces
  messages: 'Messages',
  message: 'Message',
  send: 'Send',
  sending: 'Sending…',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  notDelivered: 'Not delivered',
  retry: 'Retry',
  notDeliveredNotice: 'A message was not delivered. Press Retry to send it again.',
  isTyping: (name: string) => `${name} is typing…`,
  saidBy: (name: string) => `${name}:`,
  opensInNewTab: '(opens in a new tab)',
  notVerified: 'A message could not be verified, so it is not shown.',
  cannotEncrypt: 'The chat cannot start here: this browser cannot encrypt it. Try an up-to-date browser.',
  verifyHeading: 'Check that this chat is private',
  verifyCode: (code: string) => `Your code: ${code}. If the other person sees the same code, only the two of you can read this chat.`,
  verifyPending: 'Setting up encryption…',
} as const;
