// SPDX-License-Identifier: Apache-2.0
/**
 * The peer console's own strings (see `strings.ts`, whose shared strings the console uses
 * too). A module of its own so the survivor's frame, which shares a chunk with the console,
 * does not carry them. Translations are `locales/<language>/console.ts`, loaded like the
 * frame's (`loadConsoleStrings`).
 */
import { errorCodes } from '@kindred/protocol';
import { compile, overridesFor, type Compiled, type Language, type Translation } from './i18n.js';
import { frameCatalogue, loadFrameStrings, strings as frameStrings, type FrameStrings } from './strings.js';

/** The console's own strings in English. */
export const consoleEn = {
  consoleHeading: 'Kindred peer console',
  peerToken: 'Peer token',
  signIn: 'Sign in',
  signedInAs: 'Signed in as {name}',
  onDuty: 'You are on duty.',
  offDuty: 'You are off duty.',
  connectionDropped: 'Your connection was lost for too long, so your chats ended.',
  backOnDuty: 'You are on duty again.',
  sessionEnded: 'Your session has ended. Sign in again with your link to go on duty.',
  sessionExpired: 'Your sign-in has expired, so you are signed out. The survivors you were talking with go back to the front of the queue. Sign in again to go on duty.',
  signOut: 'Sign out',
  signedOut: 'You signed out.',
  survivorAway: "{name}'s connection dropped. Your messages will be delivered if they come back.",
  awayShort: 'connection dropped',
  notDeliveredTo: 'A message to {name} was not delivered. Press Retry to send it again.',
  goOnDuty: 'Go on duty',
  goOffDuty: 'Go off duty',
  waiting: 'Waiting ({total})',
  nobodyWaiting: 'Nobody is waiting.',
  waitedFor: { '=0': 'waiting less than a minute', one: 'waiting {minutes} minute', other: 'waiting {minutes} minutes' },
  acceptShort: 'Accept',
  activeChats: 'Your chats',
  noChats: 'No chats yet.',
  unreadShort: { one: '{count} unread', other: '{count} unread' },
  chatEndedShort: 'ended',
  chatWith: 'Chat with {name}',
  close: 'Close',
  resource: 'Resource',
  share: 'Share',
  shareResources: 'Share resources',
  // Canned responses: inserted into the message box, never sent by choosing one.
  cannedResponses: 'Canned responses',
  cannedResponse: 'Response',
  insert: 'Insert',
  cannedTooLong: 'That response does not fit in the message box. Shorten your message first.',
  // Alerts while the console's tab is hidden.
  soundAlerts: 'Sound alerts',
  titleBadge: '({count}) {title}',
  // Offers (components/console-offer).
  offerHeading: 'Offered to you',
  offerFor: '{name} is waiting for you.',
  offerCountdown: { one: '{seconds} second left to answer.', other: '{seconds} seconds left to answer.' },
  declineShort: 'Decline',
  notYourMatch: 'another topic or language',
  offeredToYou: 'Offered to you, above',
  // Duty, breaks, the shift and the debrief (components/console-shift).
  onBreak: 'You are on a break.',
  takeBreak: 'Take a break',
  endBreak: 'End break',
  shiftTime: 'On duty for {duration}',
  breakReminder: 'You have been on duty for {duration} without a break. A short break helps: your open chats stay with you.',
  dismiss: 'Dismiss',
  debriefHeading: 'How are you after that chat?',
  debriefIntro: 'A moment for yourself, if you want it. What you write here is never sent or saved, and it is cleared when you press Done.',
  debriefStayed: 'What stayed with you?',
  debriefWentWell: 'What went well?',
  debriefNeed: 'Do you need a break, or a word with your supervisor?',
  debriefNotes: 'Private notes',
  debriefDone: 'Done',
  // The supervisors' live board (components/console-board).
  boardHeading: 'Live board',
  boardWaiting: 'Waiting',
  boardLongestWait: 'Longest wait',
  boardActiveChats: 'Active chats',
  boardOnDuty: 'Peers on duty',
  boardOnBreak: 'Peers on a break',
  escalationsHeading: 'Asking for help ({count})',
  noEscalations: 'Nobody is asking for help.',
  escalation: '{peer} asked for help with {survivor}',
  joinShort: 'Join',
  // In a chat: transfer, asking a supervisor, blocking (components/console-transfer, console-actions).
  transfer: 'Transfer',
  askSupervisor: 'Ask a supervisor',
  block: 'Block',
  escalated: {
    one: 'Supervisor told: they can join this chat from their board.',
    other: '{count} supervisors told: one of them can join this chat from their board.',
  },
  escalatedNobody: 'No supervisor is on duty, so nobody was told. Reach one the way your coordinator agreed.',
  blockHeading: 'Block {name}?',
  blockExplain: 'This ends the chat at once, and {name} cannot start a new chat for a while. They are told only that the chat ended. Block someone only if they are abusive.',
  blockConfirm: 'Block and end chat',
  blocked: 'You blocked {name}, and the chat ended.',
  transferHeading: 'Transfer {name} to a colleague',
  colleague: 'Colleague',
  colleagueRoom: { '=0': 'full', one: 'room for {count} more chat', other: 'room for {count} more chats' },
  findingColleagues: 'Finding colleagues on duty…',
  noColleagues: 'No colleague on duty can take this chat now.',
  handoffNote: 'Note for your colleague (optional)',
  handoffNoteHint: 'Only they see it, once: it is kept nowhere. Write what helps them go on, nothing that could identify anyone.',
  noteLength: '{count} of {max} characters',
  transferChat: 'Transfer chat',
  chooseColleague: 'Choose a colleague.',
  transferUnavailable: '{name} cannot take this chat now. Choose another colleague.',
  transferredTo: '{name} is now with {colleague}.',
  transferredIn: '{from} transferred {name} to you.',
  handoffFrom: 'Transferred to you by {from}',
  // Supervision: the chat's peer, and the supervisor who joined it.
  supervisorJoinedNamed: '{name}, a supervisor, joined this chat.',
  supervisorLeftNamed: '{name}, the supervisor, left this chat.',
  supervisorSays: '{name} (supervisor)',
  supervisedShort: 'supervised',
  supervisingHeading: "{peer}'s chat with {survivor}",
  supervisingIntro: 'You joined as a supervisor, and see the chat from then on. What you write reaches {survivor} through {peer}, marked "Supervisor".',
  leave: 'Leave',
  joinedSupervision: "You joined {peer}'s chat with {survivor}.",
  leftSupervision: "You left {peer}'s chat with {survivor}.",
  supervisionEnded: "{peer}'s chat with {survivor} ended.",
  supervisionLost: 'Your connection dropped, so you left the chats you joined as a supervisor.',
  offerEnded: {
    taken: 'Another peer accepted {name}.',
    ended: '{name} left the queue.',
    expired: 'The offer of {name} ran out.',
    released: 'Your chats are full, so the offer of {name} ended.',
  },
  survivorEnded: {
    'survivor-ended': '{name} ended the chat.',
    'survivor-left': "{name}'s connection was lost.",
    'peer-ended': 'You ended the chat.',
    'peer-left': 'Your connection was lost, so the chat ended.',
    'relay-closing': 'The chat service is restarting.',
  },
  /**
   * The relay's answers only a peer or a supervisor gets: translated here, not in the frame's
   * catalogues, which a survivor loads (`PeerOnlyError` in strings.ts). They join the frame's
   * `errors` when the console loads its strings.
   */
  errors: {
    'auth-failed': errorCodes['auth-failed'],
    'not-on-duty': errorCodes['not-on-duty'],
    'capacity-reached': errorCodes['capacity-reached'],
    'not-supervisor': errorCodes['not-supervisor'],
    'colleague-unavailable': errorCodes['colleague-unavailable'],
  },
} as const;

