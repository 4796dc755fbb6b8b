// SPDX-License-Identifier: Apache-2.0
/** Types for chrome.mjs, for the TypeScript test suites that import it. */
export declare const CHROME_FIX: string;
export declare function chromePath(): string;
export declare const chromeArgs: string[];
