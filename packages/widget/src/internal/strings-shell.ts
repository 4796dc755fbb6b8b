// SPDX-License-Identifier: Apache-2.0
/**
 * The shell's few strings in English (the translations are in `locales/<language>/shell.ts`).
 * A module of its own, with nothing in it but text: the shell carries all four languages
 * inline (`i18n-shell.ts`), since it cannot wait for anything before it shows its launcher,
 * while the frame takes only its own language's quick-exit words from these modules, so the
 * chat a survivor opens does not carry the other languages.
 */
import type { Translation } from './i18n.js';

/** The shell's strings in English. */
export const shellEn = {
  launcher: 'Chat with a peer',
  unread: { one: '{count} unread message', other: '{count} unread messages' },
  frameTitle: 'Peer support chat',
  quickExit: 'Quick exit',
  // The GOV.UK "Exit this page" countdown, said by a polite live region as Shift is pressed.
  shiftCountdown: { one: 'Shift, press {left} more time to exit.', other: 'Shift, press {left} more times to exit.' },
  exitActivated: 'Exit this page activated.',
} as const;

/** The shell's strings in one language. */
export type ShellStrings = Translation<typeof shellEn>;
