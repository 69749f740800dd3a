import { concatBytes, utf8ToBytes } from 'ln-types';
import { CURVE_ORDER, sha256 } from 'ln-crypto';
import { wordsToBytes } from './bech32.js';
import type { InvoiceSignature } from './types.js';

/**
 * The hash an invoice signature covers: SHA-256 of the hrp's UTF-8 bytes followed
 * by the data words before the signature, converted to bytes with zero padding.
 */
export function invoiceSigningHash(hrp: string, dataWords: Uint8Array): Uint8Array {
  // Zero-pad to a whole byte: two zero words supply enough bits, then cut to ceil(bits / 8).
  const bytes = wordsToBytes(concatBytes(dataWords, new Uint8Array(2))).subarray(0, Math.ceil((dataWords.length * 5) / 8));
  return sha256(concatBytes(utf8ToBytes(hrp), bytes));
}

const HALF_ORDER = CURVE_ORDER >> 1n;

function sValue(signature: Uint8Array): bigint {
  let s = 0n;
  for (let i = 32; i < 64; i++) s = (s << 8n) | BigInt(signature[i]!);
  return s;
}

/** True when the signature's s is above n/2 (the form libsecp256k1 refuses to verify). */
export function isHighS(signature: Uint8Array): boolean {
  return sValue(signature) > HALF_ORDER;
}

/** The same signature with s replaced by n - s (r unchanged). */
export function negateS(signature: Uint8Array): Uint8Array {
  const s = CURVE_ORDER - sValue(signature);
  const out = signature.slice();
  let v = s;
  for (let i = 63; i >= 32; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/**
 * A signature in low-S form that recovers the same key: (r, n - s) with the
 * recovery id's parity bit flipped. Encoders apply it to whatever a signer returns.
 */
export function toLowS(sig: InvoiceSignature): InvoiceSignature {
  if (!isHighS(sig.signature)) return sig;
  return { signature: negateS(sig.signature), recoveryId: (sig.recoveryId ^ 1) as InvoiceSignature['recoveryId'] };
}
