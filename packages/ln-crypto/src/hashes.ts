import { chacha20 as nobleChacha20 } from '@noble/ciphers/chacha.js';
import { ripemd160 as nobleRipemd160 } from '@noble/hashes/legacy.js';
import { concatBytes, utf8ToBytes } from 'ln-types';
import { CryptoError } from './errors.js';
import { defaultSymmetric } from './symmetric/default.js';

const { sha256: sha256Impl, hmacSha256: hmacImpl } = defaultSymmetric;

/** SHA-256. */
export function sha256(data: Uint8Array): Uint8Array {
  return sha256Impl(data);
}

/** SHA-256 applied twice (Bitcoin's hash256: txids, gossip signatures). */
export function sha256d(data: Uint8Array): Uint8Array {
  return sha256Impl(sha256Impl(data));
}

/** HMAC-SHA256. */
export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmacImpl(key, data);
}

/** RIPEMD-160. */
export function ripemd160(data: Uint8Array): Uint8Array {
  return nobleRipemd160(data);
}

/** RIPEMD-160 of SHA-256 (Bitcoin's hash160: P2WPKH, HTLC payment-hash checks). */
export function hash160(data: Uint8Array): Uint8Array {
  return nobleRipemd160(sha256Impl(data));
}

/**
 * HKDF-SHA256 (RFC 5869): extract with `salt`, expand with `info` to `length` bytes.
 * BOLT 8 uses it with an empty `info` and 64 bytes out, split into two keys.
 */
export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length > 255 * 32) {
    throw new CryptoError('invalid_length', `HKDF output length ${length} out of range`);
  }
  const prk = hmacImpl(salt, ikm);
  const out = new Uint8Array(length);
  let block: Uint8Array = new Uint8Array(0);
  for (let i = 0, offset = 0; offset < length; i++) {
    block = hmacImpl(prk, concatBytes(block, info, Uint8Array.of(i + 1)));
    out.set(block.subarray(0, Math.min(32, length - offset)), offset);
    offset += 32;
  }
  return out;
}

/** BIP 340 tagged hash: sha256(sha256(tag) || sha256(tag) || data) (BOLT 12 signatures use it). */
export function taggedHash(tag: string, ...data: Uint8Array[]): Uint8Array {
  const tagHash = sha256Impl(utf8ToBytes(tag));
  return sha256Impl(concatBytes(tagHash, tagHash, ...data));
}

/**
 * The ChaCha20 keystream XORed into `data` (RFC 8439, 96-bit nonce, block counter
 * from 0). With all-zero `data` it is the raw keystream, as Sphinx uses it.
 */
export function chacha20(key: Uint8Array, nonce: Uint8Array, data: Uint8Array): Uint8Array {
  if (key.length !== 32 || nonce.length !== 12) throw new CryptoError('invalid_length', 'ChaCha20 needs a 32-byte key and 12-byte nonce');
  return nobleChacha20(key, nonce, data);
}

/** ChaCha20-Poly1305 encryption on the default backend: ciphertext || 16-byte tag. */
export function chacha20Poly1305Seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
  return defaultSymmetric.chacha20Poly1305Seal(key, nonce, plaintext, aad);
}

/**
 * ChaCha20-Poly1305 decryption on the default backend.
 * @throws CryptoError `bad_mac`
 */
export function chacha20Poly1305Open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array {
  return defaultSymmetric.chacha20Poly1305Open(key, nonce, sealed, aad);
}

/** `n` bytes from the platform CSPRNG (`crypto.getRandomValues`, in every runtime we support). */
export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  // getRandomValues fills at most 65536 bytes per call.
  for (let offset = 0; offset < n; offset += 65536) {
    globalThis.crypto.getRandomValues(out.subarray(offset, Math.min(n, offset + 65536)));
  }
  return out;
}
