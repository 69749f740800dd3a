// The decoder ln-tx used before its own: @scure/btc-signer's RawTx, mapped to
// ln-tx's Tx shape. The tests and the benchmark hold decodeTx/decodeBlock to it.
import { RawOldTx, RawTx } from '@scure/btc-signer/script.js';
import { sha256d } from 'ln-crypto';
import { type Txid, reverseBytes, txid as brandTxid } from 'ln-types';
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
  const encoded = RawOldTx.encode({
    version: tx.version,
    inputs: tx.inputs.map((i) => ({ txid: reverseBytes(i.previousOutput.txid), index: i.previousOutput.index, finalScriptSig: i.scriptSig ?? new Uint8Array(0), sequence: i.sequence })),
    outputs: tx.outputs.map((o) => ({ amount: o.amount, script: o.script })),
    lockTime: tx.locktime,
  });
  return brandTxid(sha256d(encoded));
}
