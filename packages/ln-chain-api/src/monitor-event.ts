import type { ChannelId, NodeId, Txid } from 'ln-types';

/**
 * What a monitor tells ChannelManager (LDK's MonitorEvent), collected with
 * `Watch.releasePendingMonitorEvents`. Every event names its channel.
 */
export type MonitorEvent =
  /**
   * An HTLC we offered was settled on chain: claimed by the counterparty with
   * `preimage` (ChannelManager claims upstream, or reports the payment sent), or
   * timed out / failed (no `preimage`: fail upstream or report the path failed).
   */
  | {
      readonly kind: 'htlc_resolved';
      readonly channelId: ChannelId;
      readonly counterpartyNodeId: NodeId;
      readonly source: Uint8Array;
      readonly paymentHash: Uint8Array;
      readonly amountMsat: bigint;
      readonly preimage?: Uint8Array;
      /** The transaction that settled it, when one did. */
      readonly txid?: Txid;
    }
  /** The monitor broadcast our commitment on its own (an HTLC deadline was near, say): the channel is closed. */
  | { readonly kind: 'holder_force_closed'; readonly channelId: ChannelId; readonly counterpartyNodeId: NodeId; readonly reason: string }
  /** A commitment transaction (either side's) confirmed: the channel is closed on chain. */
  | { readonly kind: 'commitment_tx_confirmed'; readonly channelId: ChannelId; readonly counterpartyNodeId: NodeId; readonly txid: Txid }
  /** Updates up to and including `updateId` (and `watchChannel` when it is 0) are now durably persisted. */
  | { readonly kind: 'update_completed'; readonly channelId: ChannelId; readonly counterpartyNodeId: NodeId; readonly updateId: bigint };

/** The kinds of {@link MonitorEvent}. */
export type MonitorEventKind = MonitorEvent['kind'];
