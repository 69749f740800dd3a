import { formatFeeRate, formatMoney } from '../json/money.js';
import { type Rejection, rejection } from '../validation/rejection.js';
import { type Mempool, type MempoolEntry, txidHexOf } from './mempool.js';
import { feeAt, feeRateOf } from './policy.js';

/** BIP 125 rule 5: at most this many transactions evicted by one replacement. */
export const MAX_REPLACEMENT_CANDIDATES = 100;

/** A replacement and what it competes with. */
export interface Replacement {
  readonly txidHex: string;
  readonly fee: bigint;
  readonly vsize: number;
  /** Display txid each input spends from, in input order. */
  readonly inputTxids: readonly string[];
  /** Mempool entries spending the same outpoints. */
  readonly directConflicts: ReadonlySet<MempoolEntry>;
}

/**
 * Bitcoin Core 28's replacement rules (full RBF: no signalling needed): a
 * higher feerate than every direct conflict (rule 6), at most 100 evictions
 * (rule 5), no new unconfirmed inputs (rule 2), more absolute fees than
 * everything evicted (rule 3) plus its own relay at the incremental feerate
 * (rule 4). Returns every evicted entry, or why the replacement is refused.
 */
export function checkReplacement(r: Replacement, mempool: Mempool, incrementalRelayFeeRate: bigint): { evicted: Set<MempoolEntry> } | Rejection {
  const newRate = feeRateOf(r.fee, r.vsize);
  for (const c of r.directConflicts) {
    const oldRate = feeRateOf(c.fee, c.info.vsize);
    if (newRate <= oldRate) {
      return rejection('mempool-policy', 'insufficient fee', `rejecting replacement ${r.txidHex}; new feerate ${formatFeeRate(newRate)} <= old feerate ${formatFeeRate(oldRate)}`);
    }
  }
  let candidates = 0;
  for (const c of r.directConflicts) {
    candidates += mempool.descendants(c, true).size;
    if (candidates > MAX_REPLACEMENT_CANDIDATES) {
      return rejection('mempool-policy', 'too many potential replacements', `rejecting replacement ${r.txidHex}; too many potential replacements (${candidates} > ${MAX_REPLACEMENT_CANDIDATES})\n`);
    }
  }
  const evicted = new Set<MempoolEntry>();
  for (const c of r.directConflicts) for (const d of mempool.descendants(c, true)) evicted.add(d);
  const conflictParents = new Set<string>();
  for (const c of r.directConflicts) for (const i of c.info.tx.inputs) conflictParents.add(txidHexOf(i.previousOutput.txid));
  for (let j = 0; j < r.inputTxids.length; j++) {
    const spent = r.inputTxids[j]!;
    if (!conflictParents.has(spent) && mempool.get(spent) !== undefined) {
      return rejection('mempool-policy', 'replacement-adds-unconfirmed', `replacement ${r.txidHex} adds unconfirmed input, idx ${j}`);
    }
  }
  let evictedFees = 0n;
  for (const e of evicted) evictedFees += e.fee;
  if (r.fee < evictedFees) {
    return rejection('reconsiderable', 'insufficient fee', `rejecting replacement ${r.txidHex}, less fees than conflicting txs; ${formatMoney(r.fee)} < ${formatMoney(evictedFees)}`);
  }
  const additional = r.fee - evictedFees;
  const relay = feeAt(incrementalRelayFeeRate, r.vsize);
  if (additional < relay) {
    return rejection('reconsiderable', 'insufficient fee', `rejecting replacement ${r.txidHex}, not enough additional fees to relay; ${formatMoney(additional)} < ${formatMoney(relay)}`);
  }
  return { evicted };
}
