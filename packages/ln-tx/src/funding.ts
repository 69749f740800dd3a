import { type OutPoint, outPoint } from 'ln-types';
import { TxError } from './errors.js';
import { fundingScript } from './scripts/funding.js';
import { p2wsh } from './scripts/outputs.js';
import { type Tx, type TxInput, type TxOutput, txidOf } from './tx.js';

/** The funding output (P2WSH of the 2-of-2) for two funding keys. */
export function fundingOutput(localFundingPubkey: Uint8Array, remoteFundingPubkey: Uint8Array, amountSat: bigint): TxOutput {
  if (amountSat <= 0n) throw new TxError('invalid_amount', 'funding amount must be positive');
  return { script: p2wsh(fundingScript(localFundingPubkey, remoteFundingPubkey)), amount: amountSat };
}

/** An unsigned funding transaction: the given inputs, the funding output first, then any change. */
export function buildFundingTx(params: {
  readonly inputs: readonly TxInput[];
  readonly localFundingPubkey: Uint8Array;
  readonly remoteFundingPubkey: Uint8Array;
  readonly fundingSat: bigint;
  readonly change?: TxOutput;
  readonly locktime?: number;
}): Tx {
  const outputs = [fundingOutput(params.localFundingPubkey, params.remoteFundingPubkey, params.fundingSat)];
  if (params.change !== undefined) outputs.push(params.change);
  return { version: 2, locktime: params.locktime ?? 0, inputs: params.inputs, outputs };
}

/**
 * The funding outpoint of a funding transaction: its txid and the index of the
 * output paying the 2-of-2 of these keys.
 * @throws TxError `invalid_transaction` if no output pays it
 */
export function findFundingOutpoint(tx: Tx, localFundingPubkey: Uint8Array, remoteFundingPubkey: Uint8Array): OutPoint {
  const script = p2wsh(fundingScript(localFundingPubkey, remoteFundingPubkey));
  const index = tx.outputs.findIndex((o) => o.script.length === script.length && o.script.every((b, i) => b === script[i]));
  if (index < 0) throw new TxError('invalid_transaction', 'no output pays the funding script');
  return outPoint(txidOf(tx), index);
}
