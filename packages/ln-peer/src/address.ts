// BOLT 7 address descriptors, for init's remote_addr: type 1 IPv4 (4 bytes),
// type 2 IPv6 (16 bytes), each followed by a big-endian u16 port.

/** A network address as an adapter knows it. */
export interface SocketAddress {
  readonly host: string;
  readonly port: number;
}

/** The BOLT 7 descriptor of an IPv4 or IPv6 address, or `undefined` for anything else (names, Tor). */
export function addressDescriptor(address: SocketAddress): Uint8Array | undefined {
  const { host, port } = address;
  if (!Number.isInteger(port) || port < 0 || port > 0xffff) return undefined;
  const v4 = parseIpv4(host.startsWith('::ffff:') ? host.slice(7) : host);
  if (v4 !== undefined) return Uint8Array.of(1, ...v4, port >> 8, port & 0xff);
  const v6 = parseIpv6(host);
  if (v6 !== undefined) return Uint8Array.of(2, ...v6, port >> 8, port & 0xff);
  return undefined;
}

function parseIpv4(host: string): number[] | undefined {
  const parts = host.split('.');
  if (parts.length !== 4) return undefined;
  const out = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : 256));
  return out.every((n) => n <= 255) ? out : undefined;
}

function parseIpv6(host: string): number[] | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(host) || host.split('::').length > 2) return undefined;
  const [head, tail] = host.includes('::') ? host.split('::') : [host, undefined];
  const groups = (s: string | undefined) => (s === undefined || s === '' ? [] : s.split(':'));
  const h = groups(head);
  const t = groups(tail);
  const missing = 8 - h.length - t.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const all = [...h, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...t];
  const out: number[] = [];
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    const v = parseInt(g, 16);
    out.push(v >> 8, v & 0xff);
  }
  return out;
}
