import type { NodeId, ShortChannelId } from 'ln-types';

/**
 * One of our own usable channels, as the channel manager knows it. First hops
 * override the graph: when any are given, the router leaves the payer through
 * them only, with their real outbound liquidity.
 */
export interface FirstHop {
  readonly counterpartyNodeId: NodeId;
  /** The scid to put in the onion (the real one, or the outbound alias for an unannounced channel). */
  readonly shortChannelId: ShortChannelId;
  /** The largest HTLC we can add now, in msat. */
  readonly nextOutboundHtlcLimitMsat: bigint;
  /** The smallest HTLC the counterparty accepts, in msat. */
  readonly nextOutboundHtlcMinimumMsat: bigint;
  /** The counterparty's init features (BOLT 9 bytes). */
  readonly counterpartyFeatures: Uint8Array;
  /** The channel's features (BOLT 9 bytes). */
  readonly channelFeatures: Uint8Array;
}
