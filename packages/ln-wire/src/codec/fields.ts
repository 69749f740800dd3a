import type { ShortChannelId } from 'ln-types';
import { WireError } from '../errors.js';
import type { Reader } from './reader.js';
import { tlvField, type TlvField } from './tlv.js';

// TLV record types that recur across namespaces. Each reads exactly the record's value.

/** A tu64 record (e.g. amount_msat). */
export const tu64Record = (type: number | bigint): TlvField<bigint> => tlvField(type, (r) => r.tu64(), (v, w) => w.truncated(v, 8));

/** A tu32 record (e.g. outgoing_cltv_value). */
export const tu32Record = (type: number | bigint): TlvField<number> => tlvField(type, (r) => r.truncatedNumber(4, 'tu32'), (v, w) => w.truncated(v, 4));

/** A tu16 record. */
export const tu16Record = (type: number | bigint): TlvField<number> => tlvField(type, (r) => r.truncatedNumber(2, 'tu16'), (v, w) => w.truncated(v, 2));

/** A u16 record. */
export const u16Record = (type: number | bigint): TlvField<number> => tlvField(type, (r) => r.u16(), (v, w) => w.u16(v));

/** A u32 record. */
export const u32Record = (type: number | bigint): TlvField<number> => tlvField(type, (r) => r.u32(), (v, w) => w.u32(v));

/** A u64 record. */
export const u64Record = (type: number | bigint): TlvField<bigint> => tlvField(type, (r) => r.u64(), (v, w) => w.u64(v));

/** A record whose value is raw bytes of any length. */
export const bytesRecord = (type: number | bigint): TlvField<Uint8Array> => tlvField(type, (r) => r.rest(), (v, w) => w.bytes(v));

/** A record of exactly `length` bytes (hashes, keys, ids). */
export const fixedBytesRecord = (type: number | bigint, length: number, what = 'value'): TlvField<Uint8Array> =>
  tlvField(
    type,
    (r) => r.bytes(length, what),
    (v, w) => w.fixed(v, length, what),
  );

/** A record holding a 33-byte compressed point (format-checked: prefix 0x02 or 0x03). */
export const pointRecord = (type: number | bigint, what = 'point'): TlvField<Uint8Array> => tlvField(type, (r) => readPoint(r, what), (v, w) => w.fixed(v, 33, what));

/** A record holding a short channel id. */
export const shortChannelIdRecord = (type: number | bigint): TlvField<ShortChannelId> => tlvField(type, (r) => r.shortChannelId(), (v, w) => w.u64(v));

/** A record holding a list of fixed-size items filling the whole value (e.g. chain hashes). */
export const fixedListRecord = (type: number | bigint, itemLength: number, what: string): TlvField<Uint8Array[]> =>
  tlvField(
    type,
    (r) => {
      if (r.remaining % itemLength !== 0) throw new WireError('invalid_value', `${what}: length is not a multiple of ${itemLength}`);
      const out: Uint8Array[] = [];
      while (!r.atEnd) out.push(r.bytes(itemLength, what));
      return out;
    },
    (v, w) => {
      for (const item of v) w.fixed(item, itemLength, what);
    },
  );

/** Reads a 33-byte point and checks its prefix (curve membership is checked where the key is used). */
export function readPoint(r: Reader, what = 'point'): Uint8Array {
  const p = r.bytes(33, what);
  if (p[0] !== 2 && p[0] !== 3) throw new WireError('invalid_value', `${what}: not a compressed point`);
  return p;
}

/**
 * A record whose presence is the value (e.g. `require_confirmed_inputs`): empty
 * on the wire, `true` when decoded. A non-empty value is refused as `invalid_value`.
 */
export const flagRecord = (type: number | bigint): TlvField<true> =>
  tlvField(
    type,
    () => true,
    (v) => {
      if (v !== true) throw new WireError('invalid_value', `flag record ${type} must be true when present`);
    },
  );

/** An s64 record (e.g. `funding_output_contribution`). */
export const s64Record = (type: number | bigint): TlvField<bigint> => tlvField(type, (r) => r.s64(), (v, w) => w.s64(v));
