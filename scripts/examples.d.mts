// SPDX-License-Identifier: Apache-2.0
/** Types for examples.mjs, for the TypeScript test suites that import it. */
export declare const exampleRelay: string;
export declare const examples: Array<{ folder: string; title: string }>;
export declare function buildReactExample(): Promise<string>;
export declare function examplePolicy(relayOrigin: string): string;
export declare function serveExamples(options: { relayUrl: string | (() => string); port?: number; host?: string; hostname?: string }): Promise<{ url: string; origin: string; close: () => Promise<void> }>;
