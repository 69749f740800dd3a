import { CryptoError } from '../errors.js';

/** secp256k1's group order n. */
export const CURVE_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

export function bytesToBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

export function bigIntTo32Bytes(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

export function expectLength(bytes: Uint8Array, length: number, code: 'invalid_private_key' | 'invalid_tweak' | 'invalid_length', what: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw new CryptoError(code, `${what} must be ${length} bytes`);
  }
}

/** A scalar in [0, n) from 32 bytes, or a typed error. */
export function parseTweak(tweak: Uint8Array, allowZero: boolean): bigint {
  expectLength(tweak, 32, 'invalid_tweak', 'tweak');
  const t = bytesToBigInt(tweak);
  if (t >= CURVE_ORDER || (!allowZero && t === 0n)) throw new CryptoError('invalid_tweak', 'tweak out of range');
  return t;
}

/** A private key in [1, n) from 32 bytes, or a typed error. */
export function parsePrivateKey(key: Uint8Array): bigint {
  expectLength(key, 32, 'invalid_private_key', 'private key');
  const d = bytesToBigInt(key);
  if (d === 0n || d >= CURVE_ORDER) throw new CryptoError('invalid_private_key', 'private key out of range');
  return d;
}

export function expectHash(hash: Uint8Array): void {
  expectLength(hash, 32, 'invalid_length', 'message hash');
}

export function isPublicKeyLength(bytes: Uint8Array): boolean {
  return bytes instanceof Uint8Array && (bytes.length === 33 || bytes.length === 65);
}
