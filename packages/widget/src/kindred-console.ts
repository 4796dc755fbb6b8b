// SPDX-License-Identifier: Apache-2.0
/**
 * Entry point for the relay's /console page: defines `<kindred-console>`, the peer console.
 * Exports its type (and, with it, its `HTMLElementTagNameMap` entry) for TypeScript users.
 */
import { KindredConsole } from './components/console/console.js';
import { define } from './define.js';

export type { KindredConsole };

define('kindred-console', KindredConsole);
