import { CryptoError } from '../errors.js';

export function checkAeadKey(key: Uint8Array): void {
  if (key.length !== 32) throw new CryptoError('invalid_length', `ChaCha20-Poly1305 key must be 32 bytes, got ${key.length}`);
}

export function checkAeadNonce(nonce: Uint8Array): void {
  if (nonce.length !== 12) throw new CryptoError('invalid_length', `ChaCha20-Poly1305 nonce must be 12 bytes, got ${nonce.length}`);
}

export function checkAeadArgs(key: Uint8Array, nonce: Uint8Array): void {
  checkAeadKey(key);
  checkAeadNonce(nonce);
}
