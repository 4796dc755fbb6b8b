// SPDX-License-Identifier: Apache-2.0
/**
 * The shell's few strings, kept in their own module only because the shell is what every
 * hospital page pays for: a module is the smallest piece rollup can leave out, and the shell
 * must not carry the whole chat's wording. `strings` in `strings.ts` includes these, so the
 * rest of the widget (and a later locale file) still sees one object.
 */
export const shellStrings = {
  launcher: 'Chat with a peer',
  unread: (count: number) => (count === 1 ? '1 unread message' : `${count} unread messages`),
  frameTitle: 'Peer support chat',
  quickExit: 'Quick exit',
  // The GOV.UK "Exit this page" countdown, said by a polite live region as Shift is pressed.
  shiftCountdown: (left: number) => `Shift, press ${left} more time${left === 1 ? '' : 's'} to exit.`,
  exitActivated: 'Exit this page activated.',
} as const;
