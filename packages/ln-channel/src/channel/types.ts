// The plain data a channel is made of. Everything here is serializable and
// holds no functions, so a channel can be written, read back and compared.
//
// Points of view: every spec and update below is seen from OUR side (the
// holder). An HTLC is `in` when the counterparty offered it to us and `out`
// when we offered it; `toLocal` is our balance. The counterparty's commitment is
// kept in the same orientation and flipped only when its transaction is built.

import type { ChannelId, NodeId, OutPoint, Txid } from 'ln-types';
import type { ChannelBasepoints, CommitmentFormat } from 'ln-tx';
import type { ChannelConfig } from '../config.js';

/** An HTLC as offered in update_add_htlc. */
export interface Htlc {
  /** The id the offering side gave it (each side counts from 0). */
  readonly id: bigint;
  readonly amountMsat: bigint;
  readonly paymentHash: Uint8Array;
  readonly cltvExpiry: number;
  /** The 1366-byte onion it carries (kept so it can be retransmitted and processed). */
  readonly onion: Uint8Array;
  /** update_add_htlc's `path_key` (route blinding), when present. */
  readonly blindingPoint?: Uint8Array;
  /**
   * For HTLCs we offered: ChannelManager's opaque record of where it came from
   * (a payment of ours or an upstream HTLC), handed to the monitor and back.
   */
  readonly source?: Uint8Array;
}

/** An HTLC in a commitment, with its direction from our point of view. */
export interface DirectedHtlc {
  readonly direction: 'in' | 'out';
  readonly htlc: Htlc;
}

/** The content of one commitment (either side's), from our point of view. */
export interface CommitmentSpec {
  readonly htlcs: readonly DirectedHtlc[];
  /** Our balance, HTLCs excluded, before fees and anchors. */
  readonly toLocalMsat: bigint;
  /** The counterparty's balance, HTLCs excluded, before fees and anchors. */
  readonly toRemoteMsat: bigint;
  readonly feeratePerKw: number;
}

/**
 * One BOLT 2 update message's effect. In OUR list (`localChanges`), `fulfill`,
 * `fail` and `fail_malformed` name an incoming HTLC (the counterparty's id); in
 * THEIR list (`remoteChanges`) they name an outgoing one (our id).
 */
export type Update =
  | { readonly kind: 'add'; readonly htlc: Htlc }
  | { readonly kind: 'fulfill'; readonly id: bigint; readonly preimage: Uint8Array; readonly attribution?: Uint8Array }
  | { readonly kind: 'fail'; readonly id: bigint; readonly reason: Uint8Array; readonly attribution?: Uint8Array }
  | { readonly kind: 'fail_malformed'; readonly id: bigint; readonly sha256OfOnion: Uint8Array; readonly failureCode: number }
  | { readonly kind: 'fee'; readonly feeratePerKw: number };

/**
 * Our updates, by how far they have travelled (BOLT 2's two-sided commitment):
 * - `proposed`: sent, not yet covered by a commitment_signed of ours;
 * - `signed`: in the counterparty's next commitment (our commitment_signed sent), awaiting its revoke_and_ack;
 * - `acked`: the counterparty revoked its previous commitment: they are irrevocably in
 *   its commitment and go into ours with its next commitment_signed.
 */
export interface LocalChanges {
  readonly proposed: readonly Update[];
  readonly signed: readonly Update[];
  readonly acked: readonly Update[];
}

/**
 * The counterparty's updates:
 * - `proposed`: received, not yet covered by its commitment_signed;
 * - `acked`: in our current commitment (it signed, we revoked): they go into its
 *   commitment with our next commitment_signed;
 * - `signed`: in its next commitment (our commitment_signed sent), awaiting its revoke_and_ack.
 *   Then they are irrevocably committed on both sides.
 */
export interface RemoteChanges {
  readonly proposed: readonly Update[];
  readonly acked: readonly Update[];
  readonly signed: readonly Update[];
}

