// SPDX-License-Identifier: Apache-2.0
/**
 * Reaches the WebSockets under the widget's own socket client (internal/socket-client.ts) from
 * a test, with no hook in shipped code: import this module before anything connects. The client
 * looks up the global `WebSocket` each time it connects, so replacing it here is enough. Every
 * socket sends its namespace's CONNECT packet first, so wrapping `WebSocket.prototype.send`
 * finds the sockets that carry a given namespace. What the network and the relay can do to them:
 * - `dropConnection`: the connection is lost; the client reconnects and resumes its session.
 * - `holdConnections`: new connections fail (as when the network is down) until released.
 * - `serverDisconnect`: the relay says it closed the socket on purpose (a Socket.IO
 *   DISCONNECT packet, as `socket.disconnect()` on the server sends); the client does not retry.
 * - `forgetSession`: the next handshake of a namespace goes without its resume token, as if
 *   the relay had restarted and no longer knew it.
 * - `muteReceipts`: the namespace's receipts — acknowledgements and read marks — are lost on
 *   the way to the relay, so what it was sent is never confirmed.
 * - `sentOn`: what a namespace has sent, packet by packet.
 * Not shipped (excluded from tsc's build).
 */

const carried = new Map<WebSocket, Set<string>>();
const sent: Array<{ namespace: string; data: string }> = [];
const forgetting = new Set<string>();
const muted = new Set<string>();
let held = false;
// Engine.IO "message" (4) holding a Socket.IO packet (type digit) for a namespace: `42/peer,…`.
const packet = /^4(\d)(\/[a-z]+),/;

const NativeWebSocket = WebSocket;
const send = NativeWebSocket.prototype.send;
NativeWebSocket.prototype.send = function (this: WebSocket, data: string | ArrayBufferLike | Blob | ArrayBufferView) {
  const match = typeof data === 'string' ? packet.exec(data) : null;
  if (match && typeof data === 'string') {
    const [, type, namespace] = match as unknown as [string, string, string];
    const namespaces = carried.get(this) ?? new Set<string>();
    namespaces.add(namespace);
    carried.set(this, namespaces);
    if (muted.has(namespace) && (type === '3' || data.startsWith(`${match[0]}["message:read"`))) return;
    if (type === '0' && forgetting.delete(namespace)) {
      const auth = JSON.parse(data.slice(match[0].length) || '{}') as Record<string, unknown>;
      delete auth['resume'];
      data = `${match[0]}${JSON.stringify(auth)}`;
    }
    sent.push({ namespace, data });
  }
  return send.call(this, data);
};

// While held, every new connection goes to a port nobody listens on, and fails.
globalThis.WebSocket = class extends NativeWebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(held ? 'ws://127.0.0.1:9/' : url, protocols);
  }
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

/** Makes every new connection fail until the returned function is called. */
export function holdConnections(): () => void {
  held = true;
  return () => {
    held = false;
  };
}

/** Delivers a DISCONNECT for `namespace` on its open connections, as the relay would send it. */
export function serverDisconnect(namespace: string): void {
  for (const ws of openSockets(namespace)) ws.dispatchEvent(new MessageEvent('message', { data: `41${namespace},` }));
}

/** The next handshake for `namespace` leaves out its resume token. */
export function forgetSession(namespace: string): void {
  forgetting.add(namespace);
}

/** Drops `namespace`'s acknowledgements and read marks until the returned function is called. */
export function muteReceipts(namespace: string): () => void {
  muted.add(namespace);
  return () => {
    muted.delete(namespace);
  };
}

/** Every Socket.IO packet `namespace` has sent so far, as written on the wire. */
export function sentOn(namespace: string): string[] {
  return sent.filter((each) => each.namespace === namespace).map((each) => each.data);
}
