/** A recovery id (which of up to four candidate public keys signed). */
export type RecoveryId = 0 | 1 | 2 | 3;

/** A 64-byte compact signature with its recovery id. */
export interface RecoverableSignature {
  readonly signature: Uint8Array;
  readonly recoveryId: RecoveryId;
}

/**
 * The secp256k1 operations the toolkit needs, with one contract for every
 * implementation: the same bytes out for the same bytes in, and the same inputs
 * refused (with a {@link CryptoError}). noble is the default; accelerated backends
 * (WebAssembly, native) are created from a module the application passes in.
 *
 * Conventions: private keys and tweaks are 32 bytes big-endian; public keys are
 * returned compressed (33 bytes) and accepted compressed or uncompressed;
 * signatures are compact (r || s, 64 bytes), produced low-S with RFC 6979 nonces,
 * and verification refuses high-S (as libsecp256k1 does); hashes are 32-byte
 * digests signed as given (no further hashing).
 */
export interface Secp256k1Backend {
  readonly name: string;
  isValidPublicKey(publicKey: Uint8Array): boolean;
  isValidPrivateKey(privateKey: Uint8Array): boolean;
  /** The compressed public key of a private key. */
  publicKeyCreate(privateKey: Uint8Array): Uint8Array;
  /** Compressed form of any valid public key. */
  publicKeyCompress(publicKey: Uint8Array): Uint8Array;
  /** P + t·G (t = 0 gives P). Used by BOLT 3 key derivation. */
  publicKeyTweakAdd(publicKey: Uint8Array, tweak: Uint8Array): Uint8Array;
  /** t·P with 0 < t < n. */
  publicKeyTweakMul(publicKey: Uint8Array, tweak: Uint8Array): Uint8Array;
  /** A + B. */
  publicKeyCombine(a: Uint8Array, b: Uint8Array): Uint8Array;
  /** (d + t) mod n; refuses a zero result. */
  privateKeyTweakAdd(privateKey: Uint8Array, tweak: Uint8Array): Uint8Array;
  /** (d · t) mod n with 0 < t < n. */
  privateKeyTweakMul(privateKey: Uint8Array, tweak: Uint8Array): Uint8Array;
  /** Compact low-S ECDSA signature of a 32-byte digest (RFC 6979 nonce). */
  ecdsaSign(hash: Uint8Array, privateKey: Uint8Array): Uint8Array;
  ecdsaSignRecoverable(hash: Uint8Array, privateKey: Uint8Array): RecoverableSignature;
  /** False for a wrong, malformed or high-S signature or an invalid key; never throws. */
  ecdsaVerify(signature: Uint8Array, hash: Uint8Array, publicKey: Uint8Array): boolean;
  /** The compressed public key that produced a compact signature with this recovery id. */
  ecdsaRecover(signature: Uint8Array, recoveryId: RecoveryId, hash: Uint8Array): Uint8Array;
  /** ECDH as BOLT 8 defines it: SHA-256 of the compressed point d·P. */
  ecdh(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array;
  /** BIP 340 Schnorr signature of a 32-byte message. */
  schnorrSign(message: Uint8Array, privateKey: Uint8Array, auxRand?: Uint8Array): Uint8Array;
  /** BIP 340 verification against a 32-byte x-only public key; never throws. */
  schnorrVerify(signature: Uint8Array, message: Uint8Array, xOnlyPublicKey: Uint8Array): boolean;
}
