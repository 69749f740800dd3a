import { defaultSecp256k1, type Secp256k1Backend } from 'ln-crypto';

/**
 * A batch of ECDSA checks packed in three flat buffers (64-byte compact
 * signatures, 32-byte digests, 33-byte public keys), so a batch moves to a
 * worker thread as three transferable buffers instead of thousands of objects.
 */
export interface SignatureBatch {
  readonly count: number;
  readonly signatures: Uint8Array;
  readonly hashes: Uint8Array;
  readonly publicKeys: Uint8Array;
}

/**
 * Verifies batches of gossip signatures. The answer (one byte per check, 1 =
 * valid) may come at once or later (a worker pool). Implementations must treat
 * malformed keys or signatures as invalid, never throw for them.
 */
export interface GossipVerifier {
  verify(batch: SignatureBatch): Uint8Array | Promise<Uint8Array>;
}

/** A verifier on one secp256k1 backend of ln-crypto, in the calling thread (the default: noble). */
export function backendVerifier(backend: Secp256k1Backend = defaultSecp256k1): GossipVerifier {
  return {
    verify(batch) {
      return verifyRange(backend, batch, 0, batch.count);
    },
  };
}

/** Verifies checks `from` .. `to - 1` of a batch (shared by the in-thread and worker verifiers). */
export function verifyRange(backend: Secp256k1Backend, batch: SignatureBatch, from: number, to: number): Uint8Array {
  const out = new Uint8Array(to - from);
  for (let i = from; i < to; i++) {
    const ok = backend.ecdsaVerify(batch.signatures.subarray(64 * i, 64 * i + 64), batch.hashes.subarray(32 * i, 32 * i + 32), batch.publicKeys.subarray(33 * i, 33 * i + 33));
    out[i - from] = ok ? 1 : 0;
  }
  return out;
}

/** Builds a {@link SignatureBatch} incrementally. */
export class SignatureBatchBuilder {
  #count = 0;
  #signatures: Uint8Array;
  #hashes: Uint8Array;
  #publicKeys: Uint8Array;

  constructor(capacity = 256) {
    this.#signatures = new Uint8Array(64 * capacity);
    this.#hashes = new Uint8Array(32 * capacity);
    this.#publicKeys = new Uint8Array(33 * capacity);
  }

  get count(): number {
    return this.#count;
  }

  /** Adds a check; returns its index in the batch. */
  add(signature: Uint8Array, hash: Uint8Array, publicKey: Uint8Array): number {
    const i = this.#count++;
    if (64 * this.#count > this.#signatures.length) {
      const grow = (a: Uint8Array) => {
        const b = new Uint8Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.#signatures = grow(this.#signatures);
      this.#hashes = grow(this.#hashes);
      this.#publicKeys = grow(this.#publicKeys);
    }
    this.#signatures.set(signature, 64 * i);
    this.#hashes.set(hash, 32 * i);
    this.#publicKeys.set(publicKey, 33 * i);
    return i;
  }

  finish(): SignatureBatch {
    const n = this.#count;
    return { count: n, signatures: this.#signatures.subarray(0, 64 * n), hashes: this.#hashes.subarray(0, 32 * n), publicKeys: this.#publicKeys.subarray(0, 33 * n) };
  }
}
