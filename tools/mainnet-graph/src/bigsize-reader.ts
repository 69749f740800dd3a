import { MainnetGraphError } from './errors.js';

/**
 * A cursor over bytes that reads BOLT 1 BigSize numbers (canonical encodings
 * only). Counts and indexes come back as `number` (refused above 2^53 - 1),
 * amounts as `bigint` so that no u64 is rounded.
 */
export class BigSizeReader {
  private pos = 0;

  constructor(private readonly bytes: Uint8Array) {}

  /** Bytes consumed so far. */
  get offset(): number {
    return this.pos;
  }

  /** Bytes not yet consumed. */
  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  /** Reads `n` raw bytes. */
  readBytes(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Reads a BigSize as a bigint (any u64). */
  readBigInt(): bigint {
    this.need(1);
    const first = this.bytes[this.pos]!;
    if (first < 0xff) return BigInt(this.readNumber());
    this.need(9);
    let value = 0n;
    for (let i = 1; i <= 8; i++) value = (value << 8n) | BigInt(this.bytes[this.pos + i]!);
    if (value < 0x100000000n) throw new MainnetGraphError('non_canonical_bigsize', `non-canonical BigSize at offset ${this.pos}`);
    this.pos += 9;
    return value;
  }

  /** Reads a BigSize that must fit a safe integer (counts and indexes). */
  readNumber(): number {
    this.need(1);
    const b = this.bytes;
    const p = this.pos;
    const first = b[p]!;
    if (first < 0xfd) {
      this.pos = p + 1;
      return first;
    }
    if (first === 0xfd) {
      this.need(3);
      const v = (b[p + 1]! << 8) | b[p + 2]!;
      if (v < 0xfd) throw new MainnetGraphError('non_canonical_bigsize', `non-canonical BigSize at offset ${p}`);
      this.pos = p + 3;
      return v;
    }
    if (first === 0xfe) {
      this.need(5);
      const v = ((b[p + 1]! << 24) >>> 0) + ((b[p + 2]! << 16) | (b[p + 3]! << 8) | b[p + 4]!);
      if (v < 0x10000) throw new MainnetGraphError('non_canonical_bigsize', `non-canonical BigSize at offset ${p}`);
      this.pos = p + 5;
      return v;
    }
    const big = this.readBigInt();
    if (big > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new MainnetGraphError('out_of_range', `count or index ${big} at offset ${p} is too large`);
    }
    return Number(big);
  }

  private need(n: number): void {
    if (this.pos + n > this.bytes.length) {
      throw new MainnetGraphError('truncated', `need ${n} bytes at offset ${this.pos}, ${this.bytes.length - this.pos} left`);
    }
  }
}
