import type { ChannelId, OutPoint } from 'ln-types';
import type { TxOut } from './utxo-lookup.js';

/**
 * An output on chain that we can spend and that no other party can take any
 * more (LDK's SpendableOutputDescriptor), reported by ChannelMonitor once it
 * is `ANTI_REORG_DELAY` blocks deep. An output sweeper (or the wallet) spends it.
 */
export type SpendableOutputDescriptor =
  /** Paid to a script of our wallet (a claim's destination script): spend it with the wallet's key. */
  | {
      readonly kind: 'static_output';
      readonly outpoint: OutPoint;
      readonly output: TxOut;
      /** The channel's keys id, when the script came from the channel's SignerProvider. */
      readonly channelKeysId?: Uint8Array;
    }
  /**
   * Our to_local output, or the output of one of our HTLC transactions, after its
   * CSV delay: spend with `ChannelSigner.signHolderDelayedOutput` (sequence =
   * `toSelfDelay`, witness: signature, empty, `witnessScript`).
   */
  | {
      readonly kind: 'delayed_payment_output';
      readonly outpoint: OutPoint;
      readonly output: TxOut;
      readonly witnessScript: Uint8Array;
      readonly toSelfDelay: number;
      /** The holder commitment it comes from (selects the per-commitment key). */
      readonly commitmentNumber: bigint;
      readonly channelKeysId: Uint8Array;
      readonly channelValueSat: bigint;
      readonly channelId: ChannelId;
    }
  /**
   * Our to_remote output of a counterparty commitment: spend with
   * `ChannelSigner.signCounterpartyPaymentOutput`. With anchors it is P2WSH with a
   * 1-block CSV (`witnessScript` given, sequence 1); without, P2WPKH.
   */
  | {
      readonly kind: 'static_payment_output';
      readonly outpoint: OutPoint;
      readonly output: TxOut;
      readonly witnessScript?: Uint8Array;
      readonly channelKeysId: Uint8Array;
      readonly channelValueSat: bigint;
      readonly channelId: ChannelId;
    };
