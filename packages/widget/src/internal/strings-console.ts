// SPDX-License-Identifier: Apache-2.0
/**
 * The peer console's own strings (see `strings.ts`, whose shared strings the console uses
 * too). A module of its own so the survivor's frame, which shares a chunk with the console,
 * does not carry them. Translations are `locales/<language>/console.ts`, loaded like the
 * frame's (`loadConsoleStrings`).
 */
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
} as const;

/** A translation of the console's own strings (`locales/<language>/console.ts`). */
export type ConsoleTranslation = Translation<typeof consoleEn>;

/** What the console shows: the frame's shared strings and its own, compiled. */
export type ConsoleStrings = FrameStrings & Compiled<typeof consoleEn>;

/**
 * The strings the console shows now: English until `loadConsoleStrings` sets another
 * language; a module-wide binding that every importer sees change.
 */
export let strings: ConsoleStrings = { ...frameStrings, ...compile('en', consoleEn) };

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
  strings = { ...frameStrings, ...compile(frame, (shown === 'en' ? consoleEn : catalogue) as typeof consoleEn, overridesFor(overrides, frame)) };
  return frame;
}
