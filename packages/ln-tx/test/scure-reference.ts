// The decoder ln-tx used before its own: @scure/btc-signer's RawTx, mapped to
// ln-tx's Tx shape. The tests and the benchmark hold decodeTx/decodeBlock to it.
import { RawOldTx, RawTx } from '@scure/btc-signer/script.js';
import { sha256d } from 'ln-crypto';
import { type Txid, concatBytes, reverseBytes, txid as brandTxid } from 'ln-types';
import type { Tx, TxInput } from '../src/index.js';

/** Decodes with scure; throws whatever scure throws. */
export function decodeTxScure(bytes: Uint8Array): Tx {
  const raw = RawTx.decode(bytes);
  return {
    version: raw.version,
    locktime: raw.lockTime,
    inputs: raw.inputs.map((i, n): TxInput => {
      const witness = raw.witnesses?.[n];
      return {
        previousOutput: { txid: brandTxid(reverseBytes(i.txid)), index: i.index },
        sequence: i.sequence,
        ...(i.finalScriptSig.length > 0 ? { scriptSig: i.finalScriptSig } : {}),
        ...(witness !== undefined && witness.length > 0 ? { witness } : {}),
      };
    }),
    outputs: raw.outputs.map((o) => ({ script: o.script, amount: o.amount })),
  };
}

/** The txid of a transaction, through scure's legacy encoder. */
export function txidScure(tx: Tx): Txid {
  return brandTxid(sha256d(encodeTxScure(tx, false)));
}

/** A block decoded the way ln-tx did before its own decoder: each transaction's end found by a scan, then decoded by scure. */
export interface ScureBlockTx {
  readonly txid: Txid;
  readonly wtxid: Uint8Array;
  readonly tx: Tx;
  readonly raw: Uint8Array;
}

/** ln-tx's previous decodeBlock: header skipped, transactions scanned for their bounds, decoded by scure, hashed. */
export function decodeBlockTxsScure(bytes: Uint8Array): ScureBlockTx[] {
  const cursor = { at: 80 };
  const count = compactSize(bytes, cursor);
  const out: ScureBlockTx[] = [];
  for (let i = 0; i < count; i++) {
    const start = cursor.at;
    const witnessStart = scan(bytes, cursor);
    const raw = bytes.subarray(start, cursor.at);
    const tx = decodeTxScure(raw);
    const wtxid = sha256d(raw);
    const rel = witnessStart === undefined ? undefined : witnessStart - start;
    const id = rel === undefined ? wtxid : sha256d(concatBytes(raw.subarray(0, 4), raw.subarray(6, rel), raw.subarray(raw.length - 4)));
    out.push({ txid: brandTxid(id), wtxid, tx, raw });
  }
  if (cursor.at !== bytes.length) throw new Error('trailing bytes');
  return out;
}

function scan(bytes: Uint8Array, cursor: { at: number }): number | undefined {
  cursor.at += 4;
  const segwit = bytes[cursor.at] === 0 && bytes[cursor.at + 1] === 1;
  if (segwit) cursor.at += 2;
  const inputs = compactSize(bytes, cursor);
  for (let i = 0; i < inputs; i++) {
    cursor.at += 36;
    const scriptLength = compactSize(bytes, cursor);
    cursor.at += scriptLength + 4;
  }
  const outputs = compactSize(bytes, cursor);
  for (let i = 0; i < outputs; i++) {
    cursor.at += 8;
    const scriptLength = compactSize(bytes, cursor);
    cursor.at += scriptLength;
  }
  let witnessStart: number | undefined;
  if (segwit) {
    witnessStart = cursor.at;
    for (let i = 0; i < inputs; i++) {
      const items = compactSize(bytes, cursor);
      for (let j = 0; j < items; j++) {
        const itemLength = compactSize(bytes, cursor);
        cursor.at += itemLength;
      }
    }
  }
  cursor.at += 4;
  if (cursor.at > bytes.length) throw new Error('truncated');
  return witnessStart;
}

function compactSize(bytes: Uint8Array, cursor: { at: number }): number {
  const first = bytes[cursor.at++]!;
  if (first < 0xfd) return first;
  const width = first === 0xfd ? 2 : first === 0xfe ? 4 : 8;
  let value = 0;
  for (let i = width - 1; i >= 0; i--) value = value * 256 + bytes[cursor.at + i]!;
  cursor.at += width;
  return value;
}

/** ln-tx's previous encodeTx: @scure/btc-signer's RawTx (with witnesses) or RawOldTx. Throws whatever scure throws. */
export function encodeTxScure(tx: Tx, withWitness = tx.inputs.some((i) => i.witness !== undefined && i.witness.length > 0)): Uint8Array {
  const parts = {
    version: tx.version,
    inputs: tx.inputs.map((i) => ({ txid: reverseBytes(i.previousOutput.txid), index: i.previousOutput.index, finalScriptSig: i.scriptSig ?? new Uint8Array(0), sequence: i.sequence })),
    outputs: tx.outputs.map((o) => ({ amount: o.amount, script: o.script })),
    lockTime: tx.locktime,
  };
  if (!withWitness) return RawOldTx.encode(parts);
  return RawTx.encode({ ...parts, segwitFlag: true, witnesses: tx.inputs.map((i) => [...(i.witness ?? [])]) });
}
