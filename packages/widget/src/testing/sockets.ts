// SPDX-License-Identifier: Apache-2.0
/**
 * Reaches the WebSockets under socket.io-client from a test, with no hook in shipped code:
 * import this module before anything connects. Every socket sends its namespace's CONNECT
 * packet first, so wrapping `WebSocket.prototype.send` finds the sockets that carry a given
 * namespace. Two ways to break one, as the network and the relay would:
 * - `dropConnection`: the connection is lost; socket.io reconnects, and the relay sees a new
 *   client (the old one's chats are ended).
 * - `serverDisconnect`: the relay says it closed the socket on purpose (a Socket.IO
 *   DISCONNECT packet, as `socket.disconnect()` on the server sends); socket.io does not retry.
 * Not shipped (excluded from tsc's build).
 */

const carried = new Map<WebSocket, Set<string>>();
// Engine.IO "message" (4) holding a Socket.IO packet (type digit) for a namespace: `42/peer,…`.
const packet = /^4\d(\/[a-z]+),/;

const send = WebSocket.prototype.send;
WebSocket.prototype.send = function (this: WebSocket, data: string | ArrayBufferLike | Blob | ArrayBufferView) {
  const namespace = typeof data === 'string' ? packet.exec(data)?.[1] : undefined;
  if (namespace) {
    const namespaces = carried.get(this) ?? new Set<string>();
    namespaces.add(namespace);
    carried.set(this, namespaces);
  }
  return send.call(this, data);
};

/** The open WebSockets that carry `namespace` (`/peer`, `/survivor`), or throws if none. */
function openSockets(namespace: string): WebSocket[] {
  const found = [...carried].filter(([ws, namespaces]) => ws.readyState === WebSocket.OPEN && namespaces.has(namespace)).map(([ws]) => ws);
  if (found.length === 0) throw new Error(`no open WebSocket carries ${namespace}`);
  return found;
}

/** Closes every open connection carrying `namespace`, as a network drop would. */
export function dropConnection(namespace: string): void {
  for (const ws of openSockets(namespace)) ws.close();
}

/** Delivers a DISCONNECT for `namespace` on its open connections, as the relay would send it. */
export function serverDisconnect(namespace: string): void {
  for (const ws of openSockets(namespace)) ws.dispatchEvent(new MessageEvent('message', { data: `41${namespace},` }));
}
