import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { CryptoError } from '../errors.js';
import type { SymmetricBackend } from './backend.js';
import { checkAeadArgs } from './checks.js';

/** Pure-JS symmetric primitives from @noble/hashes and @noble/ciphers (every runtime). */
export const nobleSymmetric: SymmetricBackend = Object.freeze({
  name: 'noble',
  sha256: (data: Uint8Array) => sha256(data),
  hmacSha256: (key: Uint8Array, data: Uint8Array) => hmac(sha256, key, data),
  chacha20Poly1305Seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array) {
    checkAeadArgs(key, nonce);
    return chacha20poly1305(key, nonce, aad).encrypt(plaintext);
  },
  chacha20Poly1305Open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array) {
    checkAeadArgs(key, nonce);
    if (sealed.length < 16) throw new CryptoError('bad_mac', 'sealed data is shorter than its tag');
    try {
      return chacha20poly1305(key, nonce, aad).decrypt(sealed);
    } catch (cause) {
      throw new CryptoError('bad_mac', 'ChaCha20-Poly1305 authentication failed', { cause });
    }
  },
});
