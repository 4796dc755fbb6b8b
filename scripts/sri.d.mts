// SPDX-License-Identifier: Apache-2.0
/** Types for sri.mjs, for the TypeScript test suites that import it. */
export declare const shellFile: string;
export declare const integrityFile: string;
export declare function integrityOf(body: Uint8Array): string;
export declare function shellIntegrity(dir?: string): { integrity: string; problems?: undefined } | { integrity?: undefined; problems: string[] };
