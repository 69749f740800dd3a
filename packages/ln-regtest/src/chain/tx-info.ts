import { sha256d } from 'ln-crypto';
import { type Tx, decodeTx, encodeTxNoWitness, txidOfRaw } from 'ln-tx';
import { type Txid, reverseBytes, toHex } from 'ln-types';

/** A decoded transaction with the ids and sizes every check and every JSON view needs. */
export interface TxInfo {
  readonly tx: Tx;
  /** The transaction as serialized (with witnesses when it has any). */
  readonly raw: Uint8Array;
  readonly txid: Txid;
  readonly wtxid: Uint8Array;
  /** Display hex of the txid (what RPC and Esplora print). */
  readonly txidHex: string;
  readonly wtxidHex: string;
  /** Serialized size with witnesses. */
  readonly size: number;
  /** Serialized size without witnesses. */
  readonly strippedSize: number;
  readonly weight: number;
  /** ceil(weight / 4). */
  readonly vsize: number;
  readonly hasWitness: boolean;
  readonly coinbase: boolean;
}

/** True for a coinbase input: the null outpoint. */
export function isCoinbaseTx(tx: Tx): boolean {
  if (tx.inputs.length !== 1) return false;
  const prev = tx.inputs[0]!.previousOutput;
  return prev.index === 0xffffffff && prev.txid.every((b) => b === 0);
}

/**
 * Decodes a serialized transaction and measures it.
 * @throws TxError from ln-tx when the bytes are not one transaction
 */
export function describeTx(raw: Uint8Array): TxInfo {
  const tx = decodeTx(raw);
  return describeDecoded(tx, raw);
}

/** {@link describeTx} for a transaction already decoded from `raw`. */
export function describeDecoded(tx: Tx, raw: Uint8Array): TxInfo {
  const txid = txidOfRaw(raw);
  const wtxid = sha256d(raw);
  const strippedSize = tx.inputs.some((i) => i.witness !== undefined && i.witness.length > 0) ? encodeTxNoWitness(tx).length : raw.length;
  const weight = strippedSize * 3 + raw.length;
  return {
    tx,
    raw,
    txid,
    wtxid,
    txidHex: toHex(reverseBytes(txid)),
    wtxidHex: toHex(reverseBytes(wtxid)),
    size: raw.length,
    strippedSize,
    weight,
    vsize: Math.ceil(weight / 4),
    hasWitness: strippedSize !== raw.length,
    coinbase: isCoinbaseTx(tx),
  };
}
