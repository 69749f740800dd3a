export { CryptoError, type CryptoErrorCode } from './errors.js';
export {
  sha256,
  sha256d,
  hmacSha256,
  ripemd160,
  hash160,
  hkdfSha256,
  taggedHash,
  chacha20,
  chacha20Poly1305Seal,
  chacha20Poly1305Open,
  randomBytes,
} from './hashes.js';
export type { SymmetricBackend } from './symmetric/backend.js';
export { nobleSymmetric } from './symmetric/noble.js';
export { nodeSymmetric } from './symmetric/node.js';
export { defaultSymmetric } from './symmetric/default.js';
export { prepareChaCha20Poly1305Key, SMALL_AEAD_MAX, type ChaCha20Poly1305Key } from './symmetric/aead-key.js';
export type { Secp256k1Backend, RecoverableSignature, RecoveryId } from './secp256k1/backend.js';
export { nobleSecp256k1 } from './secp256k1/noble.js';
export { createTinySecp256k1Backend, type TinySecp256k1Module } from './secp256k1/tiny.js';
export { createNativeSecp256k1Backend, type NativeSecp256k1Module } from './secp256k1/native.js';
export { CURVE_ORDER } from './secp256k1/checks.js';
export { signatureToDer, signatureFromDer, isLowS, normalizeSignature } from './secp256k1/der.js';
export {
  defaultSecp256k1,
  parsePublicKey,
  publicKeyFromPrivate,
  ecdsaSign,
  ecdsaVerify,
  ecdsaRecover,
  ecdh,
} from './secp256k1/default.js';
