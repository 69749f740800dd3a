// The symmetric building blocks of BOLT 8 over a chosen SymmetricBackend:
// nonce encoding, the two-output HKDF and the AEAD with empty or given data.
import { prepareChaCha20Poly1305Key, type SymmetricBackend } from 'ln-crypto';

const EMPTY = new Uint8Array(0);
const ONE = Uint8Array.of(1);

/**
 * Writes BOLT 8's 96-bit nonce into `out`: 32 zero bits, then the counter as
 * 64-bit little-endian. Counters stay below 1000, so the high half is zero.
 */
export function writeNonce(out: Uint8Array, counter: number): Uint8Array {
  out.fill(0);
  out[4] = counter & 0xff;
  out[5] = (counter >>> 8) & 0xff;
  out[6] = (counter >>> 16) & 0xff;
  out[7] = (counter >>> 24) & 0xff;
  return out;
}

/** A fresh nonce for `counter`. */
export function nonce(counter: number): Uint8Array {
  return writeNonce(new Uint8Array(12), counter);
}

/**
 * HKDF-SHA256 with `salt` and `ikm`, empty info, 64 bytes out, split in two
 * 32-byte halves: BOLT 8's `HKDF(ck, x)` used for every key derivation.
 */
export function hkdf2(symmetric: SymmetricBackend, salt: Uint8Array, ikm: Uint8Array): [Uint8Array, Uint8Array] {
  const prk = symmetric.hmacSha256(salt, ikm);
  const first = symmetric.hmacSha256(prk, ONE);
  const joined = new Uint8Array(33);
  joined.set(first, 0);
  joined[32] = 2;
  const second = symmetric.hmacSha256(prk, joined);
  return [first, second];
}

/** SHA-256 of `a || b` (the handshake hash update). */
export function hashPair(symmetric: SymmetricBackend, a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a, 0);
  joined.set(b, a.length);
  return symmetric.sha256(joined);
}

/** encryptWithAD of BOLT 8. */
export function encryptWithAd(symmetric: SymmetricBackend, key: Uint8Array, counter: number, ad: Uint8Array, plaintext: Uint8Array = EMPTY): Uint8Array {
  return prepareChaCha20Poly1305Key(key, symmetric).seal(nonce(counter), plaintext, ad);
}

/** decryptWithAD of BOLT 8: the plaintext, or `undefined` when the tag does not authenticate. */
export function decryptWithAd(symmetric: SymmetricBackend, key: Uint8Array, counter: number, ad: Uint8Array, sealed: Uint8Array): Uint8Array | undefined {
  return prepareChaCha20Poly1305Key(key, symmetric).open(nonce(counter), sealed, ad);
}

export { EMPTY };
