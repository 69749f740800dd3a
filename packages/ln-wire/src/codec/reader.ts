import type { ShortChannelId } from 'ln-types';
import { WireError } from '../errors.js';

/**
 * A bounds-checked cursor over wire bytes. Every read checks the remaining
 * length first, so a length prefix from a peer can never make us allocate or
 * read past the input. Byte fields are returned as views into the input (no
 * copy): copy them if you keep them and the input buffer may be reused.
 */
export class Reader {
  readonly #bytes: Uint8Array;
  // Made on first use: most readers (TLV values, byte fields) never read a 64-bit or
  // signed integer, and a DataView per reader was a large share of decoding time.
  #dataView: DataView | undefined;
  #pos: number;
  readonly #end: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.#bytes = bytes;
    this.#pos = start;
    this.#end = end;
  }

  get #view(): DataView {
    return (this.#dataView ??= new DataView(this.#bytes.buffer, this.#bytes.byteOffset, this.#bytes.byteLength));
  }

  /** Offset of the next byte within the input. */
  get position(): number {
    return this.#pos;
  }

  get remaining(): number {
    return this.#end - this.#pos;
  }

  get atEnd(): boolean {
    return this.#pos >= this.#end;
  }

  /** The underlying input (for helpers that need the exact bytes of a span, e.g. signed gossip). */
  get source(): Uint8Array {
    return this.#bytes;
  }

  #need(n: number, what: string): number {
    const at = this.#pos;
    if (n > this.#end - at) throw new WireError('truncated', `${what}: need ${n} bytes, ${this.#end - at} left`);
    this.#pos = at + n;
    return at;
  }

  u8(what = 'u8'): number {
    return this.#bytes[this.#need(1, what)]!;
  }

  u16(what = 'u16'): number {
    const at = this.#need(2, what);
    const b = this.#bytes;
    return (b[at]! << 8) | b[at + 1]!;
  }

  u32(what = 'u32'): number {
    const at = this.#need(4, what);
    const b = this.#bytes;
    return b[at]! * 0x1000000 + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!);
  }

  u64(what = 'u64'): bigint {
    return this.#view.getBigUint64(this.#need(8, what));
  }

  s8(what = 's8'): number {
    return this.#view.getInt8(this.#need(1, what));
  }

  s16(what = 's16'): number {
    return this.#view.getInt16(this.#need(2, what));
  }

  s32(what = 's32'): number {
    return this.#view.getInt32(this.#need(4, what));
  }

  s64(what = 's64'): bigint {
    return this.#view.getBigInt64(this.#need(8, what));
  }

  /** `n` bytes as a view into the input. */
  bytes(n: number, what = 'bytes'): Uint8Array {
    const at = this.#need(n, what);
    return this.#bytes.subarray(at, at + n);
  }

  /** A u16 length then that many bytes (the `u16 len, len*byte` pattern of many messages). */
  u16Bytes(what = 'bytes'): Uint8Array {
    return this.bytes(this.u16(`${what} length`), what);
  }

  /** Everything left, as a view. */
  rest(): Uint8Array {
    const at = this.#pos;
    this.#pos = this.#end;
    return this.#bytes.subarray(at, this.#end);
  }

  /** A short channel id (u64, block 3 bytes, tx 3 bytes, output 2 bytes). */
  shortChannelId(what = 'short_channel_id'): ShortChannelId {
    return this.u64(what) as ShortChannelId;
  }

  /**
   * A BigSize (BOLT 1): 1, 3, 5 or 9 bytes, refused unless minimally encoded.
   * Returned as bigint because it can reach 2^64 - 1.
   */
  bigSize(what = 'bigsize'): bigint {
    const first = this.u8(what);
    if (first < 0xfd) return BigInt(first);
    if (first === 0xfd) {
      const v = this.u16(what);
      if (v < 0xfd) throw new WireError('non_minimal', `${what}: BigSize is not canonical`);
      return BigInt(v);
    }
    if (first === 0xfe) {
      const v = this.u32(what);
      if (v < 0x10000) throw new WireError('non_minimal', `${what}: BigSize is not canonical`);
      return BigInt(v);
    }
    const v = this.u64(what);
    if (v < 0x100000000n) throw new WireError('non_minimal', `${what}: BigSize is not canonical`);
    return v;
  }

  /** A BigSize that must fit a JS number (lengths, counts); larger values are refused as `too_large`. */
  bigSizeNumber(what = 'bigsize'): number {
    const first = this.#bytes[this.#pos];
    // Fast path: the common one-byte form.
    if (first !== undefined && first < 0xfd && this.#pos < this.#end) {
      this.#pos++;
      return first;
    }
    const v = this.bigSize(what);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new WireError('too_large', `${what}: ${v} is too large`);
    return Number(v);
  }

  /** A truncated unsigned integer taking the rest of the input (at most `maxBytes`), refused unless minimal. */
  truncatedNumber(maxBytes: 2 | 4, what: string): number {
    const n = this.remaining;
    if (n > maxBytes) throw new WireError('invalid_value', `${what}: tu${maxBytes * 8} longer than ${maxBytes} bytes`);
    const bytes = this.bytes(n, what);
    if (n > 0 && bytes[0] === 0) throw new WireError('non_minimal', `${what}: truncated integer has a leading zero`);
    let v = 0;
    for (const b of bytes) v = v * 256 + b;
    return v;
  }

  /** A tu64 taking the rest of the input, refused unless minimal. */
  tu64(what = 'tu64'): bigint {
    const n = this.remaining;
    if (n > 8) throw new WireError('invalid_value', `${what}: tu64 longer than 8 bytes`);
    const bytes = this.bytes(n, what);
    if (n > 0 && bytes[0] === 0) throw new WireError('non_minimal', `${what}: truncated integer has a leading zero`);
    let v = 0n;
    for (const b of bytes) v = (v << 8n) | BigInt(b);
    return v;
  }

  /** Throws `trailing_bytes` unless the input is used up. */
  end(what: string): void {
    if (this.#pos !== this.#end) throw new WireError('trailing_bytes', `${what}: ${this.#end - this.#pos} unexpected trailing bytes`);
  }

  /** A reader over the next `n` bytes; this reader moves past them. */
  sub(n: number, what: string): Reader {
    const at = this.#need(n, what);
    return new Reader(this.#bytes, at, at + n);
  }
}
