import { randomBytes, type Secp256k1Backend } from 'ln-crypto';
import { NoiseError } from './errors.js';

/** An ephemeral key pair: the given private key (test vectors) or a random one. */
export function ephemeralKeyPair(secp256k1: Secp256k1Backend, given?: Uint8Array): { priv: Uint8Array; pub: Uint8Array } {
  if (given !== undefined) {
    if (!secp256k1.isValidPrivateKey(given)) throw new NoiseError('invalid_option', 'ephemeralPrivateKey is not a valid private key');
    return { priv: Uint8Array.from(given), pub: secp256k1.publicKeyCreate(given) };
  }
  // A random 32-byte string is a valid key except with probability ~2^-128.
  for (;;) {
    const priv = randomBytes(32);
    if (secp256k1.isValidPrivateKey(priv)) return { priv, pub: secp256k1.publicKeyCreate(priv) };
  }
}

/** True for a 33-byte compressed key that is a point on the curve (BOLT 8 refuses anything else). */
export function isCompressedPublicKey(secp256k1: Secp256k1Backend, key: Uint8Array): boolean {
  return key.length === 33 && (key[0] === 2 || key[0] === 3) && secp256k1.isValidPublicKey(key);
}
