import type { ChainChange, ChainState } from '../chain/chain-state.js';
import { outPointCoinKey } from '../chain/coin.js';
import type { TxInfo } from '../chain/tx-info.js';
import { type AcceptContext, acceptToMempool } from '../mempool/accept.js';
import type { Mempool, MempoolEntry } from '../mempool/mempool.js';

/**
 * Brings the mempool in step with a chain change. Blocks simply connected on
 * the tip evict what they confirm and what conflicts with it (with
 * descendants). After a reorg the mempool is rebuilt: the transactions of
 * disconnected blocks that the new chain does not hold, then the previous
 * mempool, each re-validated in order (fee floors waived, as bitcoind does for
 * reorged transactions); whatever is no longer valid is dropped.
 */
export function syncMempool(change: ChainChange, chain: ChainState, mempool: Mempool, ctx: AcceptContext): { removed: MempoolEntry[] } {
  if (change.disconnected.length === 0) {
    const removed: MempoolEntry[] = [];
    for (const block of change.connected) removed.push(...removeForBlock(block.txs, mempool));
    return { removed };
  }
  const resurrect: TxInfo[] = [];
  for (let i = change.disconnected.length - 1; i >= 0; i--) {
    const block = change.disconnected[i]!;
    if (chain.isActive(block)) continue;
    for (const info of block.txs) if (!info.coinbase && chain.indexes.tx(info.txidHex) === undefined) resurrect.push(info);
  }
  const previous = mempool.entries();
  mempool.clear();
  const kept = new Set<string>();
  for (const info of [...resurrect, ...previous.map((e) => e.info)]) {
    if (acceptToMempool(ctx, info, { bypassLimits: true, allowReplacement: false }).ok) kept.add(info.txidHex);
  }
  return { removed: previous.filter((e) => !kept.has(e.info.txidHex)) };
}

/** Removes confirmed transactions (keeping their children) and everything conflicting with the block. */
function removeForBlock(txs: readonly TxInfo[], mempool: Mempool): MempoolEntry[] {
  const removed: MempoolEntry[] = [];
  for (const info of txs) {
    const same = mempool.get(info.txidHex);
    if (same !== undefined) {
      mempool.removeConfirmed(same);
      removed.push(same);
    }
  }
  const conflicts = new Set<MempoolEntry>();
  for (const info of txs) {
    if (info.coinbase) continue;
    for (const input of info.tx.inputs) {
      const spender = mempool.spender(outPointCoinKey(input.previousOutput));
      if (spender !== undefined && spender.info.txidHex !== info.txidHex) conflicts.add(spender);
    }
  }
  if (conflicts.size > 0) removed.push(...mempool.removeWithDescendants(conflicts));
  return removed;
}
