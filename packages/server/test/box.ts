// SPDX-License-Identifier: Apache-2.0
/**
 * A stand-in for a sealed message (`box`): messages are end-to-end encrypted in the browsers,
 * and the relay cannot tell real ciphertext from any other base64url, so the tests seal
 * nothing and merely encode. Whatever a test writes must never reach a log in the clear.
 */
export const box = (text: string): string => Buffer.from(text).toString('base64url');
