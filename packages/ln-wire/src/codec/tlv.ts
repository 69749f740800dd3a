import { WireError } from '../errors.js';
import type { Reader } from './reader.js';
import { Writer } from './writer.js';

/** One TLV record as it appears on the wire. */
export interface TlvRecord {
  readonly type: bigint;
  readonly value: Uint8Array;
}

/**
 * Reads every TLV record to the end of `r`, enforcing BOLT 1: minimal BigSize
 * type and length, a length within the remaining bytes, strictly increasing
 * types (which also refuses duplicates). Values are views into the input.
 */
export function readTlvRecords(r: Reader, what = 'tlv stream'): TlvRecord[] {
  const out: TlvRecord[] = [];
  let last = -1n;
  while (!r.atEnd) {
    const type = r.bigSize(`${what} type`);
    const length = r.bigSize(`${what} length`);
    if (length > BigInt(r.remaining)) throw new WireError('truncated', `${what}: record ${type} claims ${length} bytes, ${r.remaining} left`);
    if (type <= last) throw new WireError('tlv_order', `${what}: type ${type} after ${last} (types must strictly increase)`);
    last = type;
    out.push({ type, value: r.bytes(Number(length), `${what} value`) });
  }
  return out;
}

/** Writes records in order (they must already be sorted and unique). */
export function writeTlvRecords(w: Writer, records: readonly TlvRecord[]): void {
  let last = -1n;
  for (const { type, value } of records) {
    if (type <= last) throw new WireError('tlv_order', `TLV types must strictly increase (${type} after ${last})`);
    last = type;
    w.bigSize(type).bigSize(value.length).bytes(value);
  }
}

/** How one known TLV type's value is read and written. */
export interface TlvField<T> {
  readonly type: bigint;
  /** Reads the value from a reader over exactly the record's bytes (leftover bytes are refused). */
  decode(r: Reader): T;
  encode(value: T, w: Writer): void;
}

/** Shorthand for a {@link TlvField}. */
export function tlvField<T>(type: number | bigint, decode: (r: Reader) => T, encode: (value: T, w: Writer) => void): TlvField<T> {
  return { type: BigInt(type), decode, encode };
}

type FieldValue<F> = F extends TlvField<infer T> ? T : never;

/**
 * The decoded value of a TLV stream: each known record under its name (absent
 * when not present), and the unknown odd records, kept so the stream re-encodes
 * to the same bytes.
 */
export type TlvStreamValue<Fields extends Record<string, TlvField<unknown>>> = {
  -readonly [K in keyof Fields]?: FieldValue<Fields[K]>;
} & { unknown?: TlvRecord[] };

/** A TLV namespace: its known records by name, with a strict decoder and an encoder. */
export interface TlvStream<Fields extends Record<string, TlvField<unknown>>> {
  readonly fields: Fields;
  /** Decodes records to the end of `r`. Unknown even types are refused; unknown odd ones kept in `unknown`. */
  decode(r: Reader, what?: string): TlvStreamValue<Fields>;
  /** Encodes known and unknown records in type order. */
  encode(value: TlvStreamValue<Fields>, w: Writer): void;
}

