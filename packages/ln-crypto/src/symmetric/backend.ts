/**
 * Hashes and the AEAD: the symmetric primitives, with two interchangeable
 * implementations (noble everywhere, Node's OpenSSL where present) that return
 * identical bytes. Everything else in ln-crypto is built on one of these.
 */
export interface SymmetricBackend {
  readonly name: string;
  sha256(data: Uint8Array): Uint8Array;
  hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array;
  /**
   * ChaCha20-Poly1305 (RFC 8439) encryption: ciphertext followed by the 16-byte tag.
   * `key` is 32 bytes, `nonce` 12 bytes.
   */
  chacha20Poly1305Seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array;
  /**
   * ChaCha20-Poly1305 decryption of ciphertext followed by its tag.
   * @throws CryptoError `bad_mac` when authentication fails (nothing is returned then)
   */
  chacha20Poly1305Open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array;
}