/** Our current commitment: the counterparty's signatures make it broadcastable. */
export interface LocalCommit {
  readonly number: bigint;
  readonly spec: CommitmentSpec;
  /** The counterparty's compact signature of our commitment transaction. */
  readonly signature: Uint8Array;
  /** Its signatures of our HTLC transactions, in commitment output order. */
  readonly htlcSignatures: readonly Uint8Array[];
}

/** A commitment of the counterparty's that we signed. */
export interface RemoteCommit {
  readonly number: bigint;
  readonly spec: CommitmentSpec;
  readonly txid: Txid;
  /** Its per-commitment point (the counterparty's). */
  readonly point: Uint8Array;
}

/** A commitment we signed and sent, awaiting the counterparty's revoke_and_ack for the one before. */
export interface NextRemoteCommit extends RemoteCommit {
  /** What we sent, kept for retransmission after a reconnection. */
  readonly signature: Uint8Array;
  readonly htlcSignatures: readonly Uint8Array[];
}

/** An update we want to send but cannot yet (LDK's holding cell). */
export type HoldingCellUpdate =
  | { readonly kind: 'add'; readonly amountMsat: bigint; readonly paymentHash: Uint8Array; readonly cltvExpiry: number; readonly onion: Uint8Array; readonly blindingPoint?: Uint8Array; readonly source: Uint8Array }
  | { readonly kind: 'fulfill'; readonly id: bigint; readonly preimage: Uint8Array; readonly attribution?: Uint8Array }
  | { readonly kind: 'fail'; readonly id: bigint; readonly reason: Uint8Array; readonly attribution?: Uint8Array }
  | { readonly kind: 'fail_malformed'; readonly id: bigint; readonly sha256OfOnion: Uint8Array; readonly failureCode: number };

/**
 * What one side announced in open_channel / accept_channel. Per BOLT 2 most of
 * these bind the OTHER side: `channelReserveSat` is what the other side must
 * keep, `htlcMinimumMsat`, `maxHtlcValueInFlightMsat` and `maxAcceptedHtlcs`
 * limit HTLCs the other side offers, and `toSelfDelay` delays the other side's
 * outputs. Only `dustLimitSat` is about the announcer's own commitment.
 */
export interface SideParams {
  readonly basepoints: ChannelBasepoints;
  readonly dustLimitSat: bigint;
  readonly maxHtlcValueInFlightMsat: bigint;
  readonly channelReserveSat: bigint;
  readonly htlcMinimumMsat: bigint;
  readonly toSelfDelay: number;
  readonly maxAcceptedHtlcs: number;
  /** The upfront shutdown script it committed to, if any. */
  readonly upfrontShutdownScript?: Uint8Array;
}

/** The parameters a channel keeps for its whole life (after the open/accept exchange). */
export interface ChannelParams {
  readonly channelId: ChannelId;
  readonly temporaryChannelId: ChannelId;
  readonly counterpartyNodeId: NodeId;
  readonly userChannelId: bigint;
  readonly channelKeysId: Uint8Array;
  /** We funded it (sent open_channel). */
  readonly isOutbound: boolean;
  readonly channelValueSat: bigint;
  readonly fundingOutpoint: OutPoint;
  /** The negotiated `channel_type` feature bits. */
  readonly channelType: Uint8Array;
  readonly format: CommitmentFormat;
  /** channel_flags bit 0. */
  readonly announced: boolean;
  readonly holder: SideParams;
  readonly counterparty: SideParams;
  /** Confirmations before channel_ready (0 for zero-conf). */
  readonly minimumDepth: number;
  /** Where monitors sweep our on-chain funds. */
  readonly destinationScript: Uint8Array;
  /** Our alias for the channel (sent in channel_ready's short_channel_id). */
  readonly outboundScidAlias: bigint;
}

/** The closing_signed negotiation in progress. */
export interface ClosingNegotiation {
  /** Our acceptable range (satoshis), fixed once computed (LDK recomputes it on reconnection). */
  readonly minFeeSat: bigint;
  readonly maxFeeSat: bigint;
  readonly lastSentFeeSat?: bigint;
  readonly lastReceivedFeeSat?: bigint;
  /** The counterparty's signature of the closing transaction with `lastReceivedFeeSat`. */
  readonly lastReceivedSignature?: Uint8Array;
}

