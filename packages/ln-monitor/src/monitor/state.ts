import type { BestBlock, CounterpartyCommitment, HolderCommitment, MonitorEvent, MonitorHtlc } from 'ln-chain-api';
import type { ChannelParameters } from 'ln-signer-api';
import type { ChannelId, NodeId, OutPoint, Txid } from 'ln-types';
import type { CounterpartySecrets, Tx } from 'ln-tx';
import type { SpendableOutputsEvent } from '../events.js';

// Everything a ChannelMonitor knows, as plain data: what ChannelManager told it
// (commitments, secrets, preimages) and what it learned from the chain (the
// funding spend, the outputs it watches and who spent them, the claims it is
// running). The codec in ../codec writes exactly this; the monitor's behaviour is
// a function of it, so a monitor read back makes the same decisions.

/** A holder commitment with its txid (computed once, checked against the counterparty's signature). */
export interface HolderCommitmentRecord {
  readonly commitment: HolderCommitment;
  readonly txid: Txid;
}

/**
 * A counterparty commitment kept after it was superseded, for recognising it on
 * chain once revoked: its number and HTLCs (to rebuild their scripts). Commitments
 * without HTLCs are not kept: their to_local is found from the number and secret.
 */
export interface PastCounterpartyCommitment {
  readonly txid: Txid;
  readonly commitmentNumber: bigint;
  readonly htlcs: readonly MonitorHtlc[];
}

/** What spent the funding output, as the monitor recognised it. */
export type FundingSpendKind =
  /** Our commitment (`current`: the latest one; otherwise the one before). */
  | 'holder'
  /** The counterparty's latest or previous (unrevoked) commitment. */
  | 'counterparty'
  /** A counterparty commitment whose secret we hold: punished. */
  | 'revoked'
  /** A cooperative close (or any transaction not shaped as a commitment). */
  | 'cooperative'
  /** Shaped as a commitment of this channel but none we can claim from (an old holder commitment, say). */
  | 'unknown_commitment';

/** The funding spend seen on chain (tentative until ANTI_REORG_DELAY deep). */
export interface FundingSpend {
  readonly txid: Txid;
  /** The transaction itself (a secret that arrives later can turn it into a revoked one). */
  readonly tx: Tx;
  readonly height: number;
  readonly kind: FundingSpendKind;
  readonly commitmentNumber?: bigint;
  /** HTLC sources with an output in this transaction (the others fail once it is final). */
  readonly sourcesOnChain: readonly Uint8Array[];
  /** Set once it is ANTI_REORG_DELAY deep: reorgs no longer undo it. */
  readonly final: boolean;
}

/** Who spent a watched output, and what the witness told. */
export interface OutputSpend {
  readonly txid: Txid;
  readonly height: number;
  /** The witness carried this HTLC preimage. */
  readonly preimage?: Uint8Array;
}

/** The kinds of outputs a monitor watches on chain. */
export type TrackedOutputKind =
  /** A revoked counterparty to_local, or the output of the counterparty's HTLC transaction on a revoked commitment: revocation path. */
  | { readonly kind: 'revoked_to_local'; readonly commitmentNumber: bigint; readonly witnessScript: Uint8Array }
  /** An HTLC output of a revoked counterparty commitment (offered: by the counterparty). */
  | { readonly kind: 'revoked_htlc'; readonly commitmentNumber: bigint; readonly witnessScript: Uint8Array; readonly htlc: MonitorHtlc }
  /** An HTLC output of an unrevoked counterparty commitment: preimage or timeout claim. */
  | {
      readonly kind: 'counterparty_htlc';
      readonly commitmentNumber: bigint;
      readonly perCommitmentPoint: Uint8Array;
      readonly witnessScript: Uint8Array;
      readonly htlc: MonitorHtlc;
    }
  /** An HTLC output of our commitment: HTLC-success or HTLC-timeout transaction. */
  | { readonly kind: 'holder_htlc'; readonly commitmentNumber: bigint; readonly witnessScript: Uint8Array; readonly htlc: MonitorHtlc }
  /** Our to_local, or the output of our HTLC transaction: ours after the CSV delay. */
  | { readonly kind: 'holder_delayed'; readonly commitmentNumber: bigint; readonly witnessScript: Uint8Array }
  /** Our to_remote on the counterparty's commitment (P2WPKH, or anchors' CSV 1 script). */
  | { readonly kind: 'static_payment'; readonly witnessScript?: Uint8Array }
  /** An output of one of our claims, paid to the destination script. */
  | { readonly kind: 'static_output' };

