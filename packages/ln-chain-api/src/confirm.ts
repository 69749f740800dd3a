import type { BlockHash, Txid } from 'ln-types';
import type { BlockHeader, BlockTransaction } from 'ln-tx';

/** A transaction a component wants to hear about if it is reorganized out. */
export interface RelevantTxid {
  readonly txid: Txid;
  /** The height it confirmed at. */
  readonly height: number;
  /** The block it confirmed in, when known. */
  readonly blockHash?: BlockHash;
}

/**
 * A component fed only the transactions it cares about (LDK's Confirm), for
 * clients that sync by transaction (Esplora, Electrum) rather than by block.
 * ChannelManager and ChainMonitor implement it; a transaction sync client calls it.
 *
 * Rules the caller keeps: first `transactionUnconfirmed` for every txid of
 * {@link getRelevantTxids} whose block left the best chain; then
 * `transactionsConfirmed` for newly confirmed relevant transactions (those that
 * a `Filter` registration names, in block order, each block's transactions in
 * block position order); then `bestBlockUpdated` with the new tip. Each
 * returned promise is awaited before the next call.
 */
export interface Confirm {
  /** Relevant transactions confirmed in the block with `header` at `height`. */
  transactionsConfirmed(header: BlockHeader, transactions: readonly BlockTransaction[], height: number): void | Promise<void>;
  /** A transaction previously given as confirmed is no longer in the best chain. */
  transactionUnconfirmed(txid: Txid): void | Promise<void>;
  /** The best chain's tip is now `header` at `height` (called for every new tip, not for each block on the way). */
  bestBlockUpdated(header: BlockHeader, height: number): void | Promise<void>;
  /** Transactions whose confirmation this component depends on, to check they are still in the best chain. */
  getRelevantTxids(): readonly RelevantTxid[];
}