/** Where a funded channel is in its life. */
export type FundedStatus =
  /** Monitor being created / funding not yet confirmed deep enough on one side or both. */
  | 'awaiting_channel_ready'
  /** Both channel_ready exchanged: HTLCs flow. */
  | 'ready'
  /** shutdown sent or received: HTLCs drain, no new ones. */
  | 'shutting_down'
  /** Both shutdowns done and no HTLCs left: closing_signed negotiation. */
  | 'negotiating_closing'
  /** Closed (mutual close broadcast, force closed, or funding never came). */
  | 'closed';

/**
 * Everything a funded channel (one with a monitor) is, as plain data: what the
 * ChannelManager writes and reads back.
 */
export interface ChannelState {
  readonly params: ChannelParams;
  status: FundedStatus;

  localCommit: LocalCommit;
  remoteCommit: RemoteCommit;
  /** Set while our commitment_signed awaits the counterparty's revoke_and_ack. */
  nextRemoteCommit: NextRemoteCommit | undefined;
  /**
   * The counterparty's per-commitment point for `remoteCommit.number + 1`: the
   * next commitment we will sign for it (the same as `nextRemoteCommit.point` while that exists).
   */
  remoteNextPoint: Uint8Array;
  /** The counterparty's revealed per-commitment secrets (BOLT 3 compact store, serialized). */
  remoteSecrets: Uint8Array;

  localChanges: LocalChanges;
  remoteChanges: RemoteChanges;
  localNextHtlcId: bigint;
  remoteNextHtlcId: bigint;
  holdingCell: HoldingCellUpdate[];
  /** A fee update we want to send (opener only) when we can. */
  holdingCellFee: number | undefined;
  /**
   * Which of our last revoke_and_ack and our last commitment_signed went first,
   * for retransmitting both in the same order after a reconnection (LDK's resend_order).
   */
  resendOrder: 'revoke_and_ack_first' | 'commitment_first';

  /** Monitor updates: the last id issued (`watchChannel` is 0). */
  latestMonitorUpdateId: bigint;

  /** Funding confirmation: the height and block position once seen (for the short channel id). */
  fundingConfirmedHeight: number | undefined;
  fundingTxIndex: number | undefined;
  /** The height at which we started waiting for funding (the fundee gives up after 2016 blocks). */
  fundingWaitStartHeight: number;
  shortChannelId: bigint | undefined;
  channelReadySent: boolean;
  channelReadyReceived: boolean;
  /** The counterparty's alias for this channel (from its channel_ready). */
  counterpartyScidAlias: bigint | undefined;
  /** ChannelPending / ChannelReady events emitted. */
  pendingEventEmitted: boolean;
  readyEventEmitted: boolean;
  /** The funding transaction, kept by the opener until it is broadcast. */
  fundingTx: Uint8Array | undefined;
  fundingBroadcast: boolean;
  /** The batch this channel's funding transaction funds (several channels broadcast together). */
  fundingBatchId: string | undefined;

  /** Our shutdown script once chosen (upfront or in shutdown). */
  localShutdownScript: Uint8Array | undefined;
  shutdownSent: boolean;
  /** The counterparty's shutdown script once received. */
  remoteShutdownScript: Uint8Array | undefined;
  /** Who sent shutdown first, for the ChannelClosed reason. */
  shutdownInitiator: 'local' | 'remote' | undefined;
  /** A fee rate the user asked for in closeChannel (sat/kw). */
  targetClosingFeerate: number | undefined;
  closing: ClosingNegotiation | undefined;
  /** The mutual close transaction once signed both ways. */
  closingTx: Uint8Array | undefined;

  /**
   * Incoming HTLCs accepted into the channel but refused by policy (dust
   * exposure, fee-spike buffer, shutdown): failed back with this BOLT 4 code
   * once irrevocably committed, instead of being handed to the HTLC handler.
   */
  inboundFailures: { readonly id: bigint; readonly failureCode: number }[];
  /** Per-channel relay settings (may change while open). */
  config: ChannelConfig;
}
