/**
 * Bytes received but not yet consumed, kept as a list of chunks so that
 * appending never copies. Taking bytes copies only when they straddle chunks.
 * Costs stay linear in the bytes received however they are chunked (a peer
 * trickling one byte per packet cannot make us copy quadratically).
 */
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  private first = 0; // index of the first live chunk
  private head = 0; // bytes of chunks[first] already consumed
  private total = 0;
  // The most recent push is the caller's buffer until `detach` copies it.
  private borrowed = false;

  /** Bytes available. */
  get length(): number {
    return this.total;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.total += chunk.length;
    this.borrowed = true;
  }

  /** The next `n` bytes (n <= length): a view when they lie in one chunk, else a copy. */
  take(n: number): Uint8Array {
    const current = this.chunks[this.first]!;
    if (current.length - this.head >= n) {
      const out = current.subarray(this.head, this.head + n);
      this.consume(n);
      return out;
    }
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[this.first]!;
      const part = Math.min(chunk.length - this.head, n - filled);
      out.set(chunk.subarray(this.head, this.head + part), filled);
      filled += part;
      this.consume(part);
    }
    return out;
  }

  private consume(n: number): void {
    this.head += n;
    this.total -= n;
    if (this.head === this.chunks[this.first]!.length) {
      this.first++;
      this.head = 0;
      if (this.first === this.chunks.length) {
        this.chunks = [];
        this.first = 0;
        this.borrowed = false;
      } else if (this.first > 1024 && this.first * 2 > this.chunks.length) {
        this.chunks = this.chunks.slice(this.first);
        this.first = 0;
      }
    }
  }

  /**
   * Copies the unconsumed part of the last pushed chunk (only that one can
   * still be the caller's buffer), so the queue never depends on buffers the
   * caller may reuse. Cost: the size of that chunk, once.
   */
  detach(): void {
    if (!this.borrowed || this.total === 0) return;
    const last = this.chunks.length - 1;
    const chunk = this.chunks[last]!;
    const from = last === this.first ? this.head : 0;
    this.chunks[last] = chunk.slice(from);
    if (last === this.first) this.head = 0;
    this.borrowed = false;
  }

  clear(): void {
    this.chunks = [];
    this.first = 0;
    this.head = 0;
    this.total = 0;
    this.borrowed = false;
  }
}
