// SPDX-License-Identifier: Apache-2.0
/**
 * A fresh message id: 16 random bytes (128 bits) as 22 base64url characters, which the
 * protocol's message-id pattern accepts. Client-made, so a resent message keeps its id.
 */
export function newMessageId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
