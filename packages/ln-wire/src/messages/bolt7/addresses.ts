import type { Reader } from '../../codec/reader.js';
import type { Writer } from '../../codec/writer.js';
import { WireError } from '../../errors.js';

/**
 * A node address descriptor of node_announcement (BOLT 7). Reading stops at
 * the first type we do not know: its bytes and everything after it are kept as
 * one `opaque` entry (the length of an unknown type is unknowable), so the
 * message re-encodes to the signed bytes.
 */
export type NodeAddress =
  | { readonly kind: 'ipv4'; readonly addr: Uint8Array; readonly port: number }
  | { readonly kind: 'ipv6'; readonly addr: Uint8Array; readonly port: number }
  /** Tor v2 (deprecated; 10 bytes). */
  | { readonly kind: 'torv2'; readonly addr: Uint8Array; readonly port: number }
  /** Tor v3: 32-byte ed25519 key, 2-byte checksum, 1-byte version. */
  | { readonly kind: 'torv3'; readonly addr: Uint8Array; readonly port: number }
  /** A DNS hostname (up to 255 bytes; the spec allows only ASCII, checked by the gossip validator). */
  | { readonly kind: 'dns'; readonly hostname: Uint8Array; readonly port: number }
  /** An unknown descriptor type and everything after it, kept verbatim. */
  | { readonly kind: 'opaque'; readonly bytes: Uint8Array };

const FIXED_LENGTH: Record<number, ['ipv4' | 'ipv6' | 'torv2' | 'torv3', number]> = {
  1: ['ipv4', 4],
  2: ['ipv6', 16],
  3: ['torv2', 10],
  4: ['torv3', 35],
};
const TYPE_OF = { ipv4: 1, ipv6: 2, torv2: 3, torv3: 4 } as const;

/** Reads address descriptors from a reader over exactly the `addresses` field. */
export function readAddresses(r: Reader): NodeAddress[] {
  const out: NodeAddress[] = [];
  while (!r.atEnd) {
    const start = r.position;
    const type = r.source[start]!;
    const fixed = FIXED_LENGTH[type];
    if (fixed !== undefined) {
      r.u8();
      const addr = r.bytes(fixed[1], `${fixed[0]} address`);
      out.push({ kind: fixed[0], addr, port: r.u16('port') });
    } else if (type === 5) {
      r.u8();
      const hostname = r.bytes(r.u8('hostname length'), 'hostname');
      out.push({ kind: 'dns', hostname, port: r.u16('port') });
    } else {
      out.push({ kind: 'opaque', bytes: r.rest() });
    }
  }
  return out;
}

/** Writes address descriptors (an `opaque` entry must be last). */
export function writeAddresses(w: Writer, addresses: readonly NodeAddress[]): void {
  addresses.forEach((a, i) => {
    switch (a.kind) {
      case 'dns':
        if (a.hostname.length > 255) throw new WireError('too_large', 'hostname is longer than 255 bytes');
        w.u8(5).u8(a.hostname.length).bytes(a.hostname).u16(a.port);
        break;
      case 'opaque':
        if (i !== addresses.length - 1) throw new WireError('invalid_value', 'an opaque address entry must be the last');
        if (a.bytes.length === 0 || FIXED_LENGTH[a.bytes[0]!] !== undefined || a.bytes[0] === 5) {
          throw new WireError('invalid_value', 'an opaque address entry must start with an unknown type');
        }
        w.bytes(a.bytes);
        break;
      default: {
        const type = TYPE_OF[a.kind];
        w.u8(type).fixed(a.addr, FIXED_LENGTH[type]![1], `${a.kind} address`).u16(a.port);
      }
    }
  });
}
