// SPDX-License-Identifier: Apache-2.0
/**
 * Who a connection comes from, as one comparable string, for counting connections per client.
 *
 * No regular expression ever runs over an address here. V8 keeps the subject of the last
 * regular-expression match (what `RegExp.lastMatch` shows) until the next match runs anywhere
 * in the process, so a regex over an address can leave that address in the heap long after
 * its connection is gone; the no-logs test's heap snapshot finds exactly that.
 */

const isDigit = (char: string) => char >= '0' && char <= '9';
const isHexDigit = (char: string) => isDigit(char) || (char >= 'a' && char <= 'f');

/** The four octets of a dotted IPv4 address, or undefined. */
function parseIPv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => part.length >= 1 && part.length <= 3 && [...part].every(isDigit))) return undefined;
  const octets = parts.map(Number);
  return octets.every((octet) => octet <= 255) ? octets : undefined;
}

/** The 16-bit groups of one side of `::`; an IPv4 tail is allowed where `tailAllowed`. */
function parseGroups(text: string, tailAllowed: boolean): number[] | undefined {
  if (text === '') return [];
  const groups: number[] = [];
  const pieces = text.split(':');
  for (const [index, piece] of pieces.entries()) {
    if (tailAllowed && index === pieces.length - 1 && piece.includes('.')) {
      const octets = parseIPv4(piece);
      if (!octets) return undefined;
      groups.push(octets[0]! * 256 + octets[1]!, octets[2]! * 256 + octets[3]!);
    } else if (piece.length >= 1 && piece.length <= 4 && [...piece].every(isHexDigit)) {
      groups.push(Number.parseInt(piece, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}

/** The eight 16-bit groups of an IPv6 address (a zone, `::` and an IPv4 tail allowed), or undefined. */
function parseIPv6(text: string): number[] | undefined {
  const zone = text.indexOf('%');
  const plain = (zone >= 0 ? text.slice(0, zone) : text).toLowerCase();
  if (!plain.includes(':')) return undefined;
  const halves = plain.split('::');
  if (halves.length > 2) return undefined;
  if (halves.length === 1) {
    const groups = parseGroups(plain, true);
    return groups?.length === 8 ? groups : undefined;
  }
  const head = parseGroups(halves[0]!, false);
  const tail = parseGroups(halves[1]!, true);
  if (!head || !tail || head.length + tail.length > 7) return undefined;
  return [...head, ...Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:a.b.c.d), or undefined. */
function mappedIPv4(groups: number[]): string | undefined {
  if (!groups.slice(0, 5).every((group) => group === 0) || groups[5] !== 0xffff) return undefined;
  return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join('.');
}

/** True for 127.0.0.0/8 and ::1 (also IPv4-mapped): a connection from this machine. */
function isLoopback(address: string): boolean {
  const groups = parseIPv6(address);
  const ipv4 = parseIPv4(groups ? (mappedIPv4(groups) ?? '') : address);
  if (ipv4) return ipv4[0] === 127;
  return groups !== undefined && groups.slice(0, 7).every((group) => group === 0) && groups[7] === 1;
}

/**
 * The client's address: the connection's own, or, when that is the machine itself (a reverse
 * proxy on the same host), the last `X-Forwarded-For` entry — the one the proxy wrote — if it
 * is an address at all. From anywhere else the header is ignored: anyone can write one.
 */
export function clientAddress(address: string, forwardedFor: string | string[] | undefined): string {
  if (forwardedFor === undefined || !isLoopback(address)) return address;
  const last = [forwardedFor].flat().join(',').split(',').at(-1)?.trim() ?? '';
  return parseIPv4(last) || parseIPv6(last) ? last : address;
}

/**
 * What identifies a client: an IPv4 address (also when written IPv4-mapped), or the /64
 * network of an IPv6 address, since one home or mobile network hands each of its devices a
 * whole /64 and one client could otherwise take a fresh address for every connection.
 */
export function addressIdentity(address: string): string {
  if (parseIPv4(address)) return address;
  const groups = parseIPv6(address);
  if (!groups) return address;
  return mappedIPv4(groups) ?? `${groups.slice(0, 4).map((group) => group.toString(16)).join(':')}::/64`;
}
