import { CryptoError } from '../errors.js';
import { CURVE_ORDER, bigIntTo32Bytes, bytesToBigInt } from './checks.js';

const HALF_ORDER = CURVE_ORDER >> 1n;

/** Strict DER (BIP 66) encoding of a 64-byte compact signature, as Bitcoin scripts carry it (without the sighash byte). */
export function signatureToDer(compact: Uint8Array): Uint8Array {
  if (compact.length !== 64) throw new CryptoError('invalid_signature', 'compact signature must be 64 bytes');
  const r = derInteger(compact.subarray(0, 32));
  const s = derInteger(compact.subarray(32, 64));
  const out = new Uint8Array(6 + r.length + s.length);
  out.set([0x30, 4 + r.length + s.length, 0x02, r.length]);
  out.set(r, 4);
  out.set([0x02, s.length], 4 + r.length);
  out.set(s, 6 + r.length);
  return out;
}

function derInteger(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const body = bytes.subarray(start);
  if (body[0]! & 0x80) {
    const out = new Uint8Array(body.length + 1);
    out.set(body, 1);
    return out;
  }
  return body.slice();
}

/**
 * The compact form of a strict-DER signature (BIP 66 rules: minimal lengths,
 * positive minimally-encoded integers, nothing trailing).
 * @throws CryptoError `invalid_signature`
 */
export function signatureFromDer(der: Uint8Array): Uint8Array {
  const fail = (why: string): never => {
    throw new CryptoError('invalid_signature', `invalid DER signature: ${why}`);
  };
  if (der.length < 8 || der.length > 72) fail('length');
  if (der[0] !== 0x30 || der[1] !== der.length - 2) fail('sequence header');
  const out = new Uint8Array(64);
  let offset = 2;
  for (let part = 0; part < 2; part++) {
    if (der[offset] !== 0x02) fail('integer tag');
    const len = der[offset + 1]!;
    offset += 2;
    if (len === 0 || offset + len > der.length) fail('integer length');
    const body = der.subarray(offset, offset + len);
    if (body[0]! & 0x80) fail('negative integer');
    if (len > 1 && body[0] === 0 && !(body[1]! & 0x80)) fail('non-minimal integer');
    const value = body[0] === 0 ? body.subarray(1) : body;
    if (value.length > 32) fail('integer too large');
    out.set(value, part * 32 + 32 - value.length);
    offset += len;
  }
  if (offset !== der.length) fail('trailing bytes');
  return out;
}

/** True when the compact signature's s is in the lower half of the order. */
export function isLowS(compact: Uint8Array): boolean {
  return bytesToBigInt(compact.subarray(32, 64)) <= HALF_ORDER;
}

/** The low-S form of a compact signature (s replaced by n - s when high). */
export function normalizeSignature(compact: Uint8Array): Uint8Array {
  if (compact.length !== 64) throw new CryptoError('invalid_signature', 'compact signature must be 64 bytes');
  const s = bytesToBigInt(compact.subarray(32, 64));
  if (s <= HALF_ORDER) return compact;
  const out = compact.slice();
  out.set(bigIntTo32Bytes(CURVE_ORDER - s), 32);
  return out;
}