/** Defines a TLV namespace (BOLT 1) from its known records. */
export function defineTlvStream<Fields extends Record<string, TlvField<unknown>>>(fields: Fields): TlvStream<Fields> {
  const byType = new Map<bigint, [string, TlvField<unknown>]>();
  for (const [name, field] of Object.entries(fields)) byType.set(field.type, [name, field]);
  const ordered = [...byType.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, entry]) => entry);
  // Known types with a one-byte BigSize, by number: the decoder's fast lookup.
  const knownSmall: ([string, TlvField<unknown>] | undefined)[] = new Array<[string, TlvField<unknown>] | undefined>(0xfd).fill(undefined);
  for (const [type, entry] of byType) if (type < 0xfdn) knownSmall[Number(type)] = entry;

  return {
    fields,
    decode(r: Reader, what = 'tlv stream') {
      const out: Record<string, unknown> = {};
      let unknown: TlvRecord[] | undefined;
      // Types below 0xfd (one-byte BigSize, every type the BOLTs define so far) stay
      // numbers: no BigInt per record. `lastBig` is set once a larger type was read.
      let lastSmall = -1;
      let lastBig: bigint | undefined;
      const source = r.source;
      while (!r.atEnd) {
        const first = source[r.position]!;
        let small = -1;
        let big = 0n;
        if (first < 0xfd) {
          r.u8();
          small = first;
          if (lastBig !== undefined || small <= lastSmall) throw orderError(what, BigInt(small), lastBig ?? BigInt(lastSmall));
          lastSmall = small;
        } else {
          big = r.bigSize(`${what} type`);
          if (lastBig !== undefined && big <= lastBig) throw orderError(what, big, lastBig);
          lastBig = big;
        }
        const lengthByte = r.atEnd ? 0xff : source[r.position]!;
        let length: number;
        if (lengthByte < 0xfd) {
          r.u8();
          length = lengthByte;
        } else {
          const long = r.bigSize(`${what} length`);
          if (long > BigInt(r.remaining)) throw new WireError('truncated', `${what}: record ${small >= 0 ? small : big} claims ${long} bytes, ${r.remaining} left`);
          length = Number(long);
        }
        if (length > r.remaining) throw new WireError('truncated', `${what}: record ${small >= 0 ? small : big} claims ${length} bytes, ${r.remaining} left`);
        const known = small >= 0 ? knownSmall[small] : byType.get(big);
        if (known === undefined) {
          const type = small >= 0 ? BigInt(small) : big;
          if ((type & 1n) === 0n) throw new WireError('tlv_unknown_even', `${what}: unknown even type ${type}`);
          (unknown ??= []).push({ type, value: r.bytes(length) });
          continue;
        }
        const [name, field] = known;
        const sub = r.sub(length, what);
        out[name] = field.decode(sub);
        if (!sub.atEnd) throw new WireError('invalid_value', `${what}: ${name} has ${sub.remaining} bytes beyond its value`);
      }
      if (unknown !== undefined) out.unknown = unknown;
      return out as TlvStreamValue<Fields>;
    },
    encode(value: TlvStreamValue<Fields>, w: Writer) {
      const values = value as Record<string, unknown>;
      const unknown = value.unknown;
      let u = 0;
      let last = -1n;
      const unknownCount = unknown === undefined ? 0 : unknown.length;
      for (const [name, field] of ordered) {
        while (u < unknownCount && unknown![u]!.type < field.type) last = writeRecord(w, last, unknown![u]!.type, unknown![u++]!.value);
        const v = values[name];
        if (v === undefined) continue;
        // Values are written to a scratch writer first: their length prefix comes before them.
        const body = borrowWriter();
        try {
          field.encode(v, body);
          last = writeRecord(w, last, field.type, body.finish());
        } finally {
          releaseWriter();
        }
      }
      while (u < unknownCount) last = writeRecord(w, last, unknown![u]!.type, unknown![u++]!.value);
    },
  };
}

function orderError(what: string, type: bigint, last: bigint): WireError {
  return new WireError('tlv_order', `${what}: type ${type} after ${last} (types must strictly increase)`);
}

function writeRecord(w: Writer, last: bigint, type: bigint, body: Uint8Array): bigint {
  if (type <= last) throw new WireError('tlv_order', `TLV type ${type} repeats or is out of order`);
  w.bigSize(type).bigSize(body.length).bytes(body);
  return type;
}

// Scratch writers for record values, one per nesting depth (a record's encoder may
// encode a TLV stream of its own), reused across calls instead of allocated per record.
const scratchWriters: Writer[] = [];
let scratchDepth = 0;

function borrowWriter(): Writer {
  const w = (scratchWriters[scratchDepth] ??= new Writer(256));
  scratchDepth++;
  return w.reset();
}

function releaseWriter(): void {
  scratchDepth--;
}

/** The empty namespace: any trailing TLV extension of a message that defines no records. */
export const emptyTlvStream = defineTlvStream({});
