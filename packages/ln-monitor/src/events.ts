import type { SpendableOutputDescriptor } from 'ln-chain-api';
import type { ChannelParameters } from 'ln-signer-api';
import type { ChannelId, NodeId, OutPoint, Txid } from 'ln-types';
import type { HtlcTransaction, Tx } from 'ln-tx';

// The events a ChainMonitor gives the application (LDK's Event::SpendableOutputs
// and Event::BumpTransaction), collected with `ChainMonitor.processPendingEvents`.
// Events for ChannelManager are MonitorEvents (ln-chain-api), released through Watch.

/**
 * Outputs that are ours alone, `ANTI_REORG_DELAY` deep (and past their CSV delay):
 * hand them to an OutputSweeper (or the wallet). Kept by the monitor, and persisted,
 * until a handler took them without throwing.
 */
export interface SpendableOutputsEvent {
  readonly kind: 'spendable_outputs';
  readonly channelId: ChannelId;
  readonly counterpartyNodeId: NodeId;
  readonly outputs: readonly SpendableOutputDescriptor[];
}

/** Our anchor output on our commitment, with what the handler needs to sign its spend. */
export interface AnchorDescriptor {
  readonly channelKeysId: Uint8Array;
  readonly channelValueSat: bigint;
  /** For `ChannelSigner.provideChannelParameters` on the signer the handler derives. */
  readonly parameters: ChannelParameters;
  readonly outpoint: OutPoint;
  readonly amountSat: bigint;
  readonly witnessScript: Uint8Array;
}

/** A zero-fee HTLC transaction of our anchor commitment, signed by the counterparty (SIGHASH_SINGLE|ANYONECANPAY). */
export interface HtlcDescriptor {
  readonly channelKeysId: Uint8Array;
  readonly channelValueSat: bigint;
  readonly parameters: ChannelParameters;
  readonly commitmentTxid: Txid;
  readonly commitmentNumber: bigint;
  /** The one-input, one-output HTLC transaction as BOLT 3 builds it (no fee). */
  readonly htlc: HtlcTransaction;
  /** The counterparty's compact signature of it. */
  readonly counterpartySignature: Uint8Array;
  /** For an HTLC-success transaction. */
  readonly preimage?: Uint8Array;
}

/**
 * A transaction of ours that needs fees from the wallet (LDK's BumpTransactionEvent),
 * completed by a BumpTransactionEventHandler. The same `claimId` comes back with a
 * higher fee rate while the claim does not confirm: the handler replaces its previous
 * transaction (same wallet inputs, more fee).
 */
export type BumpTransactionEvent =
  /**
   * Our anchor commitment must confirm but pays less than `packageTargetFeerate`:
   * broadcast it together with a child spending `anchor` that brings the package
   * (commitment + child) to that rate.
   */
  | {
      readonly kind: 'channel_close';
      readonly channelId: ChannelId;
      readonly counterpartyNodeId: NodeId;
      readonly claimId: Uint8Array;
      /** Sat per 1000 weight for commitment and child together. */
      readonly packageTargetFeerate: number;
      /** The fully signed commitment. */
      readonly commitmentTx: Tx;
      readonly commitmentTxFeeSat: bigint;
      readonly anchor: AnchorDescriptor;
    }
  /** Zero-fee HTLC transactions to complete with wallet inputs (and change) at `targetFeerate`, in one transaction. */
  | {
      readonly kind: 'htlc_resolution';
      readonly channelId: ChannelId;
      readonly counterpartyNodeId: NodeId;
      readonly claimId: Uint8Array;
      readonly targetFeerate: number;
      readonly htlcDescriptors: readonly HtlcDescriptor[];
      /** The locktime all of them share (0 for HTLC-success, the expiry for HTLC-timeout). */
      readonly txLockTime: number;
    };

/** What ChainMonitor gives the application. */
export type ChainMonitorEvent = SpendableOutputsEvent | { readonly kind: 'bump_transaction'; readonly event: BumpTransactionEvent };
