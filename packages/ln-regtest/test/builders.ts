// Transactions for tests: funded outputs, spends signed with ln-tx (BIP 143).
import { p2wpkh, p2wsh, p2pkh, signSegwitInput, witnessSignature, p2wpkhWitness, type Tx, type TxOutput, encodeTx, txidOf, txWeight } from 'ln-tx';
import { type OutPoint, fromHex, reverseBytes, toHex, txid as brandTxid } from 'ln-types';
import type { Regtest } from '../src/index.js';

export interface Funded {
  readonly outPoint: OutPoint;
  readonly amount: bigint;
  readonly script: Uint8Array;
}

/** Pays `amount` to `script` from the faucet and confirms it. */
export function fund(node: Regtest, script: Uint8Array, amount: bigint, confirm = true): Funded {
  const txidHex = node.faucetPay(script, amount);
  if (confirm) node.mine(1);
  const info = node.findTx(txidHex)!.info;
  const index = info.tx.outputs.findIndex((o) => toHex(o.script) === toHex(script) && o.amount === amount);
  return { outPoint: { txid: brandTxid(reverseBytes(fromHex(txidHex))), index }, amount, script };
}

/** A one-input transaction spending `from`. */
export function spend(from: Funded | OutPoint, outputs: readonly TxOutput[], opts: { sequence?: number; locktime?: number; version?: number } = {}): Tx {
  const outPoint = 'outPoint' in from ? from.outPoint : from;
  return { version: opts.version ?? 2, locktime: opts.locktime ?? 0, inputs: [{ previousOutput: outPoint, sequence: opts.sequence ?? 0xfffffffd }], outputs };
}

/** Signs input `index` as a P2WPKH spend. */
export function signP2wpkh(tx: Tx, index: number, key: { priv: Uint8Array; pub: Uint8Array }, amount: bigint): Tx {
  const sig = signSegwitInput(tx, index, p2pkh(key.pub), amount, key.priv);
  return { ...tx, inputs: tx.inputs.map((inp, i) => (i === index ? { ...inp, witness: p2wpkhWitness(sig, key.pub) } : inp)) };
}

/** Signs input `index` as a P2WSH spend of `witnessScript`: witness = [...before, signature, ...after, witnessScript]. */
export function signP2wsh(tx: Tx, index: number, witnessScript: Uint8Array, amount: bigint, priv: Uint8Array, before: Uint8Array[] = [], after: Uint8Array[] = []): Tx {
  const sig = witnessSignature(signSegwitInput(tx, index, witnessScript, amount, priv));
  return { ...tx, inputs: tx.inputs.map((inp, i) => (i === index ? { ...inp, witness: [...before, sig, ...after, witnessScript] } : inp)) };
}

export const raw = (tx: Tx): Uint8Array => encodeTx(tx);
/** Virtual size: ceil(weight / 4). */
export const vsizeOf = (tx: Tx): number => Math.ceil(txWeight(tx) / 4);
export const txidHexOfTx = (tx: Tx): string => toHex(reverseBytes(txidOf(tx)));
export { p2wpkh, p2wsh };
