/** A source of secure randomness (LDK's EntropySource). */
export interface EntropySource {
  /** 32 bytes from a cryptographically secure generator. */
  getSecureRandomBytes(): Uint8Array;
}
