// SPDX-License-Identifier: Apache-2.0
/** Entry point for the relay's /console page: defines `<kindred-console>`, the peer console. */
import { KindredConsole } from './components/console/console.js';
import { define } from './define.js';

define('kindred-console', KindredConsole);
