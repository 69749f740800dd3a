import { sha256 } from 'ln-crypto';
import type { Secp256k1Backend } from 'ln-crypto';
import { concatBytes, utf8ToBytes } from 'ln-types';

/**
 * A private key derived from a seed, a label and an index:
 * sha256(seed || label || u32 index || u32 attempt), retrying the attempt in
 * the (negligible) case the digest is not a valid key. Same inputs, same key.
 */
export function deterministicKey(backend: Secp256k1Backend, seed: Uint8Array, label: string, index: number): Uint8Array {
  const tag = utf8ToBytes(label);
  for (let attempt = 0; ; attempt++) {
    const counters = new Uint8Array(8);
    new DataView(counters.buffer).setUint32(0, index);
    new DataView(counters.buffer).setUint32(4, attempt);
    const key = sha256(concatBytes(seed, tag, counters));
    if (backend.isValidPrivateKey(key)) return key;
  }
}
