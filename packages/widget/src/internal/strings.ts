// SPDX-License-Identifier: Apache-2.0
import { errorCodes } from '@kindred/protocol';
import { compile, match, overridesFor, type Compiled, type Language, type Translation } from './i18n.js';

/**
 * Every English string a person can see or hear in the chat frame (and, shared, in the
 * console). English is built in; the other languages are `locales/<language>/frame.ts`, each a
 * chunk of its own that loads only for the people who read it (`loadFrameStrings`). The
 * console's own strings are in `strings-console.ts` and the shell's in `strings-shell.ts`, so
 * the chat a survivor opens carries neither the console's words nor the shell's translations.
 *
 * Placeholders are `{name}`; a number that changes the wording has plural forms (see
 * `i18n.ts`). Hospitals may override any of these per language (docs/operate.md, "Your
 * own wording"); the keys and placeholders they may use are `stringKeys` in the protocol,
 * which a test keeps equal to this catalogue and the console's.
 */
export const frameEn = {
  // The shell's words (strings-shell.ts), written again rather than imported, so the frame does
  // not carry the shell's other strings; a test keeps the two the same.
  quickExit: 'Quick exit',
  shiftCountdown: { one: 'Shift, press {left} more time to exit.', other: 'Shift, press {left} more times to exit.' },
  exitActivated: 'Exit this page activated.',

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
  // The optional topic and language (components/topic-choice), and honesty when nobody on duty matches them.
  choiceLegend: 'Find the right peer for you (optional)',
  topicLabel: 'Topic',
  languageLabel: 'Language',
  noPreference: 'No preference',
  noMatch: 'No peer on duty right now matches your choice, so the first peer who is free will answer.',
  emergencyCall: 'In immediate danger? Call {label} on {phone}',
  emergencyLocal: 'In immediate danger? Call your local emergency number.',
  emergencyHeading: 'If you are in danger now',
  waitingHeading: 'Waiting for a peer',
  keepPlace: 'You will not lose your place while you read.',
  estimate: { one: 'About {minutes} minute.', other: 'About {minutes} minutes.' },
  noPeerOnDuty: 'No peer is on duty right now.',
  noPeerStay: 'You can stay in the queue: if a peer comes on duty, you keep your place.',
  peerHours: 'Peers are usually here: {hours}',
  resourcesHeading: 'Other places to get help',
  resourcesWhileWaiting: 'Places to get help while you wait',
  writeWhileWaiting: 'You can write now. Your messages are sent when a peer joins.',
  queued: 'Waiting for a peer',
  callPhone: 'Call {phone}',
  visitWebsite: 'Visit website',
  hours: 'Hours: {hours}',
  sharedResource: 'Shared a resource',
  saveCopy: 'Save a copy',
  saveCopyWarning: 'A saved copy stays on this device. Anyone who uses it may find it.',
  saveCopyConfirm: 'Save copy',
  cancel: 'Cancel',
  savedCopy: 'A copy was saved to this device.',
  transcriptHeading: 'Kindred chat with {name}',
  transcriptFileName: 'conversation.txt',
  transcriptResource: '(shared a resource)',
  transcriptPhone: 'Phone: {phone}',
  transcriptWebsite: 'Website: {url}',
  startChat: 'Start chat',
  startNewChat: 'Start a new chat',
  feedbackQuestion: 'Did this chat help? You do not have to answer.',
  feedbackYes: 'Yes',
  feedbackNo: 'Not really',
  feedbackThanks: 'Thank you.',
  startAgain: 'Start again',
  resumingHeading: 'Taking you back to your chat',
  readMarks: 'Let the peer see when I have read their messages',
  peerAway: "{name}'s connection dropped. You can keep writing: your messages will be delivered if they come back.",
  requeued: "Your peer's connection was lost. Your conversation stays here.",
  firstInLine: 'You are first in line for the next peer.',
  rejoined: 'The connection was lost, so you joined the queue again.',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  queuePosition: 'You are number {position} in the queue.',
  leaveQueue: 'Leave the queue',
  leftQueue: 'You left the queue.',
  talkingWith: 'You are talking with {name}',
  // Said in the status after a transfer to a colleague and as a supervisor joins or leaves; a supervisor's messages are labelled `supervisor`.
  nowTalkingWith: 'You are now talking with {name}.',
  supervisorJoined: 'A supervisor joined the chat.',
  supervisorLeft: 'The supervisor left the chat.',
  supervisor: 'Supervisor',
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
  isTyping: '{name} is typing…',
  saidBy: '{name}:',
  opensInNewTab: '(opens in a new tab)',
  notVerified: 'A message could not be verified, so it is not shown.',
  cannotEncrypt: 'The chat cannot start here: this browser cannot encrypt it. Try an up-to-date browser.',
  verifyHeading: 'Check that this chat is private',
  verifyCode: 'Your code: {code}. If the other person sees the same code, only the two of you can read this chat.',
  verifyPending: 'Setting up encryption…',
  // The relay's error codes, as people read them (the protocol's table is the English).
  errors: errorCodes,
} as const;

