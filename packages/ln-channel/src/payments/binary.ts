import { shortChannelId, type NodeId, type ShortChannelId } from 'ln-types';
import { Reader, WireError, Writer } from 'ln-wire';
import type { BlindedTail, Path, RouteHop } from 'ln-router-api';
import { PaymentError } from './errors.js';

// Helpers for the versioned binary forms of payment state (big-endian, on
// ln-wire's bounds-checked Reader and Writer). Every decoder turns a short or
// inconsistent input into PaymentError `invalid_data`.

/** Runs a decoder; any WireError or range problem becomes PaymentError `invalid_data`. */
export function decoding<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (cause) {
    if (cause instanceof PaymentError) throw cause;
    if (cause instanceof WireError || cause instanceof RangeError || (cause instanceof Error && 'code' in cause)) {
      throw new PaymentError('invalid_data', `${what}: ${(cause as Error).message}`, { cause });
    }
    throw cause;
  }
}

/** Refuses a value (inside `decoding`). */
export function invalid(message: string): never {
  throw new PaymentError('invalid_data', message);
}

/** Reads the version byte and refuses versions newer than `max`. */
export function readVersion(r: Reader, max: number, what: string): number {
  const v = r.u8(`${what} version`);
  if (v === 0 || v > max) throw new PaymentError('unsupported_version', `${what} version ${v}; this code reads 1..${max}`);
  return v;
}

export function writeOptionalBytes(w: Writer, b: Uint8Array | undefined): void {
  if (b === undefined) w.u8(0);
  else w.u8(1).u16Bytes(b, 'bytes');
}

export function readOptionalBytes(r: Reader, what: string): Uint8Array | undefined {
  const flag = r.u8(what);
  if (flag === 0) return undefined;
  if (flag !== 1) invalid(`${what}: presence flag ${flag}`);
  return r.u16Bytes(what).slice();
}

export function readFixed(r: Reader, n: number, what: string): Uint8Array {
  return r.bytes(n, what).slice();
}

export function readBool(r: Reader, what: string): boolean {
  const b = r.u8(what);
  if (b > 1) invalid(`${what}: boolean ${b}`);
  return b === 1;
}

export function readCount(r: Reader, max: number, what: string): number {
  const n = r.bigSizeNumber(what);
  if (n > max) invalid(`${what}: ${n} entries, at most ${max}`);
  return n;
}

export function readNodeId(r: Reader, what: string): NodeId {
  return readFixed(r, 33, what) as NodeId;
}

export function readScid(r: Reader, what: string): ShortChannelId {
  return shortChannelId(r.u64(what));
}

const MAX_HOPS = 27;

export function writePath(w: Writer, path: Path): void {
  w.bigSize(path.hops.length);
  for (const h of path.hops) {
    w.fixed(h.nodeId, 33, 'node id').u16Bytes(h.nodeFeatures).u64(h.shortChannelId).u16Bytes(h.channelFeatures).u64(h.amountMsat).u64(h.feeMsat).u32(h.cltvExpiryDelta).u8(h.announced ? 1 : 0);
  }
  const t = path.blindedTail;
  if (t === undefined) {
    w.u8(0);
    return;
  }
  w.u8(1).bigSize(t.hops.length);
  for (const h of t.hops) w.fixed(h.blindedNodeId, 33, 'blinded node id').u16Bytes(h.encryptedPayload);
  w.fixed(t.blindingPoint, 33, 'blinding point').u32(t.excessFinalCltvExpiryDelta).u64(t.finalValueMsat);
}

export function readPath(r: Reader): Path {
  const n = readCount(r, MAX_HOPS, 'path hops');
  if (n === 0) invalid('a path has at least one hop');
  const hops: RouteHop[] = [];
  for (let i = 0; i < n; i++) {
    hops.push({
      nodeId: readNodeId(r, 'hop node id'),
      nodeFeatures: r.u16Bytes('node features').slice(),
      shortChannelId: readScid(r, 'hop scid'),
      channelFeatures: r.u16Bytes('channel features').slice(),
      amountMsat: r.u64('hop amount'),
      feeMsat: r.u64('hop fee'),
      cltvExpiryDelta: r.u32('hop cltv'),
      announced: readBool(r, 'announced'),
    });
  }
  if (!readBool(r, 'blinded tail')) return { hops };
  const m = readCount(r, MAX_HOPS, 'blinded hops');
  const bhops: { blindedNodeId: Uint8Array; encryptedPayload: Uint8Array }[] = [];
  for (let i = 0; i < m; i++) bhops.push({ blindedNodeId: readFixed(r, 33, 'blinded node id'), encryptedPayload: r.u16Bytes('encrypted payload').slice() });
  const blindedTail: BlindedTail = {
    hops: bhops,
    blindingPoint: readFixed(r, 33, 'blinding point'),
    excessFinalCltvExpiryDelta: r.u32('excess cltv'),
    finalValueMsat: r.u64('final value'),
  };
  return { hops, blindedTail };
}

/** A fresh writer. */
export function writer(): Writer {
  return new Writer(256);
}

export { Reader, Writer };
