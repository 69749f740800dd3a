import { TypesError } from './errors.js';

const HEX_CHARS = '0123456789abcdef';
const BYTE_TO_HEX: string[] = Array.from({ length: 256 }, (_, i) => HEX_CHARS[i >> 4]! + HEX_CHARS[i & 15]!);
// 0xff marks a character that is not a hex digit.
const HEX_TO_NIBBLE = new Uint8Array(128).fill(0xff);
for (let i = 0; i < 16; i++) {
  HEX_TO_NIBBLE['0123456789abcdef'.charCodeAt(i)] = i;
  HEX_TO_NIBBLE['0123456789ABCDEF'.charCodeAt(i)] = i;
}

/** Lowercase hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += BYTE_TO_HEX[bytes[i]!];
  return out;
}

/**
 * Bytes of a hex string (either case, no `0x` prefix).
 * @throws TypesError `invalid_hex` on an odd length or a non-hex character.
 */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0) throw new TypesError('invalid_hex', `hex string has odd length ${hex.length}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hex.charCodeAt(2 * i);
    const lo = hex.charCodeAt(2 * i + 1);
    const h = hi < 128 ? HEX_TO_NIBBLE[hi]! : 0xff;
    const l = lo < 128 ? HEX_TO_NIBBLE[lo]! : 0xff;
    if (h > 15 || l > 15) {
      throw new TypesError('invalid_hex', `invalid hex character at offset ${2 * i}`);
    }
    out[i] = (h << 4) | l;
  }
  return out;
}

/** True when `a` and `b` hold the same bytes. Not constant-time: never use it on secrets. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Constant-time equality for secrets and MACs (time depends only on the lengths). */
export function equalBytesConstantTime(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Lexicographic comparison: negative, zero or positive like `Array.prototype.sort` wants. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** One new array holding every argument in order. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** A copy of `bytes` in reverse order (txids are displayed reversed). */
export function reverseBytes(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[bytes.length - 1 - i]!;
  return out;
}

const textEncoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 bytes of a string. */
export function utf8ToBytes(text: string): Uint8Array {
  return textEncoder.encode(text);
}

/** The string of UTF-8 bytes; `undefined` when they are not valid UTF-8. */
export function bytesToUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Throws `invalid_length` unless `bytes` is exactly `length` long; returns it for chaining. */
export function assertLength(bytes: Uint8Array, length: number, what: string): Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new TypesError('invalid_length', `${what} must be a Uint8Array`);
  if (bytes.length !== length) {
    throw new TypesError('invalid_length', `${what} must be ${length} bytes, got ${bytes.length}`);
  }
  return bytes;
}

/** Big-endian u64 of `value` (0 <= value < 2^64). */
export function u64ToBytes(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, value);
  return out;
}

/** Big-endian u64 read from `bytes` at `offset`. */
export function bytesToU64(bytes: Uint8Array, offset = 0): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(offset);
}