/**
 * Error codes only a peer or a supervisor can be answered with, which a survivor never sees.
 * The frame's translations leave them out, so the chunk a survivor loads carries none of their
 * words (the "chat under way" budget has no bytes to spare); the console's catalogues translate
 * them (`consoleEn.errors`), and where neither has one the English stands (`loadFrameStrings`).
 */
export const peerOnlyErrors = ['auth-failed', 'not-on-duty', 'capacity-reached', 'not-supervisor', 'colleague-unavailable'] as const;
export type PeerOnlyError = (typeof peerOnlyErrors)[number];

/** A translation of the frame's strings (`locales/<language>/frame.ts`). */
export type FrameTranslation = Translation<Omit<typeof frameEn, 'errors'>> & {
  readonly errors: Translation<Omit<typeof errorCodes, PeerOnlyError>> & { readonly [code in PeerOnlyError]?: string };
};

/** The frame's strings, compiled: text, and functions of their values. */
export type FrameStrings = Compiled<typeof frameEn>;

/**
 * The strings the frame (and the console's shared pieces) show now: English until
 * `loadFrameStrings` sets another language. One document shows one language, so this is a
 * module-wide binding that every importer sees change.
 */
export let strings: FrameStrings = compile('en', frameEn);

/** Each translation, as a lazy chunk: `import()` keeps them out of the frame's first load. */
const translations: Record<Exclude<Language, 'en'>, () => Promise<{ frameStrings: FrameTranslation }>> = {
  es: () => import('../locales/es/frame.js'),
  fr: () => import('../locales/fr/frame.js'),
  ar: () => import('../locales/ar/frame.js'),
};

/**
 * The frame's catalogue in `language`: English at once, another language from its chunk;
 * undefined when the chunk cannot load.
 */
export function frameCatalogue(language: Language): Promise<FrameTranslation | undefined> | FrameTranslation {
  return language === 'en' ? frameEn : translations[language]().then((module) => module.frameStrings, () => undefined);
}

/**
 * Loads the frame's strings in `language` and the hospital's overrides (`/hospital.json`'s
 * `strings`, which `hospitalStrings` fetches meanwhile) and makes them the ones shown. Resolves
 * with the language shown: English when the translation could not load, since a flaky network
 * must not leave a blank chat.
 */
export async function loadFrameStrings(language: Language, hospitalStrings: Promise<unknown>): Promise<Language> {
  const [catalogue, overrides] = await Promise.all([frameCatalogue(language), hospitalStrings]);
  const shown = catalogue ? language : 'en';
  // A translation has English's shape (its type says so, and a test checks it), so it compiles
  // the same; the peer-only error codes it may lack are said in English (the console shows them).
  const messages = catalogue ? { ...catalogue, errors: { ...frameEn.errors, ...catalogue.errors } } : frameEn;
  strings = compile(shown, messages as typeof frameEn, overridesFor(overrides, shown));
  return shown;
}

/**
 * The frame's language: `lang=` in the fragment the shell gave it (`hash`; the shell's choice,
 * checked here against the languages we have), else the element's own `lang` attribute, else
 * the browser's. Not its document's `<html lang>`: the relay's /frame page is the frame's own,
 * and says only "en" until the frame sets it.
 */
export function frameLanguage(element: Element, hash: string): Language {
  return match([new URLSearchParams(hash.replace(/^#/, '')).get('lang'), element.getAttribute('lang'), ...navigator.languages]);
}
