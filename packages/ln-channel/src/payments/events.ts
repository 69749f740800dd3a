import type { FailureMessage } from 'ln-onion';
import type { Path } from 'ln-router-api';
import type { ChannelId, NodeId, ShortChannelId } from 'ln-types';
import type { ChannelUpdateMessage, TlvRecord } from 'ln-wire';

// The payment events ChannelManager hands the user (plain data, after LDK's
// Event variants, in the manager's Event style: a snake_case `kind`). Amounts
// are msat; ids, hashes and preimages 32 bytes.

/** What a payment received is for (LDK's PaymentPurpose). */
export type PaymentPurpose =
  /** A BOLT 11 invoice payment (the preimage is known when the node made the invoice's hash). */
  | { readonly kind: 'bolt11_invoice_payment'; readonly paymentPreimage?: Uint8Array; readonly paymentSecret: Uint8Array }
  /** A keysend payment (the preimage came in the onion). */
  | { readonly kind: 'spontaneous_payment'; readonly paymentPreimage: Uint8Array };

/** One HTLC of a claimed payment. */
export interface ClaimedHtlc {
  readonly channelId: ChannelId;
  readonly htlcId: bigint;
  readonly amountMsat: bigint;
  readonly cltvExpiry: number;
}

/** The onion fields the sender gave the recipient. */
export interface RecipientOnionFields {
  readonly paymentSecret?: Uint8Array;
  readonly paymentMetadata?: Uint8Array;
  /** Odd custom records (type >= 65536). */
  readonly customRecords: readonly TlvRecord[];
}

/** A payment to us has all its parts: claim it with claimFunds(preimage) or fail it with failHtlcBackwards(hash) before `claimDeadline`. */
export interface PaymentClaimableEvent {
  readonly kind: 'payment_claimable';
  readonly paymentHash: Uint8Array;
  /** What we receive: the sum of the HTLCs (may exceed what the sender meant, never less). */
  readonly amountMsat: bigint;
  readonly purpose: PaymentPurpose;
  readonly onionFields: RecipientOnionFields;
  /** Our node id. */
  readonly receiverNodeId: NodeId;
  /** The channel the first part came in on, and all of them. */
  readonly viaChannelId: ChannelId;
  readonly viaChannelIds: readonly ChannelId[];
  /** The block height after which the HTLCs are failed back unclaimed. */
  readonly claimDeadline: number;
}

/** A claimed payment to us: the preimage is durably with every part. */
export interface PaymentClaimedEvent {
  readonly kind: 'payment_claimed';
  readonly paymentHash: Uint8Array;
  readonly amountMsat: bigint;
  readonly purpose: PaymentPurpose;
  readonly receiverNodeId: NodeId;
  readonly htlcs: readonly ClaimedHtlc[];
  /** The total the sender meant to pay (total_msat). */
  readonly senderIntendedTotalMsat: bigint;
}

/** One of our payments succeeded (emitted once, at the first preimage). */
export interface PaymentSentEvent {
  readonly kind: 'payment_sent';
  readonly paymentId: Uint8Array;
  readonly paymentHash: Uint8Array;
  readonly paymentPreimage: Uint8Array;
  /** Fees paid over the paths that succeeded (known once every part is resolved; parts still out are counted). */
  readonly feePaidMsat: bigint;
}

/** A path of a successful payment was settled (for the scorer and statistics). */
export interface PaymentPathSuccessfulEvent {
  readonly kind: 'payment_path_successful';
  readonly paymentId: Uint8Array;
  readonly paymentHash: Uint8Array;
  readonly path: Path;
}

/** What we learned from a failed path. */
export type PathFailure =
  /** Failed before it left: our first channel refused the HTLC. */
  | { readonly kind: 'initial_send'; readonly error: string }
  /** Failed on the way, with what the onion error told us. */
  | {
      readonly kind: 'on_path';
      /** The BOLT 4 failure code, when the error could be read. */
      readonly failureCode?: number;
      /** The node that reported the failure, when known. */
      readonly erringNodeId?: NodeId;
      /** Its index in the onion's layers (path.hops, then the blinded hops after the introduction node). */
      readonly erringHopIndex?: number;
      /** The channel blamed, when one is. */
      readonly shortChannelId?: bigint;
      /** The BOLT 4 failure, decoded. */
      readonly failure?: FailureMessage;
      /** The channel_update the failure carried (for retries only: never apply it to the graph). */
      readonly channelUpdate?: ChannelUpdateMessage;
      /** Hold times (100 ms units) reported by the hops whose attribution HMAC verified, in route order. */
      readonly holdTimes: readonly number[];
    };

