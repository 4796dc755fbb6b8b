// SPDX-License-Identifier: Apache-2.0
/** The shell's strings in Spanish (informal "tú", as peer-support services write to survivors). */
import type { ShellStrings } from '../../internal/strings-shell.js';

export const shellEs: ShellStrings = {
  launcher: 'Chatea con una persona de apoyo',
  unread: { one: '{count} mensaje sin leer', many: '{count} de mensajes sin leer', other: '{count} mensajes sin leer' },
  frameTitle: 'Chat de apoyo entre pares',
  quickExit: 'Salida rápida',
  shiftCountdown: {
    one: 'Mayús: pulsa {left} vez más para salir.',
    many: 'Mayús: pulsa {left} de veces más para salir.',
    other: 'Mayús: pulsa {left} veces más para salir.',
  },
  exitActivated: 'Salida de esta página activada.',
};
