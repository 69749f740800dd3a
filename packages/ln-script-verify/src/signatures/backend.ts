import { fromHex } from 'ln-types';

// What verifies a signature once bitcore's interpreter has done everything
// else (script execution, encoding checks, signature hashes).

/**
 * Which implementation checks the ECDSA and Schnorr signatures:
 * - `libsecp256k1-native`: Bitcoin Core's own library through the `secp256k1`
 *   package's Node addon (ECDSA) and `tiny-secp256k1`'s WebAssembly build of it (Schnorr);
 * - `libsecp256k1-wasm`: `tiny-secp256k1`'s WebAssembly libsecp256k1 for both
 *   (where the addon did not build);
 * - `bitcore`: bitcore-lib's own pure-JS elliptic-curve code (the fallback),
 *   with public keys judged as Core judges them;
 * - `bitcore-legacy`: bitcore-lib's interpreter with nothing redirected, as this
 *   package ran before libsecp256k1: bitcore's own key parsing (more lenient than
 *   Core's in corners: coordinates >= p, hybrid keys of the wrong parity) and its
 *   own Schnorr check, which refuses keys whose x starts with a zero byte. A
 *   reference for benchmarks and differential tests, never the default.
 */
export type SignatureBackendName = 'libsecp256k1-native' | 'libsecp256k1-wasm' | 'bitcore' | 'bitcore-legacy';

/**
 * The two signature checks a script makes. Both are total: any input they
 * cannot parse is a failed check, never an exception.
 */
export interface SignatureBackend {
  readonly name: SignatureBackendName;
  /**
   * ECDSA as Core's CPubKey::Verify: `pubkey` serialized (33 or 65 bytes; its
   * header and length already match, see {@link pubkeyLengthForHeader}), `r`
   * and `s` 32 bytes each, both in [1, n-1], any S (Core normalizes S before
   * verifying; LOW_S is a policy flag the interpreter enforces before this).
   */
  ecdsa(r: Uint8Array, s: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): boolean;
  /** BIP 340: a 64-byte signature of a 32-byte message by an x-only key. */
  schnorr(sig64: Uint8Array, msg32: Uint8Array, xOnly: Uint8Array): boolean;
}

/** Core's CPubKey::GetLen: the serialized length a header byte announces, 0 for an unknown header. */
export function pubkeyLengthForHeader(header: number): number {
  if (header === 2 || header === 3) return 33;
  if (header === 4 || header === 6 || header === 7) return 65;
  return 0;
}

/** Core's CPubKey validity before parsing: a known header and exactly the length it announces. */
export function hasPubkeyShape(pubkey: Uint8Array): boolean {
  return pubkey.length > 0 && pubkey.length === pubkeyLengthForHeader(pubkey[0]!);
}

/** Core's IsCompressedOrUncompressedPubKey (the STRICTENC check: format only, not the curve). */
export function isCompressedOrUncompressedPubkey(pubkey: Uint8Array): boolean {
  if (pubkey.length < 33) return false;
  if (pubkey[0] === 0x04) return pubkey.length === 65;
  if (pubkey[0] === 0x02 || pubkey[0] === 0x03) return pubkey.length === 33;
  return false;
}

/** Core's IsCompressedPubKey (the WITNESS_PUBKEYTYPE check). */
export function isCompressedPubkey(pubkey: Uint8Array): boolean {
  return pubkey.length === 33 && (pubkey[0] === 0x02 || pubkey[0] === 0x03);
}

// secp256k1's field size p and group order n, big-endian.
const P = fromHex('fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f');
const N = fromHex('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141');

function lessThan(bytes: Uint8Array, at: number, bound: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) {
    const a = bytes[at + i]!;
    const b = bound[i]!;
    if (a !== b) return a < b;
  }
  return false;
}

/** True when the 32 bytes at `at` are a field element (below p). */
export function isFieldElement(bytes: Uint8Array, at = 0): boolean {
  return lessThan(bytes, at, P);
}

/** True when the 32 bytes at `at` are below the group order n. */
export function isBelowOrder(bytes: Uint8Array, at = 0): boolean {
  return lessThan(bytes, at, N);
}