/** A path of one of our payments failed. */
export interface PaymentPathFailedEvent {
  readonly kind: 'payment_path_failed';
  readonly paymentId: Uint8Array;
  readonly paymentHash: Uint8Array;
  /** True when the payee rejected the payment (or the failure makes any retry pointless). */
  readonly paymentFailedPermanently: boolean;
  readonly failure: PathFailure;
  readonly path: Path;
  /** The channel blamed (fed to the scorer and avoided on retries), when one is. */
  readonly shortChannelId?: ShortChannelId;
}

/** Why a payment of ours failed for good. */
export type PaymentFailureReason =
  | 'recipient_rejected'
  | 'user_abandoned'
  | 'retries_exhausted'
  | 'payment_expired'
  | 'route_not_found'
  | 'unexpected_error';

/** One of our payments failed for good: no part is in flight any more and nothing will be retried. */
export interface PaymentFailedEvent {
  readonly kind: 'payment_failed';
  readonly paymentId: Uint8Array;
  readonly paymentHash: Uint8Array;
  readonly reason: PaymentFailureReason;
}

/** A probe reached its destination (the destination refused it, as a probe must be refused). */
export interface ProbeSuccessfulEvent {
  readonly kind: 'probe_successful';
  readonly paymentId: Uint8Array;
  readonly paymentHash: Uint8Array;
  readonly path: Path;
}

/** A probe failed on the way, at `shortChannelId` when known. */
export interface ProbeFailedEvent {
  readonly kind: 'probe_failed';
  readonly paymentId: Uint8Array;
  readonly paymentHash: Uint8Array;
  readonly path: Path;
  readonly shortChannelId?: ShortChannelId;
}

/** We forwarded an HTLC and were paid for it. */
export interface PaymentForwardedEvent {
  readonly kind: 'payment_forwarded';
  readonly prevChannelId: ChannelId;
  readonly nextChannelId: ChannelId;
  readonly prevNodeId: NodeId;
  readonly nextNodeId: NodeId;
  /** Incoming minus outgoing amount. */
  readonly totalFeeEarnedMsat: bigint;
  readonly outboundAmountForwardedMsat: bigint;
  /** True when the preimage came from the chain (the outgoing channel was closed). */
  readonly claimFromOnchainTx: boolean;
}

/** Where a failed incoming HTLC was going. */
export type HtlcDestination =
  | { readonly kind: 'next_hop_channel'; readonly nodeId?: NodeId; readonly channelId: ChannelId }
  | { readonly kind: 'unknown_next_hop'; readonly requestedForwardScid: ShortChannelId }
  | { readonly kind: 'invalid_forward'; readonly requestedForwardScid: ShortChannelId }
  | { readonly kind: 'invalid_onion' }
  | { readonly kind: 'failed_payment'; readonly paymentHash: Uint8Array };

/** We failed an incoming HTLC back (a refused forward, a refused or timed-out payment, a bad onion). */
export interface HtlcHandlingFailedEvent {
  readonly kind: 'htlc_handling_failed';
  readonly prevChannelId: ChannelId;
  readonly failedNextDestination: HtlcDestination;
  /** The BOLT 4 failure sent back, when we were the erring node. */
  readonly failure?: FailureMessage;
}

/** An HTLC to one of our intercept scids arrived: forward it with forwardInterceptedHtlc or fail it with failInterceptedHtlc. */
export interface HtlcInterceptedEvent {
  readonly kind: 'htlc_intercepted';
  readonly interceptId: Uint8Array;
  readonly requestedNextHopScid: ShortChannelId;
  readonly paymentHash: Uint8Array;
  readonly inboundAmountMsat: bigint;
  /** What the onion asks us to forward. */
  readonly expectedOutboundAmountMsat: bigint;
}

/** Every payment event. */
export type PaymentEvent =
  | PaymentClaimableEvent
  | PaymentClaimedEvent
  | PaymentSentEvent
  | PaymentPathSuccessfulEvent
  | PaymentPathFailedEvent
  | PaymentFailedEvent
  | ProbeSuccessfulEvent
  | ProbeFailedEvent
  | PaymentForwardedEvent
  | HtlcHandlingFailedEvent
  | HtlcInterceptedEvent;
