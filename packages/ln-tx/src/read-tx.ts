import { type Txid } from 'ln-types';
import { TxError } from './errors.js';
import type { Tx, TxInput, TxOutput } from './tx.js';

// Transactions as Bitcoin Core's deserializer reads them (UnserializeTransaction
// with witnesses allowed), in one pass over the bytes. Scripts, witness items and
// txids are views into the input (no copies): a decoded transaction shares the
// caller's buffer. What Core refuses is refused here:
// - a CompactSize not in its shortest form, or above Core's MAX_SIZE (32 MiB);
// - an empty input list followed by a flag byte other than 0 (no inputs, no
//   outputs) or 1 (BIP 144 marker): Core throws "Unknown transaction optional data";
// - the BIP 144 flag with every witness empty ("Superfluous witness record");
// - anything cut short. Counts are checked against the bytes left (every input
//   takes at least 41 bytes, every output 9, every witness item 1) before any
//   array is sized from them.

/** Core's MAX_SIZE: the largest CompactSize its ReadCompactSize accepts. */
export const MAX_COMPACT_SIZE = 0x02000000;

/** Where a decoded transaction ended and where its witness section started (equal to `end - 4` without witness). */
export interface ReadTxResult {
  readonly tx: Tx;
  readonly end: number;
  readonly segwit: boolean;
  /** Offset of the first witness stack (segwit) — the txid covers everything but the marker, flag and witnesses. */
  readonly witnessStart: number;
}

type Code = 'invalid_transaction' | 'invalid_block';

type MutableInput = { previousOutput: { txid: Txid; index: number }; sequence: number; scriptSig?: Uint8Array; witness?: readonly Uint8Array[] };

// The cursor over the bytes; one per transaction read.
class Cursor {
  pos: number;
  readonly n: number;

  constructor(
    readonly bytes: Uint8Array,
    readonly start: number,
    readonly code: Code,
  ) {
    this.pos = start;
    this.n = bytes.length;
  }

  fail(why: string): never {
    throw new TxError(this.code, `not a valid transaction: ${why} at byte ${this.pos - this.start}`);
  }

  u32(): number {
    const { bytes, pos } = this;
    if (pos + 4 > this.n) this.fail('truncated');
    this.pos = pos + 4;
    return (bytes[pos]! | (bytes[pos + 1]! << 8) | (bytes[pos + 2]! << 16) | (bytes[pos + 3]! << 24)) >>> 0;
  }

  compactSize(): number {
    if (this.pos >= this.n) this.fail('truncated');
    const first = this.bytes[this.pos++]!;
    if (first < 0xfd) return first;
    let value: number;
    if (first === 0xfd) {
      if (this.pos + 2 > this.n) this.fail('truncated');
      value = this.bytes[this.pos]! | (this.bytes[this.pos + 1]! << 8);
      this.pos += 2;
      if (value < 0xfd) this.fail('non-canonical CompactSize');
    } else if (first === 0xfe) {
      value = this.u32();
      if (value < 0x10000) this.fail('non-canonical CompactSize');
    } else {
      const lo = this.u32();
      const hi = this.u32();
      if (hi === 0) this.fail('non-canonical CompactSize');
      value = hi * 0x100000000 + lo;
    }
    if (value > MAX_COMPACT_SIZE) this.fail('CompactSize too large');
    return value;
  }

  /** A CompactSize count of items taking at least `minBytesEach` bytes each, checked against the bytes left. */
  count(minBytesEach: number): number {
    const c = this.compactSize();
    if (c * minBytesEach > this.n - this.pos) this.fail('count larger than the bytes left');
    return c;
  }

  varBytes(): Uint8Array {
    const len = this.compactSize();
    const pos = this.pos;
    if (pos + len > this.n) this.fail('truncated');
    this.pos = pos + len;
    return this.bytes.subarray(pos, pos + len);
  }
}

/**
 * Reads one serialized transaction starting at `at`.
 * @throws TxError with `code` on bytes Core's deserializer would refuse
 */
export function readTx(bytes: Uint8Array, at: number, code: Code): ReadTxResult {
  const c = new Cursor(bytes, at, code);
  const version = c.u32() | 0;
  let segwit = false;
  let inputCount = c.count(41);
  if (inputCount === 0) {
    if (c.pos >= c.n) c.fail('truncated');
    const flag = bytes[c.pos++]!;
    if (flag === 1) {
      segwit = true;
      inputCount = c.count(41);
    } else if (flag !== 0) {
      c.fail('unknown transaction optional data');
    }
  }
  const inputs: MutableInput[] = new Array(inputCount);
  for (let i = 0; i < inputCount; i++) {
    if (c.pos + 36 > c.n) c.fail('truncated');
    const txid = bytes.subarray(c.pos, c.pos + 32) as Txid;
    c.pos += 32;
    const index = c.u32();
    const scriptSig = c.varBytes();
    const sequence = c.u32();
    inputs[i] = scriptSig.length > 0 ? { previousOutput: { txid, index }, sequence, scriptSig } : { previousOutput: { txid, index }, sequence };
  }
  // With flag 0 (no inputs) Core reads no output list: the flag byte stood for an empty one.
  const outputCount = inputCount === 0 && !segwit ? 0 : c.count(9);
  const outputs: TxOutput[] = new Array(outputCount);
  for (let i = 0; i < outputCount; i++) {
    const lo = c.u32();
    const hi = c.u32();
    // Below 2^53 one BigInt conversion; above, two.
    const amount = hi < 0x200000 ? BigInt(hi * 0x100000000 + lo) : (BigInt(hi) << 32n) | BigInt(lo);
    outputs[i] = { script: c.varBytes(), amount };
  }
  const witnessStart = c.pos;
  if (segwit) {
    let any = false;
    for (let i = 0; i < inputCount; i++) {
      const items = c.count(1);
      if (items === 0) continue;
      any = true;
      const stack: Uint8Array[] = new Array(items);
      for (let j = 0; j < items; j++) stack[j] = c.varBytes();
      inputs[i]!.witness = stack;
    }
    if (!any) c.fail('superfluous witness record');
  }
  const locktime = c.u32();
  return { tx: { version, locktime, inputs: inputs as TxInput[], outputs }, end: c.pos, segwit, witnessStart };
}
