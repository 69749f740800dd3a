/**
 * Append-only storage for many small byte strings (raw gossip kept for
 * rebroadcast) in one growing buffer, addressed by offset and length. One
 * buffer instead of ~170,000 small Uint8Arrays keeps the heap small and the
 * garbage collector idle. Replaced entries become garbage; the owner compacts
 * when garbage dominates (it alone knows the live offsets).
 */
export class ByteArena {
  #buf: Uint8Array;
  #used = 0;
  #garbage = 0;

  constructor(initialCapacity = 1 << 16) {
    this.#buf = new Uint8Array(initialCapacity);
  }

  get used(): number {
    return this.#used;
  }

  get garbage(): number {
    return this.#garbage;
  }

  /** Copies `bytes` in; returns its offset. */
  add(bytes: Uint8Array): number {
    const at = this.#used;
    const need = at + bytes.length;
    if (need > this.#buf.length) {
      let cap = this.#buf.length * 2;
      while (cap < need) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.#buf.subarray(0, at));
      this.#buf = next;
    }
    this.#buf.set(bytes, at);
    this.#used = need;
    return at;
  }

  /** A view of a stored entry (valid until the next add or compaction). */
  view(offset: number, length: number): Uint8Array {
    return this.#buf.subarray(offset, offset + length);
  }

  /** Marks `length` bytes as no longer referenced. */
  release(length: number): void {
    this.#garbage += length;
  }

  /** True when more than half of the used bytes are garbage. */
  get shouldCompact(): boolean {
    return this.#garbage > 1 << 16 && this.#garbage * 2 > this.#used;
  }

  /**
   * Rewrites the live entries contiguously. `entries` yields [offset, length]
   * of every live entry and receives each one's new offset through `moved`.
   */
  compact(entries: Iterable<readonly [slot: number, offset: number, length: number]>, moved: (slot: number, offset: number) => void): void {
    const next = new Uint8Array(Math.max(1 << 16, this.#used - this.#garbage));
    let at = 0;
    for (const [slot, offset, length] of entries) {
      next.set(this.#buf.subarray(offset, offset + length), at);
      moved(slot, at);
      at += length;
    }
    this.#buf = next;
    this.#used = at;
    this.#garbage = 0;
  }

  /** The used bytes (for serialization). */
  contents(): Uint8Array {
    return this.#buf.subarray(0, this.#used);
  }

  /** An arena holding exactly `bytes` (copied), for loading. */
  static from(bytes: Uint8Array): ByteArena {
    const a = new ByteArena(Math.max(1 << 16, bytes.length));
    a.add(bytes);
    return a;
  }
}