/** A translation of the console's own strings (`locales/<language>/console.ts`). */
export type ConsoleTranslation = Translation<typeof consoleEn>;

/** What the console shows: the frame's shared strings and its own, compiled. */
export type ConsoleStrings = FrameStrings & Compiled<typeof consoleEn>;

/**
 * The strings the console shows now: English until `loadConsoleStrings` sets another
 * language; a module-wide binding that every importer sees change.
 */
export let strings: ConsoleStrings = withFrameStrings(compile('en', consoleEn));

/** Each translation, as a lazy chunk. */
const translations: Record<Exclude<Language, 'en'>, () => Promise<{ consoleStrings: ConsoleTranslation }>> = {
  es: () => import('../locales/es/console.js'),
  fr: () => import('../locales/fr/console.js'),
  ar: () => import('../locales/ar/console.js'),
};

/**
 * Loads the console's strings (its own and the frame's shared ones) in `language`, with the
 * hospital's overrides, and makes them the ones shown. Resolves with the language shown:
 * English when a translation could not load.
 */
export async function loadConsoleStrings(language: Language, hospitalStrings: Promise<unknown>): Promise<Language> {
  const [catalogue, overrides, frameCatalogueLoaded] = await Promise.all([
    language === 'en' ? consoleEn : translations[language]().then((module) => module.consoleStrings, () => undefined),
    hospitalStrings,
    frameCatalogue(language),
  ]);
  // Both halves in one language, or both in English.
  const shown = catalogue && frameCatalogueLoaded ? language : 'en';
  const frame = await loadFrameStrings(shown, Promise.resolve(overrides));
  strings = withFrameStrings(compile(frame, (shown === 'en' ? consoleEn : catalogue) as typeof consoleEn, overridesFor(overrides, frame)));
  return frame;
}

/** The frame's shared strings with the console's own, the two halves of `errors` merged. */
function withFrameStrings(own: Compiled<typeof consoleEn>): ConsoleStrings {
  return { ...frameStrings, ...own, errors: { ...frameStrings.errors, ...own.errors } };
}
