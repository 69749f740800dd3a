import { sha256d } from 'ln-crypto';
import { concatBytes } from 'ln-types';
import type { Tx, TxOutput } from './tx.js';

// BIP 143 (segwit v0) signature hashes, with the per-transaction midstate hashes
// (hashPrevouts, hashSequence, hashOutputs) cached per Tx object as BIP 143 intends:
// signing 483 HTLC transactions or every input of a sweep then hashes each part once.
// test/sighash.test.ts checks it against @scure/btc-signer's preimageWitnessV0 for every
// sighash type on random transactions.

interface Midstate {
  prevouts?: Uint8Array;
  sequences?: Uint8Array;
  outputs?: Uint8Array;
}

const cache = new WeakMap<Tx, Midstate>();

function varint(n: number): Uint8Array {
  if (n < 0xfd) return Uint8Array.of(n);
  if (n <= 0xffff) return Uint8Array.of(0xfd, n & 0xff, n >> 8);
  const out = new Uint8Array(5);
  out[0] = 0xfe;
  new DataView(out.buffer).setUint32(1, n, true);
  return out;
}

function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n >>> 0, true);
  return out;
}

function u64(n: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n, true);
  return out;
}

function outputBytes(o: TxOutput): Uint8Array {
  return concatBytes(u64(o.amount), varint(o.script.length), o.script);
}

function midstate(tx: Tx): Midstate {
  let m = cache.get(tx);
  if (m === undefined) {
    m = {};
    cache.set(tx, m);
  }
  return m;
}

const ZERO32: Uint8Array = new Uint8Array(32);

/** The BIP 143 digest of input `index` (callers validate `index`). */
export function bip143Sighash(tx: Tx, index: number, scriptCode: Uint8Array, amount: bigint, sighashType: number): Uint8Array {
  const anyoneCanPay = (sighashType & 0x80) !== 0;
  const base = sighashType & 0x1f;
  const single = base === 0x03;
  const none = base === 0x02;
  const m = midstate(tx);
  let hashPrevouts = ZERO32;
  let hashSequence = ZERO32;
  let hashOutputs = ZERO32;
  if (!anyoneCanPay) {
    m.prevouts ??= sha256d(concatBytes(...tx.inputs.flatMap((i) => [i.previousOutput.txid, u32(i.previousOutput.index)])));
    hashPrevouts = m.prevouts;
  }
  if (!anyoneCanPay && !single && !none) {
    m.sequences ??= sha256d(concatBytes(...tx.inputs.map((i) => u32(i.sequence))));
    hashSequence = m.sequences;
  }
  if (!single && !none) {
    m.outputs ??= sha256d(concatBytes(...tx.outputs.map(outputBytes)));
    hashOutputs = m.outputs;
  } else if (single && index < tx.outputs.length) {
    hashOutputs = sha256d(outputBytes(tx.outputs[index]!));
  }
  const input = tx.inputs[index]!;
  return sha256d(
    concatBytes(
      u32(tx.version),
      hashPrevouts,
      hashSequence,
      input.previousOutput.txid,
      u32(input.previousOutput.index),
      varint(scriptCode.length),
      scriptCode,
      u64(amount),
      u32(input.sequence),
      hashOutputs,
      u32(tx.locktime),
      u32(sighashType),
    ),
  );
}
