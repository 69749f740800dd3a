import type { BlockHash, OutPoint, Txid } from 'ln-types';

/** An output a component wants to know the spending of. */
export interface WatchedOutput {
  /** The block the output confirmed in, when known (helps an Electrum/Esplora client). */
  readonly blockHash?: BlockHash;
  readonly outpoint: OutPoint;
  readonly scriptPubkey: Uint8Array;
}

/**
 * What a light client must watch for (LDK's Filter). Only needed when blocks
 * are not fed in full: a client that hands every block to `Listen` can ignore
 * it. ChainMonitor registers each channel's funding output when it starts
 * watching a channel and every output it may have to claim when a commitment
 * confirms; the chain client must then pass any transaction that confirms the
 * txid or spends the output to `Confirm.transactionsConfirmed` (or within a
 * filtered `Listen` block).
 */
export interface Filter {
  /** Watch for this transaction confirming; `scriptPubkey` is one of its output scripts (for Electrum-style lookups). */
  registerTx(txid: Txid, scriptPubkey: Uint8Array): void;
  /** Watch for any transaction spending this output. */
  registerOutput(output: WatchedOutput): void;
  /**
   * Watch for any transaction paying to this script (a wallet's receive and change
   * scripts, so payments to it are passed to `Confirm.transactionsConfirmed`).
   * Optional: a client that cannot look transactions up by script leaves it out,
   * and a wallet behind it then learns of payments only from whole blocks.
   */
  registerScript?(scriptPubkey: Uint8Array): void;
}
