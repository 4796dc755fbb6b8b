// SPDX-License-Identifier: Apache-2.0
/** The shell's strings in French ("vous"; a no-break space before ":" as French typography wants). */
import type { ShellStrings } from '../../internal/strings-shell.js';

export const shellFr: ShellStrings = {
  launcher: 'Discuter avec un pair',
  unread: { one: '{count} message non lu', many: '{count} de messages non lus', other: '{count} messages non lus' },
  frameTitle: 'Discussion de soutien entre pairs',
  quickExit: 'Sortie rapide',
  shiftCountdown: {
    one: 'Maj\u00a0: appuyez encore {left} fois pour quitter.',
    many: 'Maj\u00a0: appuyez encore {left} de fois pour quitter.',
    other: 'Maj\u00a0: appuyez encore {left} fois pour quitter.',
  },
  exitActivated: 'Sortie de cette page activée.',
};
