import type { CounterpartyCommitment, MonitorHtlc } from 'ln-chain-api';
import { type OutPoint, type Txid, equalBytes, toHex } from 'ln-types';
import { type Tx, commitmentNumberFromTx, commitmentNumberToIndex } from 'ln-tx';
import type { HolderCommitmentRecord, MonitorState } from './state.js';
import { secretKnown } from './validate-update.js';

// What spent the funding output. Our commitments and the counterparty's
// unrevoked ones are known by txid; a revoked counterparty commitment is known by
// the commitment number its locktime and sequence carry (BOLT 3 obscuring) and a
// secret we hold for it; anything not shaped as a commitment is a cooperative close.

/** The funding spend as recognised, with what the claims on it are built from. */
export type ClassifiedSpend =
  | { readonly kind: 'holder'; readonly record: HolderCommitmentRecord }
  | { readonly kind: 'counterparty'; readonly commitment: CounterpartyCommitment }
  | {
      readonly kind: 'revoked';
      readonly commitmentNumber: bigint;
      readonly secret: Uint8Array;
      /** The HTLCs the commitment carried, when the monitor kept them. */
      readonly htlcs: readonly MonitorHtlc[];
    }
  | { readonly kind: 'cooperative' }
  | { readonly kind: 'unknown_commitment'; readonly commitmentNumber: bigint };

/** True if `tx` spends `outpoint`. */
export function spendsOutpoint(tx: Tx, outpoint: OutPoint): boolean {
  return tx.inputs.some((i) => i.previousOutput.index === outpoint.index && equalBytes(i.previousOutput.txid, outpoint.txid));
}

/** Recognises a transaction spending the funding output. */
export function classifyFundingSpend(state: MonitorState, tx: Tx, txid: Txid, obscuringFactor: bigint): ClassifiedSpend {
  if (equalBytes(txid, state.holderCurrent.txid)) return { kind: 'holder', record: state.holderCurrent };
  if (state.holderPrevious !== undefined && equalBytes(txid, state.holderPrevious.txid)) return { kind: 'holder', record: state.holderPrevious };
  const n = commitmentNumberFromTx(tx, obscuringFactor);
  if (n === undefined) return { kind: 'cooperative' };
  const candidates = [state.counterpartyCurrent, state.counterpartyPrevious];
  for (const c of candidates) {
    if (c === undefined || !equalBytes(txid, c.txid)) continue;
    const secret = secretKnown(state.secrets, c.data.commitmentNumber) ? state.secrets.get(commitmentNumberToIndex(c.data.commitmentNumber)) : undefined;
    if (secret !== undefined) return { kind: 'revoked', commitmentNumber: c.data.commitmentNumber, secret, htlcs: c.data.htlcs };
    return { kind: 'counterparty', commitment: c };
  }
  if (secretKnown(state.secrets, n)) {
    const secret = state.secrets.get(commitmentNumberToIndex(n));
    if (secret !== undefined) return { kind: 'revoked', commitmentNumber: n, secret, htlcs: state.counterpartyPast.get(toHex(txid))?.htlcs ?? [] };
  }
  return { kind: 'unknown_commitment', commitmentNumber: n };
}
