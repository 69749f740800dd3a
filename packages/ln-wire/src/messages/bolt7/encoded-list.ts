import { Unzlib } from 'fflate';
import type { ShortChannelId } from 'ln-types';
import { Reader } from '../../codec/reader.js';
import type { Writer } from '../../codec/writer.js';
import { WireError } from '../../errors.js';

/**
 * How a BOLT 7 list (short channel ids, timestamps, query flags) was encoded:
 * 0 is a plain array, 1 is zlib. Encoding 1 is deprecated ("MUST NOT be used")
 * but older peers still send it, so we inflate it when we meet it and never
 * produce it.
 */
export type ListEncoding = 'uncompressed' | 'zlib';

/**
 * Largest inflated list we accept. A 65535-byte message can only carry 8191
 * uncompressed short channel ids; a zlib bomb could claim far more. 1 MiB
 * (131,072 ids) is well above any honest reply and bounds memory per message.
 */
export const MAX_INFLATED_LIST_BYTES = 1 << 20;

/** Inflates a zlib stream, refusing anything that grows past {@link MAX_INFLATED_LIST_BYTES}. */
export function inflateBounded(data: Uint8Array, what: string): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let tooLarge = false;
  const z = new Unzlib((chunk) => {
    total += chunk.length;
    if (total > MAX_INFLATED_LIST_BYTES) {
      tooLarge = true;
      throw new WireError('too_large', `${what}: inflates past ${MAX_INFLATED_LIST_BYTES} bytes`);
    }
    chunks.push(chunk);
  });
  try {
    z.push(data, true);
  } catch (cause) {
    if (tooLarge || cause instanceof WireError) throw new WireError('too_large', `${what}: inflates past ${MAX_INFLATED_LIST_BYTES} bytes`);
    throw new WireError('invalid_value', `${what}: bad zlib data`, { cause });
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The body of an encoded list (after its encoding byte), inflated when zlib. */
function listBody(r: Reader, what: string): { encoding: ListEncoding; body: Reader } {
  const encodingType = r.u8(`${what} encoding`);
  if (encodingType === 0) return { encoding: 'uncompressed', body: r.sub(r.remaining, what) };
  if (encodingType === 1) return { encoding: 'zlib', body: new Reader(inflateBounded(r.rest(), what)) };
  throw new WireError('invalid_value', `${what}: unknown encoding type ${encodingType}`);
}

/**
 * Reads an `encoded_short_ids` field from a reader over exactly its bytes. The
 * encoding byte is required even for an empty list (as LDK and lnd read it), so
 * every list has one encoding and decoding stays canonical.
 */
export function readEncodedShortIds(r: Reader, what = 'encoded_short_ids'): { encoding: ListEncoding; ids: ShortChannelId[] } {
  const { encoding, body } = listBody(r, what);
  if (body.remaining % 8 !== 0) throw new WireError('invalid_value', `${what}: ${body.remaining} bytes is not a whole number of ids`);
  const ids: ShortChannelId[] = new Array<ShortChannelId>(body.remaining / 8);
  for (let i = 0; i < ids.length; i++) ids[i] = body.shortChannelId(what);
  return { encoding, ids };
}

/** Writes short channel ids with encoding 0 (the only one we send), encoding byte included. */
export function writeEncodedShortIds(w: Writer, ids: readonly ShortChannelId[]): void {
  w.u8(0);
  for (const id of ids) w.u64(id);
}

/** The two timestamps of a channel's updates (0 when there is no update for that direction). */
export interface TimestampPair {
  readonly timestamp1: number;
  readonly timestamp2: number;
}

/** Reads an encoded timestamps list (`encoding_type` then pairs of u32). */
export function readEncodedTimestamps(r: Reader, what = 'encoded_timestamps'): { encoding: ListEncoding; timestamps: TimestampPair[] } {
  const { encoding, body } = listBody(r, what);
  if (body.remaining % 8 !== 0) throw new WireError('invalid_value', `${what}: ${body.remaining} bytes is not a whole number of pairs`);
  const timestamps: TimestampPair[] = [];
  while (!body.atEnd) timestamps.push({ timestamp1: body.u32(what), timestamp2: body.u32(what) });
  return { encoding, timestamps };
}

/** Writes timestamps with encoding 0. */
export function writeEncodedTimestamps(w: Writer, timestamps: readonly TimestampPair[]): void {
  w.u8(0);
  for (const t of timestamps) w.u32(t.timestamp1).u32(t.timestamp2);
}

/** Reads encoded query flags (`encoding_type` then one BigSize per queried id). */
export function readEncodedQueryFlags(r: Reader, what = 'encoded_query_flags'): { encoding: ListEncoding; flags: bigint[] } {
  const { encoding, body } = listBody(r, what);
  const flags: bigint[] = [];
  while (!body.atEnd) flags.push(body.bigSize(what));
  return { encoding, flags };
}

/** Writes query flags with encoding 0. */
export function writeEncodedQueryFlags(w: Writer, flags: readonly bigint[]): void {
  w.u8(0);
  for (const f of flags) w.bigSize(f);
}
