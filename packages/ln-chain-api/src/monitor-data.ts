import type { ChannelId, NodeId, OutPoint, Txid } from 'ln-types';
import type { CommitmentHtlc } from 'ln-tx';
import type { ChannelParameters, CommitmentData } from 'ln-signer-api';
import type { BestBlock } from './best-block.js';

// What ChannelManager tells a ChannelMonitor, as plain data (no classes, no
// functions), so it can be persisted, replayed after a crash, or sent to a
// watchtower in another process (see codec/). The monitor rebuilds every
// transaction from this with ln-tx and signs through its own ChannelSigner,
// derived from `channelKeysId`; it never takes a transaction on trust.

/**
 * An HTLC of a commitment with what the monitor needs beyond the BOLT 3 fields.
 * Directions (`offered`) are from the commitment broadcaster's point of view, as
 * in {@link CommitmentHtlc}.
 */
export interface MonitorHtlc extends CommitmentHtlc {
  /** The BOLT 2 id the offering side gave it. */
  readonly htlcId: bigint;
  /**
   * For HTLCs we offered: ChannelManager's own record of where the HTLC came
   * from (an upstream HTLC to claim or fail, or a payment of ours), opaque to the
   * monitor, which hands it back in an `htlc_resolved` {@link MonitorEvent}.
   * Absent for HTLCs the counterparty offered.
   */
  readonly source?: Uint8Array;
}

/** A commitment as the monitor stores it: {@link CommitmentData} with {@link MonitorHtlc}s. */
export interface MonitorCommitmentData extends CommitmentData {
  readonly htlcs: readonly MonitorHtlc[];
}

/**
 * Our (the holder's) current commitment with the counterparty's signatures: what
 * the monitor broadcasts on a force close, and the HTLC transactions it can then
 * complete (the HTLC signatures, in commitment output order as BOLT 2 sends them).
 */
export interface HolderCommitment {
  readonly data: MonitorCommitmentData;
  /** The counterparty's compact (64-byte) signature of the commitment transaction. */
  readonly counterpartySignature: Uint8Array;
  /** The counterparty's compact signatures of the HTLC transactions, in output order. */
  readonly htlcSignatures: readonly Uint8Array[];
}

/**
 * A commitment we signed for the counterparty. The monitor keeps every one
 * (compactly) so it can recognise any of them on chain: the latest two may be
 * broadcast honestly, the older ones are revoked and get punished.
 */
export interface CounterpartyCommitment {
  readonly data: MonitorCommitmentData;
  /** Its txid, for matching the funding spend without rebuilding every old commitment. */
  readonly txid: Txid;
}

/**
 * Everything a monitor starts from (`Watch.watchChannel`), sent once the first
 * commitments are signed both ways and before funding_signed (opener) or
 * funding_created's answer (acceptor) leaves: from then on the counterparty can
 * broadcast, so the monitor must exist first.
 */
export interface NewChannelMonitor {
  readonly channelId: ChannelId;
  readonly counterpartyNodeId: NodeId;
  /** Passed to `SignerProvider.deriveChannelSigner` with `parameters.fundingAmountSat`. */
  readonly channelKeysId: Uint8Array;
  /** Keys, delays, dust limits, funding outpoint and value, commitment format. */
  readonly parameters: ChannelParameters;
  /** Where claims on counterparty commitments (justice, HTLC claims) are paid. */
  readonly destinationScript: Uint8Array;
  /** Our cooperative-close script, when fixed upfront. */
  readonly shutdownScript?: Uint8Array;
  /** Commitment 0 of ours, signed by the counterparty. */
  readonly holderCommitment: HolderCommitment;
  /** Commitment 0 of theirs, signed by us. */
  readonly counterpartyCommitment: CounterpartyCommitment;
  /** The tip when the monitor was created: it starts watching from there. */
  readonly bestBlock: BestBlock;
}

/** One change to a monitor's knowledge. */
export type ChannelMonitorUpdateStep =
  /** A newer holder commitment (we received and checked its commitment_signed). */
  | { readonly kind: 'latest_holder_commitment'; readonly commitment: HolderCommitment }
  /** A newer counterparty commitment (we are about to send its commitment_signed). */
  | { readonly kind: 'latest_counterparty_commitment'; readonly commitment: CounterpartyCommitment }
  /** A preimage we know: claim HTLCs with this hash on chain if it comes to that. */
  | { readonly kind: 'payment_preimage'; readonly preimage: Uint8Array }
  /** The counterparty revoked its commitment `commitmentNumber` (revoke_and_ack). */
  | { readonly kind: 'commitment_secret'; readonly commitmentNumber: bigint; readonly secret: Uint8Array }
  /**
   * The channel is closed for good. With `shouldBroadcast`, the monitor broadcasts
   * our latest holder commitment now (force close); without, the channel closed
   * another way (cooperatively, or our state is stale and broadcasting would be
   * punished) and the monitor only watches.
   */
  | { readonly kind: 'channel_force_closed'; readonly shouldBroadcast: boolean }
  /** Our cooperative-close script, once `shutdown` fixed it. */
  | { readonly kind: 'shutdown_script'; readonly script: Uint8Array };

/** The kinds of {@link ChannelMonitorUpdateStep}. */
export type ChannelMonitorUpdateStepKind = ChannelMonitorUpdateStep['kind'];

/**
 * A batch of steps to apply atomically (LDK's ChannelMonitorUpdate). `updateId`
 * counts up by one per channel from 1 (`watchChannel` is 0), so a monitor
 * refuses a gap or a replay and ChannelManager can replay what a monitor has not
 * persisted after a crash.
 */
export interface ChannelMonitorUpdate {
  readonly channelId: ChannelId;
  readonly updateId: bigint;
  readonly steps: readonly ChannelMonitorUpdateStep[];
}

/** An HTLC we offered, as a monitor knows it (for ChannelManager's start-up reconciliation). */
export interface MonitorOutboundHtlc {
  readonly source: Uint8Array;
  readonly paymentHash: Uint8Array;
  readonly amountMsat: bigint;
  /** The preimage, when the counterparty claimed it on chain and the monitor saw it. */
  readonly preimage?: Uint8Array;
  /**
   * True once it failed on chain (timed out, or not in the commitment that confirmed)
   * and the monitor gave its `htlc_resolved` event without a preimage: a manager that
   * lost that event in a crash fails the HTLC back at start-up.
   */
  readonly failed?: boolean;
}

/**
 * A read-only summary of a monitor, handed to ChannelManager when it is read
 * back from storage so it can reconcile (LDK's ChannelManagerReadArgs monitors):
 * a monitor ahead of the manager means the manager's copy is stale (force
 * close); a manager ahead of its monitor replays its in-flight updates; a
 * monitor with no channel in the manager is force closed.
 */
export interface ChannelMonitorView {
  readonly channelId: ChannelId;
  readonly counterpartyNodeId: NodeId;
  readonly fundingOutpoint: OutPoint;
  readonly channelKeysId: Uint8Array;
  /** The id of the last update applied and persisted. */
  readonly latestUpdateId: bigint;
  /** The number of our latest holder commitment. */
  readonly holderCommitmentNumber: bigint;
  /** The number of the latest counterparty commitment we signed. */
  readonly counterpartyCommitmentNumber: bigint;
  /** A commitment or closing transaction spent the funding output, or the channel was force closed. */
  readonly closed: boolean;
  /** HTLCs we offered that are in a commitment the monitor knows, with preimages learned on chain. */
  readonly outboundHtlcs: readonly MonitorOutboundHtlc[];
}
