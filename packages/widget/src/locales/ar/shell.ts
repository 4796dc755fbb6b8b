// SPDX-License-Identifier: Apache-2.0
/**
 * The shell's strings in Arabic (Modern Standard Arabic). Arabic has six plural forms. The
 * wording avoids addressing the reader as a man or a woman: nouns rather than imperatives.
 */
import type { ShellStrings } from '../../internal/strings-shell.js';

export const shellAr: ShellStrings = {
  launcher: 'دردشة مع أحد الأقران',
  unread: {
    zero: 'لا رسائل غير مقروءة',
    one: 'رسالة واحدة غير مقروءة',
    two: 'رسالتان غير مقروءتين',
    few: '{count} رسائل غير مقروءة',
    many: '{count} رسالة غير مقروءة',
    other: '{count} رسالة غير مقروءة',
  },
  frameTitle: 'محادثة دعم الأقران',
  quickExit: 'خروج سريع',
  shiftCountdown: {
    zero: 'لا حاجة إلى ضغطات أخرى على مفتاح Shift.',
    one: 'ضغطة واحدة أخرى على مفتاح Shift للخروج.',
    two: 'ضغطتان أخريان على مفتاح Shift للخروج.',
    few: '{left} ضغطات أخرى على مفتاح Shift للخروج.',
    many: '{left} ضغطة أخرى على مفتاح Shift للخروج.',
    other: '{left} ضغطة أخرى على مفتاح Shift للخروج.',
  },
  exitActivated: 'تم تفعيل الخروج من هذه الصفحة.',
};
