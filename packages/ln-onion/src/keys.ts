import { hmacSha256, sha256, chacha20 } from 'ln-crypto';
import { concatBytes, utf8ToBytes } from 'ln-types';

/** The key types BOLT 4 derives from a shared secret. */
export type SphinxKeyType = 'rho' | 'mu' | 'um' | 'ammag' | 'ammagext' | 'pad';

const KEY_TAGS: Record<SphinxKeyType, Uint8Array> = {
  rho: utf8ToBytes('rho'),
  mu: utf8ToBytes('mu'),
  um: utf8ToBytes('um'),
  ammag: utf8ToBytes('ammag'),
  ammagext: utf8ToBytes('ammagext'),
  pad: utf8ToBytes('pad'),
};

/** BOLT 4 key generation: HMAC-SHA256 keyed with the key type's ASCII name, over the shared secret. */
export function generateKey(type: SphinxKeyType, sharedSecret: Uint8Array): Uint8Array {
  return hmacSha256(KEY_TAGS[type], sharedSecret);
}

const ZERO_NONCE = new Uint8Array(12);

/** `length` bytes of ChaCha20 keystream (zero nonce), as Sphinx obfuscation uses it. */
export function cipherStream(key: Uint8Array, length: number): Uint8Array {
  return chacha20(key, ZERO_NONCE, new Uint8Array(length));
}

/** XORs `b` into `a` in place over `a`'s length (b must be at least as long); returns `a`. */
export function xorInto(a: Uint8Array, b: Uint8Array, bOffset = 0): Uint8Array {
  for (let i = 0; i < a.length; i++) a[i]! ^= b[bOffset + i]!;
  return a;
}

/** The blinding factor that takes an ephemeral key to the next hop's: SHA256(E || shared_secret). */
export function blindingFactor(ephemeralPublicKey: Uint8Array, sharedSecret: Uint8Array): Uint8Array {
  return sha256(concatBytes(ephemeralPublicKey, sharedSecret));
}
