import { FEATURES } from 'ln-wire';

// var_onion_optin and payment_secret are ASSUMED features with no context in
// BOLT 9's table, yet every invoice sets them (the spec examples do).
const ASSUMED_IN_INVOICES = new Set(['var_onion_optin', 'payment_secret']);

/**
 * Feature bits an invoice's `9` field may carry, from ln-wire's BOLT 9 table
 * (context 9, plus the assumed var_onion_optin and payment_secret), both bits
 * of each pair: var_onion_optin, payment_secret, basic_mpp, option_route_blinding,
 * option_attribution_data, option_payment_metadata.
 */
export const KNOWN_INVOICE_FEATURE_BITS: readonly number[] = Object.values(FEATURES)
  .filter((f) => f.contexts.includes('9') || ASSUMED_IN_INVOICES.has(f.name))
  .flatMap((f) => [f.bit, f.bit + 1])
  .sort((a, b) => a - b);

const KNOWN = new Set(KNOWN_INVOICE_FEATURE_BITS);

/** True when bit `bit` (0 = least significant) is set in big-endian feature bytes. */
export function hasFeatureBit(features: Uint8Array | undefined, bit: number): boolean {
  if (features === undefined) return false;
  const byte = features.length - 1 - (bit >>> 3);
  return byte >= 0 && ((features[byte]! >>> (bit & 7)) & 1) === 1;
}

/** The set bit positions, ascending. */
export function featureBitsSet(features: Uint8Array): number[] {
  const bits: number[] = [];
  for (let i = features.length - 1; i >= 0; i--) {
    const b = features[i]!;
    for (let j = 0; j < 8; j++) if ((b >>> j) & 1) bits.push((features.length - 1 - i) * 8 + j);
  }
  return bits;
}

/** Big-endian feature bytes with exactly the given bits set (minimal length). */
export function featuresFromBits(bits: readonly number[]): Uint8Array {
  const top = bits.reduce((m, b) => Math.max(m, b), -1);
  const out = new Uint8Array(top < 0 ? 0 : (top >>> 3) + 1);
  for (const b of bits) out[out.length - 1 - (b >>> 3)]! |= 1 << (b & 7);
  return out;
}

/** Even (required) bits this package does not know: a payer MUST NOT pay such an invoice. */
export function unknownRequiredFeatureBits(features: Uint8Array): number[] {
  return featureBitsSet(features).filter((b) => b % 2 === 0 && !KNOWN.has(b));
}

/** 5-bit words (big-endian) to minimal big-endian bytes. */
export function featureWordsToBytes(words: Uint8Array): Uint8Array {
  const totalBits = words.length * 5;
  const full = new Uint8Array((totalBits + 7) >>> 3);
  // Bit k of the vector (from the least significant end) is bit (4 - k % 5) of word len-1-floor(k/5).
  for (let w = 0; w < words.length; w++) {
    const word = words[words.length - 1 - w]!;
    for (let j = 0; j < 5; j++) {
      if ((word >>> j) & 1) {
        const k = w * 5 + j;
        full[full.length - 1 - (k >>> 3)]! |= 1 << (k & 7);
      }
    }
  }
  let start = 0;
  while (start < full.length && full[start] === 0) start++;
  return full.slice(start);
}

/** Big-endian bytes to the fewest 5-bit words holding every set bit. */
export function featureBytesToWords(bytes: Uint8Array): Uint8Array {
  const bits = featureBitsSet(bytes);
  const top = bits.length === 0 ? -1 : bits[bits.length - 1]!;
  const words = new Uint8Array(top < 0 ? 0 : Math.floor(top / 5) + 1);
  for (const k of bits) words[words.length - 1 - Math.floor(k / 5)]! |= 1 << (k % 5);
  return words;
}
