import { Transaction } from '@scure/btc-signer';
import { sha256d } from 'ln-crypto';
import { type OutPoint, type Txid, reverseBytes, toHex, txid as brandTxid } from 'ln-types';
import { bip143Sighash } from './bip143.js';
import { TxError } from './errors.js';
import { readTx } from './read-tx.js';
import { writeTx } from './write-tx.js';

/** A transaction input. `txid` is in internal byte order (as in {@link OutPoint}). */
export interface TxInput {
  readonly previousOutput: OutPoint;
  readonly sequence: number;
  /** Legacy scriptSig (empty for the segwit spends this package builds). */
  readonly scriptSig?: Uint8Array;
  /** Witness stack items (absent or empty before signing). */
  readonly witness?: readonly Uint8Array[];
}

/** A transaction output. */
export interface TxOutput {
  readonly script: Uint8Array;
  /** Satoshis. */
  readonly amount: bigint;
}

/** A plain Bitcoin transaction. Builders return these; {@link encodeTx} serializes them. */
export interface Tx {
  readonly version: number;
  readonly locktime: number;
  readonly inputs: readonly TxInput[];
  readonly outputs: readonly TxOutput[];
}

/** SIGHASH_ALL. */
export const SIGHASH_ALL = 0x01;
/** SIGHASH_SINGLE | SIGHASH_ANYONECANPAY: the counterparty's HTLC signatures under anchors. */
export const SIGHASH_SINGLE_ANYONECANPAY = 0x83;

/**
 * Serializes a transaction (with witnesses when any input has one: BIP 144).
 * @throws TxError `invalid_transaction` when a field is out of its range (a version
 *   outside 32 bits, a u32 or u64 out of range, a txid not 32 bytes)
 */
export function encodeTx(tx: Tx): Uint8Array {
  return writeTx(
    tx,
    tx.inputs.some((i) => i.witness !== undefined && i.witness.length > 0),
  );
}

/** Serializes without witness data (what the txid commits to). */
export function encodeTxNoWitness(tx: Tx): Uint8Array {
  return writeTx(tx, false);
}

/** The txid in internal byte order. */
export function txidOf(tx: Tx): Txid {
  return brandTxid(sha256d(encodeTxNoWitness(tx)));
}

/** The txid as usually displayed (byte-reversed hex). */
export function txidHex(tx: Tx): string {
  return toHex(reverseBytes(txidOf(tx)));
}

/**
 * Decodes a serialized transaction (legacy or segwit) as Bitcoin Core's
 * deserializer reads it (see read-tx.ts for what is refused). Scripts, witness
 * items and txids are views into `bytes`: copy them if `bytes` will be reused.
 * @throws TxError `invalid_transaction` on malformed, truncated or trailing bytes
 */
export function decodeTx(bytes: Uint8Array): Tx {
  const { tx, end } = readTx(bytes, 0, 'invalid_transaction');
  if (end !== bytes.length) throw new TxError('invalid_transaction', `not a valid transaction: ${bytes.length - end} trailing bytes`);
  return tx;
}

/** BIP 143 weight: 4 x stripped size + witness bytes. */
export function txWeight(tx: Tx): number {
  const base = encodeTxNoWitness(tx).length;
  const full = encodeTx(tx).length;
  return base * 3 + full;
}

function scureTx(tx: Tx): Transaction {
  const t = new Transaction({
    version: tx.version,
    lockTime: tx.locktime,
    allowUnknownOutputs: true,
    allowUnknownInputs: true,
    disableScriptCheck: true,
    allowUnknownVersion: true,
  });
  for (const i of tx.inputs) t.addInput({ txid: reverseBytes(i.previousOutput.txid), index: i.previousOutput.index, sequence: i.sequence });
  for (const o of tx.outputs) t.addOutput({ script: o.script, amount: o.amount });
  return t;
}

/**
 * The BIP 143 (segwit v0) signature hash of input `index` spending `amount`
 * satoshis locked by `witnessScript` (the scriptCode). Midstates are cached per
 * transaction object (see bip143.ts); {@link segwitSighashScure} gives the same
 * digest through @scure/btc-signer and is what the tests compare against.
 */
export function segwitSighash(tx: Tx, index: number, witnessScript: Uint8Array, amount: bigint, sighashType: number = SIGHASH_ALL): Uint8Array {
  if (!Number.isInteger(index) || index < 0 || index >= tx.inputs.length) throw new TxError('invalid_index', `no input ${index}`);
  if (amount < 0n || amount > 0xffffffffffffffffn) throw new TxError('invalid_amount', 'amount must be a u64');
  return bip143Sighash(tx, index, witnessScript, amount, sighashType);
}

/** {@link segwitSighash} computed by @scure/btc-signer's Transaction.preimageWitnessV0 (slower: it rebuilds a PSBT-style transaction). */
export function segwitSighashScure(tx: Tx, index: number, witnessScript: Uint8Array, amount: bigint, sighashType: number = SIGHASH_ALL): Uint8Array {
  if (!Number.isInteger(index) || index < 0 || index >= tx.inputs.length) throw new TxError('invalid_index', `no input ${index}`);
  try {
    return scureTx(tx).preimageWitnessV0(index, witnessScript, sighashType, amount);
  } catch (cause) {
    throw new TxError('invalid_transaction', 'cannot compute the signature hash', { cause });
  }
}

/** The legacy (pre-segwit) signature hash of input `index` with `scriptCode`. */
export function legacySighash(tx: Tx, index: number, scriptCode: Uint8Array, sighashType: number = SIGHASH_ALL): Uint8Array {
  if (!Number.isInteger(index) || index < 0 || index >= tx.inputs.length) throw new TxError('invalid_index', `no input ${index}`);
  try {
    // preimageLegacy is public at run time but marked private in scure's typings.
    const t = scureTx(tx) as unknown as { preimageLegacy(i: number, s: Uint8Array, h: number): Uint8Array };
    return t.preimageLegacy(index, scriptCode, sighashType);
  } catch (cause) {
    throw new TxError('invalid_transaction', 'cannot compute the signature hash', { cause });
  }
}

/** A copy of `tx` with input `index`'s witness replaced. */
export function withWitness(tx: Tx, index: number, witness: readonly Uint8Array[]): Tx {
  return { ...tx, inputs: tx.inputs.map((i, n) => (n === index ? { ...i, witness } : i)) };
}
