import type { OutPoint } from 'ln-types';
import type { Tx } from 'ln-tx';
import type { TxOut } from './utxo-lookup.js';

/** A confirmed output of the wallet. */
export interface Utxo {
  readonly outpoint: OutPoint;
  readonly output: TxOut;
  /** Weight of what will spend it: its scriptSig (with length) and witness; for P2WPKH, 4 + 109. */
  readonly satisfactionWeight: number;
}

/**
 * The on-chain wallet as the Lightning components use it (LDK's WalletSource):
 * to add inputs that pay for an anchor commitment's CPFP child or for zero-fee
 * HTLC transactions, and to fund channels. Implemented by the application's
 * wallet (ln-node has one); called by ln-monitor's fee-bumping handler.
 */
export interface WalletSource {
  /** Confirmed outputs the wallet may spend. */
  listConfirmedUtxos(): Promise<readonly Utxo[]>;
  /** A fresh script for change. */
  getChangeScript(): Promise<Uint8Array>;
  /**
   * Signs the inputs of `tx` that spend wallet outputs (`utxos` says which and
   * with what they spend) and returns the transaction with their witnesses set;
   * other inputs are left untouched.
   */
  signTransaction(tx: Tx, utxos: readonly Utxo[]): Promise<Tx>;
}
