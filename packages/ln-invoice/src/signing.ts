import { utf8ToBytes } from 'ln-types';
import { CURVE_ORDER, sha256 } from 'ln-crypto';
import { packWords } from './bech32.js';
import { Scratch } from './scratch.js';
import type { InvoiceSignature } from './types.js';

// The signed bytes only live until they are hashed (sha256 keeps no reference).
const preimage = new Scratch();

/**
 * The hash an invoice signature covers: SHA-256 of the hrp's UTF-8 bytes followed
 * by the data words before the signature, converted to bytes with zero padding.
 */
export function invoiceSigningHash(hrp: string, dataWords: Uint8Array): Uint8Array {
  // hrp bytes, then the words packed into bytes with the last one zero-padded, in one buffer.
  const ascii = isAscii(hrp);
  const prefix = ascii ? undefined : utf8ToBytes(hrp);
  const prefixLength = prefix === undefined ? hrp.length : prefix.length;
  const out = preimage.view(prefixLength + Math.ceil((dataWords.length * 5) / 8));
  if (prefix !== undefined) out.set(prefix);
  else for (let i = 0; i < prefixLength; i++) out[i] = hrp.charCodeAt(i);
  packWords(dataWords, out, prefixLength, true);
  return sha256(out);
}

/** True when every character is ASCII, so its UTF-8 bytes are its char codes (always so for a decoded hrp). */
function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}

const HALF_ORDER = CURVE_ORDER >> 1n;

function sValue(signature: Uint8Array): bigint {
  let s = 0n;
  for (let i = 32; i < 64; i++) s = (s << 8n) | BigInt(signature[i]!);
  return s;
}

const HALF_ORDER_BYTES = Uint8Array.from(HALF_ORDER.toString(16).padStart(64, '0').match(/../g)!, (h) => parseInt(h, 16));

/** True when the signature's s is above n/2 (the form libsecp256k1 refuses to verify). */
export function isHighS(signature: Uint8Array): boolean {
  // Big-endian byte comparison: no bigint on the decode path.
  for (let i = 0; i < 32; i++) {
    const d = signature[32 + i]! - HALF_ORDER_BYTES[i]!;
    if (d !== 0) return d > 0;
  }
  return false;
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
