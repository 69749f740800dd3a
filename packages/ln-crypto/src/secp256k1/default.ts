import { type PublicKey } from 'ln-types';
import { CryptoError } from '../errors.js';
import type { RecoveryId, Secp256k1Backend } from './backend.js';
import { nobleSecp256k1 } from './noble.js';

// Package-level functions run on noble. Code that wants an accelerated backend
// takes a `Secp256k1Backend` argument (its options default to `defaultSecp256k1`).

/** The backend the package-level functions use. */
export const defaultSecp256k1: Secp256k1Backend = nobleSecp256k1;

/**
 * Brands bytes as a public key after checking the point is on the curve;
 * returns the compressed form.
 * @throws CryptoError `invalid_public_key`
 */
export function parsePublicKey(bytes: Uint8Array, backend: Secp256k1Backend = defaultSecp256k1): PublicKey {
  if (!backend.isValidPublicKey(bytes)) throw new CryptoError('invalid_public_key', 'not a valid secp256k1 public key');
  return (bytes.length === 33 ? bytes : backend.publicKeyCompress(bytes)) as PublicKey;
}

/** The compressed public key of a private key. */
export function publicKeyFromPrivate(privateKey: Uint8Array, backend: Secp256k1Backend = defaultSecp256k1): PublicKey {
  return backend.publicKeyCreate(privateKey) as PublicKey;
}

/** Compact low-S ECDSA signature (RFC 6979) of a 32-byte digest. */
export function ecdsaSign(hash: Uint8Array, privateKey: Uint8Array): Uint8Array {
  return defaultSecp256k1.ecdsaSign(hash, privateKey);
}

/** Verifies a compact signature over a 32-byte digest; false on anything invalid. */
export function ecdsaVerify(signature: Uint8Array, hash: Uint8Array, publicKey: Uint8Array): boolean {
  return defaultSecp256k1.ecdsaVerify(signature, hash, publicKey);
}

/** Recovers the compressed public key of a compact signature and recovery id. */
export function ecdsaRecover(signature: Uint8Array, recoveryId: RecoveryId, hash: Uint8Array): Uint8Array {
  return defaultSecp256k1.ecdsaRecover(signature, recoveryId, hash);
}

/** BOLT 8 ECDH: SHA-256 of the compressed shared point. */
export function ecdh(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  return defaultSecp256k1.ecdh(privateKey, publicKey);
}
