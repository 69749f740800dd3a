import { MAX_BLOCK_WEIGHT } from '../consensus/params.js';
import type { Mempool, MempoolEntry } from '../mempool/mempool.js';
import { feeAt } from '../mempool/policy.js';

/** Weight kept free for the coinbase (Core's default -blockreservedweight). */
export const COINBASE_RESERVED_WEIGHT = 8000;

/**
 * Core's ancestor-feerate block assembly: repeatedly takes the mempool entry
 * whose package (it plus its not-yet-selected ancestors) pays the highest
 * feerate, adding the package parents first, until the block is full or the
 * best package pays less than `blockMinFeeRate` (sat/kvB). Returns entries in
 * a valid block order.
 */
export function selectTransactions(mempool: Mempool, blockMinFeeRate: bigint, maxWeight = MAX_BLOCK_WEIGHT - COINBASE_RESERVED_WEIGHT): MempoolEntry[] {
  const selected: MempoolEntry[] = [];
  const chosen = new Set<MempoolEntry>();
  const skipped = new Set<MempoolEntry>();
  let weight = 0;
  const candidates = mempool.entries();
  for (;;) {
    let best: { entry: MempoolEntry; fee: bigint; vsize: number; pkg: MempoolEntry[] } | undefined;
    for (const entry of candidates) {
      if (chosen.has(entry) || skipped.has(entry)) continue;
      const pkg = [...mempool.ancestors(entry)].filter((a) => !chosen.has(a));
      pkg.push(entry);
      let fee = 0n;
      let vsize = 0;
      for (const e of pkg) {
        fee += e.fee;
        vsize += e.info.vsize;
      }
      // Compare fee/vsize without division: a/b > c/d  <=>  a*d > c*b.
      if (best === undefined || fee * BigInt(best.vsize) > best.fee * BigInt(vsize)) best = { entry, fee, vsize, pkg };
    }
    if (best === undefined) break;
    if (best.fee < feeAt(blockMinFeeRate, best.vsize)) break;
    const pkgWeight = best.pkg.reduce((s, e) => s + e.info.weight, 0);
    if (weight + pkgWeight > maxWeight) {
      skipped.add(best.entry);
      continue;
    }
    best.pkg.sort((a, b) => a.sequence - b.sequence);
    for (const e of best.pkg) {
      chosen.add(e);
      selected.push(e);
    }
    weight += pkgWeight;
  }
  return selected;
}
