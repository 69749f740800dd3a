// The user-facing events of ChannelManager (after LDK's events::Event): plain
// data, handed to the application by `processPendingEvents` and removed once
// its handler returns; they are part of what `write()` persists.

import type { ChannelId, NodeId, OutPoint } from 'ln-types';
import type { PaymentEvent } from './payments/events.js';

/** Why a channel closed (LDK's ClosureReason). */
export type ClosureReason =
  /** The counterparty sent an error (and so force closes, or wants us to). */
  | { readonly kind: 'counterparty_force_closed'; readonly peerMessage: string }
  /** We closed it: the user asked, or a local check failed (`broadcastedLatestTxn` says whether our commitment went to the monitor for broadcast). */
  | { readonly kind: 'holder_force_closed'; readonly broadcastedLatestTxn: boolean }
  /** A cooperative close we started. */
  | { readonly kind: 'locally_initiated_cooperative_closure' }
  /** A cooperative close the counterparty started. */
  | { readonly kind: 'counterparty_initiated_cooperative_closure' }
  /** A commitment transaction confirmed (either side's). */
  | { readonly kind: 'commitment_tx_confirmed' }
  /** The funding transaction never confirmed in time. */
  | { readonly kind: 'funding_timed_out' }
  /** We closed it because the counterparty broke the protocol (`error` is what we told it). */
  | { readonly kind: 'processing_error'; readonly error: string }
  /** The peer disconnected before the channel was funded. */
  | { readonly kind: 'disconnected_peer' }
  /** On restart the manager was older than the channel's monitor (LDK's OutdatedChannelManager). */
  | { readonly kind: 'outdated_channel_manager' }
  /** The counterparty closed a channel that was never funded. */
  | { readonly kind: 'counterparty_coop_closed_unfunded_channel' }
  /** Another channel of the same batch funding failed. */
  | { readonly kind: 'funding_batch_closure' }
  /** An HTLC was about to expire and the monitor force closed. */
  | { readonly kind: 'htlcs_timed_out' }
  /** The counterparty's fee rate is too low for safety. */
  | { readonly kind: 'peer_feerate_too_low'; readonly peerFeeratePerKw: number; readonly requiredFeeratePerKw: number }
  /**
   * The peer proved (option_data_loss_protect) that our state is stale: our
   * commitment is revoked and was NOT broadcast. Restore the latest backup of the
   * monitor if there is one; otherwise wait for the peer to broadcast its commitment.
   */
  | { readonly kind: 'data_loss_detected'; readonly message: string };

// The payment types are the payments layer's (src/payments/events.ts).
export type { PaymentPurpose, ClaimedHtlc, PathFailure, HtlcDestination, RecipientOnionFields, PaymentFailureReason } from './payments/events.js';

/** Every event ChannelManager emits. */
export type Event =
  /**
   * Our open_channel was accepted: build a transaction paying `channelValueSat`
   * to `outputScript` and pass it (signed, unbroadcast) to `fundingTransactionGenerated`.
   */
  | {
      readonly kind: 'funding_generation_ready';
      readonly temporaryChannelId: ChannelId;
      readonly counterpartyNodeId: NodeId;
      readonly channelValueSat: bigint;
      readonly outputScript: Uint8Array;
      readonly userChannelId: bigint;
    }
  /** Funding signed both ways and the monitor persisted: the funding transaction is (or will be) broadcast. */
  | {
      readonly kind: 'channel_pending';
      readonly channelId: ChannelId;
      readonly userChannelId: bigint;
      readonly formerTemporaryChannelId: ChannelId;
      readonly counterpartyNodeId: NodeId;
      readonly fundingTxo: OutPoint;
      readonly channelType: Uint8Array;
    }
  /** channel_ready exchanged both ways: the channel can carry payments. */
  | { readonly kind: 'channel_ready'; readonly channelId: ChannelId; readonly userChannelId: bigint; readonly counterpartyNodeId: NodeId; readonly channelType: Uint8Array }
  /** The channel closed (or an unfunded one was dropped). */
  | {
      readonly kind: 'channel_closed';
      readonly channelId: ChannelId;
      readonly userChannelId: bigint;
      readonly reason: ClosureReason;
      readonly counterpartyNodeId: NodeId;
      readonly channelCapacitySat: bigint;
      readonly channelFundingTxo?: OutPoint;
      /** Our balance when it closed (msat), HTLCs in flight excluded. */
      readonly lastLocalBalanceMsat?: bigint;
    }
  /** A funding transaction we were given will never be broadcast by us: its inputs may be reused. */
  | { readonly kind: 'discard_funding'; readonly channelId: ChannelId; readonly fundingTx: Uint8Array }
  /** A peer wants to open a channel (with `manuallyAcceptInboundChannels`): accept or reject it. */
  | {
      readonly kind: 'open_channel_request';
      readonly temporaryChannelId: ChannelId;
      readonly counterpartyNodeId: NodeId;
      readonly fundingSatoshis: bigint;
      readonly pushMsat: bigint;
      readonly channelType: Uint8Array;
      readonly isAnnounced: boolean;
    }
  /** The payment events: payment_claimable, payment_claimed, payment_sent, payment_path_successful, payment_path_failed, payment_failed, probe_successful, probe_failed, payment_forwarded, htlc_handling_failed, htlc_intercepted. */
  | PaymentEvent;

/** The kinds of {@link Event}. */
export type EventKind = Event['kind'];
