import { publicKey, shortChannelId, bytesToUtf8, type PublicKey, type ShortChannelId } from 'ln-types';
import { packWords, wordsToBytes } from './bech32.js';
import { Scratch } from './scratch.js';
import { InvoiceError } from './errors.js';
import { ROUTE_HOP_BYTES } from './tags.js';
import type { Fallback, RouteHintHop } from './types.js';

// Bytes a reader turns into other values (text, hops) and then drops.
const fieldBytes = new Scratch();

/** The whole bytes of `words` in the field scratch buffer (valid until the next call). */
export function scratchBytes(words: Uint8Array): Uint8Array {
  const bytes = fieldBytes.view((words.length * 5) >>> 3);
  packWords(words, bytes, 0, false);
  return bytes;
}

// Readers of each field's words. `undefined` means "skip this field" (BOLT 11:
// wrong data_length, unknown fallback version, or a value that does not parse);
// the decoder then keeps it as a raw field.

/** `p`, `s`, `h`: exactly 52 words, 32 bytes. */
export function readHash32(words: Uint8Array): Uint8Array | undefined {
  return words.length === 52 ? wordsToBytes(words) : undefined;
}

/** `n`: exactly 53 words, a 33-byte compressed key (format-checked; the curve check comes with verification). */
export function readNodeId(words: Uint8Array): PublicKey | undefined {
  if (words.length !== 53) return undefined;
  const bytes = wordsToBytes(words);
  return bytes[0] === 2 || bytes[0] === 3 ? publicKey(bytes) : undefined;
}

/**
 * `x`, `c`: a big-endian unsigned integer of any length.
 * @throws InvoiceError `invalid_integer` above 2^53 - 1
 */
export function readInteger(words: Uint8Array): number {
  let value = 0;
  for (let i = 0; i < words.length; i++) {
    value = value * 32 + words[i]!;
    if (value > Number.MAX_SAFE_INTEGER) throw new InvoiceError('invalid_integer', 'integer field above 2^53 - 1');
  }
  return value;
}

/** Minimal big-endian words of a non-negative safe integer (zero is no words). */
export function writeInteger(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) throw new InvoiceError('invalid_field', 'integer field must be a non-negative safe integer');
  const out: number[] = [];
  for (let v = value; v > 0; v = Math.floor(v / 32)) out.push(v % 32);
  return Uint8Array.from(out.reverse());
}

/**
 * `d`: UTF-8 text.
 * @throws InvoiceError `invalid_description` for bytes that are not UTF-8
 */
export function readDescription(words: Uint8Array): string {
  const text = bytesToUtf8(scratchBytes(words));
  if (text === undefined) throw new InvoiceError('invalid_description', 'description is not valid UTF-8');
  return text;
}

/** Expected program lengths of each fallback version. */
function fallbackProgramValid(version: number, length: number): boolean {
  if (version === 17 || version === 18) return length === 20;
  if (version === 0) return length === 20 || length === 32;
  if (version <= 16) return length >= 2 && length <= 40;
  return false;
}

/** `f`: a version word then the program; unknown versions (19..31) and wrong lengths are skipped. */
export function readFallback(words: Uint8Array): Fallback | undefined {
  if (words.length === 0) return undefined;
  const version = words[0]!;
  const program = wordsToBytes(words.subarray(1));
  return fallbackProgramValid(version, program.length) ? { version, program } : undefined;
}

/** True when the fallback has a known version and a program of a valid length for it. */
export function isValidFallback(fallback: Fallback): boolean {
  return Number.isInteger(fallback.version) && fallback.version >= 0 && fallback.version <= 18 && fallbackProgramValid(fallback.version, fallback.program.length);
}

/** `r`: one or more 51-byte hops. */
export function readRouteHint(words: Uint8Array): RouteHintHop[] | undefined {
  const bytes = scratchBytes(words);
  if (bytes.length === 0 || bytes.length % ROUTE_HOP_BYTES !== 0) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hops: RouteHintHop[] = [];
  for (let o = 0; o < bytes.length; o += ROUTE_HOP_BYTES) {
    if (bytes[o] !== 2 && bytes[o] !== 3) return undefined;
    hops.push({
      nodeId: publicKey(bytes.slice(o, o + 33)),
      // Eight bytes read as a u64 are always a valid short channel id.
      shortChannelId: view.getBigUint64(o + 33) as ShortChannelId,
      feeBaseMsat: view.getUint32(o + 41),
      feeProportionalMillionths: view.getUint32(o + 45),
      cltvExpiryDelta: view.getUint16(o + 49),
    });
  }
  return hops;
}

/** The bytes of an `r` field. */
export function writeRouteHint(hops: readonly RouteHintHop[]): Uint8Array {
  if (hops.length === 0) throw new InvoiceError('invalid_field', 'a route hint needs at least one hop');
  const bytes = new Uint8Array(hops.length * ROUTE_HOP_BYTES);
  const view = new DataView(bytes.buffer);
  hops.forEach((hop, i) => {
    const o = i * ROUTE_HOP_BYTES;
    const okU32 = (v: number) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
    if (!okU32(hop.feeBaseMsat) || !okU32(hop.feeProportionalMillionths)) throw new InvoiceError('invalid_field', 'route hint fees are u32');
    if (!Number.isInteger(hop.cltvExpiryDelta) || hop.cltvExpiryDelta < 0 || hop.cltvExpiryDelta > 0xffff) {
      throw new InvoiceError('invalid_field', 'route hint cltv_expiry_delta is a u16');
    }
    bytes.set(publicKey(hop.nodeId), o);
    view.setBigUint64(o + 33, shortChannelId(hop.shortChannelId));
    view.setUint32(o + 41, hop.feeBaseMsat);
    view.setUint32(o + 45, hop.feeProportionalMillionths);
    view.setUint16(o + 49, hop.cltvExpiryDelta);
  });
  return bytes;
}
