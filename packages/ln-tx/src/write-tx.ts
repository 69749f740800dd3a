import { TxError } from './errors.js';
import type { Tx } from './tx.js';

// Serializes a transaction in one allocation: its size is added up first (every
// field checked on the way, as @scure/btc-signer's encoder checks them), then the
// bytes are written. Legacy serialization, or BIP 144's with marker, flag and a
// witness stack per input.

const U32 = 0x100000000;
const U64 = 1n << 64n;

function refuse(why: string): never {
  throw new TxError('invalid_transaction', `transaction cannot be serialized: ${why}`);
}

const isU32 = (v: number): boolean => Number.isSafeInteger(v) && v >= 0 && v < U32;
const compactSizeLength = (n: number): number => (n < 0xfd ? 1 : n <= 0xffff ? 3 : n < U32 ? 5 : 9);

function bytesLength(b: unknown, what: string): number {
  if (!(b instanceof Uint8Array)) refuse(`${what} is not bytes`);
  return compactSizeLength(b.length) + b.length;
}

/** The serialized transaction, with witnesses when `withWitness` (BIP 144). */
export function writeTx(tx: Tx, withWitness: boolean): Uint8Array {
  const { version, locktime, inputs, outputs } = tx;
  if (!Number.isSafeInteger(version) || version < -0x80000000 || version > 0x7fffffff) refuse('version is not a 32-bit integer');
  if (!isU32(locktime)) refuse('locktime is not a u32');
  let size = 4 + compactSizeLength(inputs.length) + compactSizeLength(outputs.length) + 4 + (withWitness ? 2 : 0);
  for (const input of inputs) {
    const { txid, index } = input.previousOutput;
    if (!(txid instanceof Uint8Array) || txid.length !== 32) refuse('a txid is not 32 bytes');
    if (!isU32(index) || !isU32(input.sequence)) refuse('an output index or sequence is not a u32');
    size += 40 + bytesLength(input.scriptSig ?? EMPTY, 'a scriptSig');
    if (withWitness) {
      const witness = input.witness ?? [];
      size += compactSizeLength(witness.length);
      for (const item of witness) size += bytesLength(item, 'a witness item');
    }
  }
  for (const output of outputs) {
    if (typeof output.amount !== 'bigint' || output.amount < 0n || output.amount >= U64) refuse('an amount is not a u64');
    size += 8 + bytesLength(output.script, 'a script');
  }

  const out = new Uint8Array(size);
  let at = 0;
  const u32 = (v: number): void => {
    out[at] = v & 0xff;
    out[at + 1] = (v >>> 8) & 0xff;
    out[at + 2] = (v >>> 16) & 0xff;
    out[at + 3] = (v >>> 24) & 0xff;
    at += 4;
  };
  const compactSize = (n: number): void => {
    if (n < 0xfd) {
      out[at++] = n;
    } else if (n <= 0xffff) {
      out[at] = 0xfd;
      out[at + 1] = n & 0xff;
      out[at + 2] = n >>> 8;
      at += 3;
    } else if (n < U32) {
      out[at++] = 0xfe;
      u32(n);
    } else {
      out[at++] = 0xff;
      u32(n % U32);
      u32(Math.floor(n / U32));
    }
  };
  const bytes = (b: Uint8Array): void => {
    compactSize(b.length);
    out.set(b, at);
    at += b.length;
  };

  u32(version);
  if (withWitness) {
    out[at] = 0;
    out[at + 1] = 1;
    at += 2;
  }
  compactSize(inputs.length);
  for (const input of inputs) {
    out.set(input.previousOutput.txid, at);
    at += 32;
    u32(input.previousOutput.index);
    bytes(input.scriptSig ?? EMPTY);
    u32(input.sequence);
  }
  compactSize(outputs.length);
  for (const output of outputs) {
    const amount = output.amount;
    u32(Number(amount & 0xffffffffn));
    u32(Number(amount >> 32n));
    bytes(output.script);
  }
  if (withWitness) {
    for (const input of inputs) {
      const witness = input.witness ?? [];
      compactSize(witness.length);
      for (const item of witness) bytes(item);
    }
  }
  u32(locktime);
  return out;
}

const EMPTY = new Uint8Array(0);
