import { type OutPoint, txid } from 'ln-types';
import { type Reader, WireError, type Writer, readPoint } from 'ln-wire';
import { MonitorError } from '../errors.js';

// Small readers and writers shared by ln-monitor's codecs (big-endian, as on the
// Lightning wire; lengths as BigSize where a value may exceed 64 KiB).

export function writeOutPoint(w: Writer, o: OutPoint): void {
  w.fixed(o.txid, 32, 'txid');
  w.u32(o.index);
}

export function readOutPoint(r: Reader): OutPoint {
  return { txid: txid(r.bytes(32, 'txid').slice()), index: r.u32('output index') };
}

export function writeOptionalBytes(w: Writer, b: Uint8Array | undefined): void {
  w.u8(b === undefined ? 0 : 1);
  if (b !== undefined) w.u16Bytes(b);
}

export function readOptionalBytes(r: Reader): Uint8Array | undefined {
  return readBool(r, 'presence') ? r.u16Bytes().slice() : undefined;
}

export function writeOptionalFixed(w: Writer, b: Uint8Array | undefined, length: number): void {
  w.u8(b === undefined ? 0 : 1);
  if (b !== undefined) w.fixed(b, length, 'bytes');
}

export function readOptionalFixed(r: Reader, length: number): Uint8Array | undefined {
  return readBool(r, 'presence') ? r.bytes(length).slice() : undefined;
}

/** Bytes of any length (BigSize length prefix). */
export function writeVarBytes(w: Writer, b: Uint8Array): void {
  w.bigSize(b.length);
  w.bytes(b);
}

/** Reads {@link writeVarBytes}, refusing a length beyond what is left. */
export function readVarBytes(r: Reader, what: string): Uint8Array {
  const n = r.bigSizeNumber(what);
  if (n > r.remaining) throw new MonitorError('malformed', `${what}: length beyond the end`);
  return r.bytes(n, what).slice();
}

export function readBool(r: Reader, what: string): boolean {
  const v = r.u8(what);
  if (v > 1) throw new MonitorError('malformed', `${what}: not a boolean`);
  return v === 1;
}

/** A count that cannot exceed what the remaining bytes could hold (`minSize` bytes each). */
export function readCount(r: Reader, what: string, minSize: number): number {
  const n = r.u32(what);
  if (n * minSize > r.remaining) throw new MonitorError('malformed', `${what}: ${n} entries cannot fit`);
  return n;
}

export { readPoint };

/** Runs a reader body over a record `tag`/`version`, turning every decoding failure into a MonitorError. */
export function readRecord<T>(r: Reader, tag: number, version: number, what: string, body: (r: Reader) => T): T {
  try {
    if (r.u8('tag') !== tag) throw new MonitorError('malformed', `not a ${what}`);
    const v = r.u8('version');
    if (v !== version) throw new MonitorError('unsupported_version', `${what} version ${v} (this reader knows ${version})`);
    const value = body(r);
    if (!r.atEnd) throw new MonitorError('malformed', `${what}: trailing bytes`);
    return value;
  } catch (cause) {
    if (cause instanceof MonitorError) throw cause;
    if (cause instanceof WireError) throw new MonitorError('malformed', `${what}: ${cause.message}`, { cause });
    if (cause instanceof Error && 'code' in cause) throw new MonitorError('malformed', `${what}: ${cause.message}`, { cause });
    throw cause;
  }
}
