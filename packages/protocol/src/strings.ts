// SPDX-License-Identifier: Apache-2.0
/**
 * The languages Kindred ships, and every string of the chat frame and the peer console a
 * hospital may override in its configuration (KINDRED_CONFIG `strings`, docs/operate.md "Your
 * own wording"). The relay checks overrides against this table at start; the widget's English
 * catalogues (packages/widget/src/internal/strings.ts, strings-console.ts) must have exactly
 * these keys and placeholders, which packages/widget/src/locales/catalogues.i18n.test.ts checks.
 */

/**
 * The languages the widget is written in (its catalogues), as BCP 47 primary subtags; English
 * is the fallback. Not the languages peers chat in, which each hospital lists
 * (`HospitalInfo.languages`).
 */
export const uiLanguages = ['en', 'es', 'fr', 'ar'] as const;

/** One of {@link uiLanguages}. */
export type UiLanguage = (typeof uiLanguages)[number];

/** The languages written right to left: their layout is mirrored. */
export const rtlLanguages: readonly UiLanguage[] = ['ar'];

/**
 * The plural forms a message may give, as `Intl.PluralRules` names them, besides `=0`, `=1` …
 * for one exact number. `other` is required; a form the language needs and the message lacks
 * falls back to it.
 */
export const pluralForms = ['zero', 'one', 'two', 'few', 'many', 'other'] as const;

/**
 * Key → placeholders. `''`: plain text. `'name'`: the text must contain `{name}`. Several names
 * are separated by spaces. A leading `#` marks a number that chooses among plural forms: the
 * value may then be an object of forms (`{ "one": "…", "other": "… {minutes} …" }`) or one text
 * for every number. Dotted keys belong to a group (`ended.peer-ended`).
 */
export const stringKeys: Readonly<Record<string, string>> = {
  // The frame (and the quick-exit words it shares with the shell).
  quickExit: '',
  shiftCountdown: '#left',
  exitActivated: '',
  idleHeading: '',
  idleIntro: '',
  idleWhatHappens: '',
  privacyHeading: '',
  deviceSafety: '',
  safetyQuestion: '',
  safetyOptional: '',
  'safetyAnswers.safe': '',
  'safetyAnswers.unsafe': '',
  'safetyAnswers.unsure': '',
  // The optional topic and language (components/topic-choice).
  choiceLegend: '',
  topicLabel: '',
  languageLabel: '',
  noPreference: '',
  noMatch: '',
  emergencyCall: 'label phone',
  emergencyLocal: '',
  emergencyHeading: '',
  waitingHeading: '',
  keepPlace: '',
  estimate: '#minutes',
  noPeerOnDuty: '',
  noPeerStay: '',
  peerHours: 'hours',
  resourcesHeading: '',
  resourcesWhileWaiting: '',
  writeWhileWaiting: '',
  queued: '',
  callPhone: 'phone',
  visitWebsite: '',
  hours: 'hours',
  sharedResource: '',
  saveCopy: '',
  saveCopyWarning: '',
  saveCopyConfirm: '',
  cancel: '',
  savedCopy: '',
  transcriptHeading: 'name',
  transcriptFileName: '',
  transcriptResource: '',
  transcriptPhone: 'phone',
  transcriptWebsite: 'url',
  startChat: '',
  startNewChat: '',
  feedbackQuestion: '',
  feedbackYes: '',
  feedbackNo: '',
  feedbackThanks: '',
  startAgain: '',
  resumingHeading: '',
  readMarks: '',
  peerAway: 'name',
  requeued: '',
  firstInLine: '',
  rejoined: '',
  connecting: '',
  reconnecting: '',
  queuePosition: 'position',
  leaveQueue: '',
  leftQueue: '',
  talkingWith: 'name',
  minimise: '',
  endChat: '',
  you: '',
  'ended.peer-ended': '',
  'ended.peer-left': '',
  'ended.survivor-ended': '',
  'ended.survivor-left': '',
  'ended.relay-closing': '',
  'ended.connection-lost': '',
  messages: '',
  message: '',
  send: '',
  sending: '',
  sent: '',
  delivered: '',
  read: '',
  notDelivered: '',
  retry: '',
  notDeliveredNotice: '',
  isTyping: 'name',
  saidBy: 'name',
  opensInNewTab: '',
  notVerified: '',
  cannotEncrypt: '',
  verifyHeading: '',
  verifyCode: 'code',
  verifyPending: '',
  // The relay's error codes (codes.ts), as people read them. Written out, not derived from
  // `errorCodes`: a computed table here would be kept in every bundle that imports this module,
  // the shell's included. The catalogue test fails when a code is missing.
  'errors.payload-invalid': '',
  'errors.event-unknown': '',
  'errors.auth-failed': '',
  'errors.origin-refused': '',
  'errors.not-found': '',
  'errors.already-started': '',
  'errors.no-chat': '',
  'errors.feedback-closed': '',
  'errors.not-on-duty': '',
  'errors.capacity-reached': '',
  'errors.topic-unknown': '',
  'errors.language-unknown': '',
  'errors.rate-limited': '',
  'errors.relay-full': '',
  'errors.unavailable': '',
  'errors.internal': '',
  // The peer console's own.
  consoleHeading: '',
  peerToken: '',
  signIn: '',
  signedInAs: 'name',
  onDuty: '',
  offDuty: '',
  connectionDropped: '',
  backOnDuty: '',
  sessionEnded: '',
  sessionExpired: '',
  signOut: '',
  signedOut: '',
  survivorAway: 'name',
  awayShort: '',
  notDeliveredTo: 'name',
  goOnDuty: '',
  goOffDuty: '',
  waiting: 'total',
  nobodyWaiting: '',
  waitedFor: '#minutes',
  acceptShort: '',
  activeChats: '',
  noChats: '',
  unreadShort: '#count',
  chatEndedShort: '',
  chatWith: 'name',
  close: '',
  resource: '',
  share: '',
  shareResources: '',
  cannedResponses: '',
  cannedResponse: '',
  insert: '',
  cannedTooLong: '',
  soundAlerts: '',
  titleBadge: 'count title',
  // Offers (components/console-offer).
  offerHeading: '',
  offerFor: 'name',
  offerCountdown: '#seconds',
  declineShort: '',
  notYourMatch: '',
  offeredToYou: '',
  'offerEnded.taken': 'name',
  'offerEnded.ended': 'name',
  'offerEnded.expired': 'name',
  'offerEnded.released': 'name',
  'survivorEnded.survivor-ended': 'name',
  'survivorEnded.survivor-left': 'name',
  'survivorEnded.peer-ended': '',
  'survivorEnded.peer-left': '',
  'survivorEnded.relay-closing': '',
};
