/**
 * A reusable byte buffer for bytes that live only during one synchronous call.
 * Decoding works in these instead of allocating: V8 places a typed array above
 * 64 bytes off the heap, which costs a few hundred nanoseconds to create and
 * more to collect, several times per invoice. Views of it must never leave the
 * call that took them, and no code outside this package may run while one is in
 * use (the decoder calls the secp256k1 backend only after it is done with them).
 */
export class Scratch {
  private buffer = new Uint8Array(1024);

  /** A view of `length` bytes with stale contents, valid until the next `view` call. */
  view(length: number): Uint8Array {
    if (length > this.buffer.length) {
      // Keep a larger buffer only up to a bound, so one huge input does not pin its memory.
      if (length > MAX_KEPT) return new Uint8Array(length);
      this.buffer = new Uint8Array(Math.min(MAX_KEPT, Math.max(length, 2 * this.buffer.length)));
    }
    return this.buffer.subarray(0, length);
  }
}

const MAX_KEPT = 8192;
