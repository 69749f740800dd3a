import { WireError } from '../errors.js';

/**
 * An append-only byte builder for encoders. Grows by doubling; `finish()`
 * returns a view of exactly the bytes written.
 */
export class Writer {
  #buf: Uint8Array;
  #view: DataView;
  #len = 0;

  constructor(initialCapacity = 256) {
    this.#buf = new Uint8Array(initialCapacity);
    this.#view = new DataView(this.#buf.buffer);
  }

  get length(): number {
    return this.#len;
  }

  // Call before touching #buf or #view: growing replaces both.
  #reserve(n: number): number {
    const at = this.#len;
    const need = at + n;
    if (need > this.#buf.length) {
      let cap = this.#buf.length * 2;
      while (cap < need) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.#buf.subarray(0, at));
      this.#buf = next;
      this.#view = new DataView(next.buffer);
    }
    this.#len = need;
    return at;
  }

  u8(v: number): this {
    checkRange(v, 0xff, 'u8');
    const at = this.#reserve(1);
    this.#buf[at] = v;
    return this;
  }

  u16(v: number): this {
    checkRange(v, 0xffff, 'u16');
    const at = this.#reserve(2);
    this.#view.setUint16(at, v);
    return this;
  }

  u32(v: number): this {
    checkRange(v, 0xffffffff, 'u32');
    const at = this.#reserve(4);
    this.#view.setUint32(at, v);
    return this;
  }

  u64(v: bigint): this {
    if (typeof v !== 'bigint' || v < 0n || v > 0xffffffffffffffffn) throw new WireError('invalid_value', `u64 out of range: ${String(v)}`);
    const at = this.#reserve(8);
    this.#view.setBigUint64(at, v);
    return this;
  }

  s8(v: number): this {
    checkSigned(v, 0x80, 's8');
    const at = this.#reserve(1);
    this.#view.setInt8(at, v);
    return this;
  }

  s16(v: number): this {
    checkSigned(v, 0x8000, 's16');
    const at = this.#reserve(2);
    this.#view.setInt16(at, v);
    return this;
  }

  s32(v: number): this {
    checkSigned(v, 0x80000000, 's32');
    const at = this.#reserve(4);
    this.#view.setInt32(at, v);
    return this;
  }

  s64(v: bigint): this {
    if (typeof v !== 'bigint' || v < -(1n << 63n) || v >= 1n << 63n) throw new WireError('invalid_value', `s64 out of range: ${String(v)}`);
    const at = this.#reserve(8);
    this.#view.setBigInt64(at, v);
    return this;
  }

  bytes(b: Uint8Array): this {
    const at = this.#reserve(b.length);
    this.#buf.set(b, at);
    return this;
  }

  /** Bytes that must be exactly `length` long (keys, signatures, hashes). */
  fixed(b: Uint8Array, length: number, what: string): this {
    if (!(b instanceof Uint8Array) || b.length !== length) throw new WireError('invalid_value', `${what} must be ${length} bytes`);
    return this.bytes(b);
  }

  /** A u16 length then the bytes. */
  u16Bytes(b: Uint8Array, what = 'bytes'): this {
    if (b.length > 0xffff) throw new WireError('too_large', `${what} is longer than 65535 bytes`);
    return this.u16(b.length).bytes(b);
  }

  /** A BigSize (minimal encoding). */
  bigSize(v: bigint | number): this {
    const n = typeof v === 'bigint' ? v : BigInt(v);
    if (n < 0n || n > 0xffffffffffffffffn) throw new WireError('invalid_value', `BigSize out of range: ${n}`);
    if (n < 0xfdn) return this.u8(Number(n));
    if (n <= 0xffffn) return this.u8(0xfd).u16(Number(n));
    if (n <= 0xffffffffn) return this.u8(0xfe).u32(Number(n));
    return this.u8(0xff).u64(n);
  }

  /** A truncated unsigned integer: big-endian with no leading zero bytes (0 is empty). */
  truncated(v: number | bigint, maxBytes: 2 | 4 | 8): this {
    let n = typeof v === 'bigint' ? v : BigInt(v);
    if (n < 0n || n >= 1n << BigInt(maxBytes * 8)) throw new WireError('invalid_value', `tu${maxBytes * 8} out of range: ${n}`);
    const out: number[] = [];
    while (n > 0n) {
      out.unshift(Number(n & 0xffn));
      n >>= 8n;
    }
    return this.bytes(Uint8Array.from(out));
  }

  /** Forgets what was written so the buffer can be reused (the views `finish()` returned become invalid). */
  reset(): this {
    this.#len = 0;
    return this;
  }

  /** A copy of exactly the bytes written (the writer stays usable). */
  copy(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }

  /** The bytes written so far (a view; the writer must not be used afterwards). */
  finish(): Uint8Array {
    return this.#buf.subarray(0, this.#len);
  }
}

function checkRange(v: number, max: number, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v > max) throw new WireError('invalid_value', `${what} out of range: ${v}`);
}

function checkSigned(v: number, limit: number, what: string): void {
  if (!Number.isInteger(v) || v < -limit || v >= limit) throw new WireError('invalid_value', `${what} out of range: ${v}`);
}

/** Bytes of a BigSize. */
export function encodeBigSize(v: bigint | number): Uint8Array {
  return new Writer(9).bigSize(v).finish();
}

/** Length in bytes of the BigSize encoding of `v`. */
export function bigSizeLength(v: bigint | number): number {
  const n = typeof v === 'bigint' ? v : BigInt(v);
  return n < 0xfdn ? 1 : n <= 0xffffn ? 3 : n <= 0xffffffffn ? 5 : 9;
}