/** An output the monitor watches, with where it sits. */
export type TrackedOutput = TrackedOutputKind & {
  readonly outpoint: OutPoint;
  readonly amountSat: bigint;
  readonly script: Uint8Array;
  /** Height of the block that confirmed the transaction that created it. */
  readonly confirmedAt: number;
  /** Who spent it, once someone did. */
  spentBy?: OutputSpend;
};

/** How a claim package is completed and broadcast. */
export type PackageKind =
  /** We build and sign the whole transaction: aggregated, RBF-bumped. */
  | 'malleable'
  /** A pre-signed HTLC transaction of our commitment (without anchors): broadcast as is. */
  | 'holder_htlc'
  /** Zero-fee HTLC transactions of our anchor commitment: a BumpTransaction event completes them. */
  | 'anchor_htlc'
  /** Our commitment itself (anchors: a BumpTransaction event adds the CPFP child). */
  | 'holder_commitment';

/** A claim in flight: the outputs it spends and how its fee has gone. */
export interface ClaimPackage {
  readonly id: number;
  readonly kind: PackageKind;
  /** Keys (ln-types outPointKey) of the outputs it spends; the funding outpoint for `holder_commitment`. */
  outpoints: string[];
  /** Fee rate of the last broadcast (sat per 1000 weight); 0 before the first. */
  feerate: number;
  /** The height from which the next broadcast bumps the fee. */
  nextBumpHeight: number;
  /** True after a change of its outputs: rebuild at the next block. */
  stale: boolean;
}

/** The monitor's whole state. */
export interface MonitorState {
  readonly channelId: ChannelId;
  readonly counterpartyNodeId: NodeId;
  readonly channelKeysId: Uint8Array;
  readonly parameters: ChannelParameters;
  readonly destinationScript: Uint8Array;
  shutdownScript?: Uint8Array;
  latestUpdateId: bigint;

  holderCurrent: HolderCommitmentRecord;
  holderPrevious?: HolderCommitmentRecord;
  counterpartyCurrent: CounterpartyCommitment;
  counterpartyPrevious?: CounterpartyCommitment;
  /** Superseded counterparty commitments with HTLCs, by txid hex. */
  readonly counterpartyPast: Map<string, PastCounterpartyCommitment>;
  secrets: CounterpartySecrets;
  /** Preimages by payment hash hex. */
  readonly preimages: Map<string, Uint8Array>;

  /** ChannelManager closed the channel (a `channel_force_closed` step). */
  closedByManager: boolean;
  /** We broadcast (or must broadcast) our commitment; the reason. */
  holderBroadcast?: string;

  bestBlock: BestBlock;
  /** Blocks up to this height are ANTI_REORG_DELAY deep at the highest tip seen: what they did is final. */
  finalHeight: number;
  fundingSpend?: FundingSpend;
  /** Watched outputs by outpoint key. */
  readonly outputs: Map<string, TrackedOutput>;
  readonly packages: ClaimPackage[];
  nextPackageId: number;
  /** Sources (hex) an `htlc_resolved` event was given for: claimed with a preimage, or failed. */
  readonly resolvedSources: Map<string, 'claimed' | 'failed'>;
  /** Commitment txids (hex) a `commitment_tx_confirmed` event was given for. */
  readonly reportedCommitments: Set<string>;
  /** Events for ChannelManager not yet released. */
  readonly pendingMonitorEvents: MonitorEvent[];
  /** SpendableOutputs events not yet handed to the application. */
  readonly pendingSpendableEvents: SpendableOutputsEvent[];
}
