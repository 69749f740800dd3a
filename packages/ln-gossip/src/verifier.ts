import { defaultSecp256k1, sha256d, type Secp256k1Backend } from 'ln-crypto';

/**
 * A batch of ECDSA checks over gossip, packed in flat buffers (64-byte compact
 * signatures, 33-byte public keys, and the signed bytes of the messages), so a
 * batch moves to a worker thread as four transferable buffers instead of
 * thousands of objects. The verifier hashes the signed bytes (double SHA-256,
 * as BOLT 7 signs), so on a worker pool the hashing runs off the main thread too.
 */
export interface SignatureBatch {
  readonly count: number;
  readonly signatures: Uint8Array;
  readonly publicKeys: Uint8Array;
  /** The signed bytes of the batch's messages, one after another. */
  readonly messages: Uint8Array;
  /**
   * Per check, the start and end of its signed bytes in `messages` (2 x count
   * entries, never decreasing). Consecutive checks of one message share a span
   * and the message is hashed once.
   */
  readonly spans: Uint32Array;
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
  const { spans, messages } = batch;
  let start = -1;
  let end = -1;
  let digest: Uint8Array = new Uint8Array(0);
  for (let i = from; i < to; i++) {
    if (spans[2 * i] !== start || spans[2 * i + 1] !== end) {
      start = spans[2 * i]!;
      end = spans[2 * i + 1]!;
      digest = sha256d(messages.subarray(start, end));
    }
    const ok = backend.ecdsaVerify(batch.signatures.subarray(64 * i, 64 * i + 64), digest, batch.publicKeys.subarray(33 * i, 33 * i + 33));
    out[i - from] = ok ? 1 : 0;
  }
  return out;
}

/** Builds a {@link SignatureBatch} incrementally. */
export class SignatureBatchBuilder {
  #count = 0;
  #signatures: Uint8Array;
  #publicKeys: Uint8Array;
  #spans: Uint32Array;
  #messages: Uint8Array;
  #messagesLength = 0;
  #lastSigned: Uint8Array | undefined;

  constructor(capacity = 256) {
    this.#signatures = new Uint8Array(64 * capacity);
    this.#publicKeys = new Uint8Array(33 * capacity);
    this.#spans = new Uint32Array(2 * capacity);
    this.#messages = new Uint8Array(128 * capacity);
  }

  get count(): number {
    return this.#count;
  }

  /**
   * Adds a check of `signature` by `publicKey` over `signed` (the bytes BOLT 7
   * signs, double-SHA256 hashed by the verifier); returns its index. Passing the
   * same `signed` array again (a channel_announcement's four signatures) stores it once.
   */
  add(signature: Uint8Array, signed: Uint8Array, publicKey: Uint8Array): number {
    const i = this.#count++;
    if (64 * this.#count > this.#signatures.length) {
      this.#signatures = grow(this.#signatures, 2 * this.#signatures.length);
      this.#publicKeys = grow(this.#publicKeys, 2 * this.#publicKeys.length);
      const spans = new Uint32Array(2 * this.#spans.length);
      spans.set(this.#spans);
      this.#spans = spans;
    }
    if (signed !== this.#lastSigned) {
      const need = this.#messagesLength + signed.length;
      if (need > this.#messages.length) this.#messages = grow(this.#messages, Math.max(need, 2 * this.#messages.length));
      this.#messages.set(signed, this.#messagesLength);
      this.#spans[2 * i] = this.#messagesLength;
      this.#spans[2 * i + 1] = need;
      this.#messagesLength = need;
      this.#lastSigned = signed;
    } else {
      this.#spans[2 * i] = this.#spans[2 * i - 2]!;
      this.#spans[2 * i + 1] = this.#spans[2 * i - 1]!;
    }
    this.#signatures.set(signature, 64 * i);
    this.#publicKeys.set(publicKey, 33 * i);
    return i;
  }

  finish(): SignatureBatch {
    const n = this.#count;
    return {
      count: n,
      signatures: this.#signatures.subarray(0, 64 * n),
      publicKeys: this.#publicKeys.subarray(0, 33 * n),
      messages: this.#messages.subarray(0, this.#messagesLength),
      spans: this.#spans.subarray(0, 2 * n),
    };
  }
}

function grow(a: Uint8Array, length: number): Uint8Array {
  const b = new Uint8Array(length);
  b.set(a);
  return b;
}
