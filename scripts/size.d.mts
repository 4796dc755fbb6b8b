// SPDX-License-Identifier: Apache-2.0
/** Types for size.mjs, for the TypeScript test suites that import it. */
export declare const defaultBundleDir: string;
export declare const budgets: { host: number; openChat: number };
export declare const docTolerance: number;
export declare function sizes(file: string, dir?: string): { raw: number; gzip: number; brotli: number };
export declare function imports(code: string): { static: string[]; lazy: string[] };
export declare function staticGraph(entry: string, dir?: string): string[];
export declare function pageGraph(page: string, dir?: string): string[];
export declare function budgetReport(dir?: string): Array<{ name: 'host' | 'openChat'; label: string; files: string[]; gzip: number; limit: number; ok: boolean }>;
