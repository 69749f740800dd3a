// Small helpers over ln-wire's Reader/Writer for the manager's stored format.

import { Reader, Writer } from 'ln-wire';
import { ChannelError } from '../errors.js';

/** Length-prefixed (u32) bytes. */
export function writeVarBytes(w: Writer, b: Uint8Array): void {
  w.u32(b.length).bytes(b);
}

export function readVarBytes(r: Reader, what: string): Uint8Array {
  return r.bytes(r.u32(`${what} length`), what).slice();
}

export function writeBool(w: Writer, v: boolean): void {
  w.u8(v ? 1 : 0);
}

export function readBool(r: Reader, what: string): boolean {
  const v = r.u8(what);
  if (v > 1) throw new ChannelError('invalid_data', `${what}: not a boolean`);
  return v === 1;
}

/** An optional value: a presence byte, then the value. */
export function writeOpt<T>(w: Writer, v: T | undefined, write: (w: Writer, v: T) => void): void {
  if (v === undefined) w.u8(0);
  else {
    w.u8(1);
    write(w, v);
  }
}

export function readOpt<T>(r: Reader, what: string, read: (r: Reader) => T): T | undefined {
  const flag = r.u8(what);
  if (flag === 0) return undefined;
  if (flag !== 1) throw new ChannelError('invalid_data', `${what}: bad presence flag`);
  return read(r);
}

/** A u128 (LDK's user channel id) as 16 bytes. */
export function writeU128(w: Writer, v: bigint): void {
  if (v < 0n || v >= 1n << 128n) throw new ChannelError('invalid_data', 'u128 out of range');
  w.u64(v >> 64n).u64(v & 0xffffffffffffffffn);
}

export function readU128(r: Reader): bigint {
  return (r.u64() << 64n) | r.u64();
}

/** A list: u32 count, then items. */
export function writeList<T>(w: Writer, items: readonly T[], write: (w: Writer, v: T) => void): void {
  w.u32(items.length);
  for (const i of items) write(w, i);
}

export function readList<T>(r: Reader, what: string, read: (r: Reader) => T): T[] {
  const n = r.u32(`${what} count`);
  // Each item takes at least one byte: refuse counts the input cannot hold.
  if (n > r.remaining) throw new ChannelError('invalid_data', `${what}: ${n} items cannot fit in ${r.remaining} bytes`);
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(read(r));
  return out;
}

/** Runs a decoder, turning every failure into ChannelError('invalid_data'). */
export function decoding<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (cause) {
    if (cause instanceof ChannelError) throw cause;
    throw new ChannelError('invalid_data', `${what} does not decode: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export { Reader, Writer };
