// SPDX-License-Identifier: Apache-2.0
/**
 * The shell's strings in every language, inline: the launcher must read right on the hospital
 * page's first paint, with nothing fetched first. They are few (six), so all four languages cost
 * the shell about half a kilobyte gzipped (docs/size.md). Only the shell imports this module;
 * the frame takes its quick-exit words from its own language's chunk.
 */
import type { Language } from './i18n.js';
import { shellAr } from '../locales/ar/shell.js';
import { shellEs } from '../locales/es/shell.js';
import { shellFr } from '../locales/fr/shell.js';
import { shellEn, type ShellStrings } from './strings-shell.js';

/** The shell's strings, by language. */
export const shellStrings: Readonly<Record<Language, ShellStrings>> = { en: shellEn, es: shellEs, fr: shellFr, ar: shellAr };
