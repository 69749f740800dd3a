/**
 * Bytes received but not yet consumed, kept as a list of chunks so that
 * appending never copies. Taking bytes copies only when they straddle chunks.
 */
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  private head = 0; // bytes of chunks[0] already consumed
  private total = 0;

  /** Bytes available. */
  get length(): number {
    return this.total;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.total += chunk.length;
  }

  /** The next `n` bytes (n <= length): a view when they lie in one chunk, else a copy. */
  take(n: number): Uint8Array {
    const first = this.chunks[0]!;
    if (first.length - this.head >= n) {
      const out = first.subarray(this.head, this.head + n);
      this.head += n;
      this.total -= n;
      if (this.head === first.length) {
        this.chunks.shift();
        this.head = 0;
      }
      return out;
    }
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[0]!;
      const part = Math.min(chunk.length - this.head, n - filled);
      out.set(chunk.subarray(this.head, this.head + part), filled);
      filled += part;
      this.head += part;
      if (this.head === chunk.length) {
        this.chunks.shift();
        this.head = 0;
      }
    }
    this.total -= n;
    return out;
  }

  /**
   * Replaces the kept chunks by one copy of the unconsumed bytes, so the queue
   * never holds on to (or depends on) buffers the caller may reuse.
   */
  detach(): void {
    if (this.total === 0) {
      this.chunks = [];
      this.head = 0;
      return;
    }
    const rest = this.take(this.total);
    this.chunks = [Uint8Array.from(rest)];
    this.head = 0;
    this.total = rest.length;
  }

  clear(): void {
    this.chunks = [];
    this.head = 0;
    this.total = 0;
  }
}
