import type { NodeId, ShortChannelId } from 'ln-types';

/** A channel direction: 0 is the policy of node_id_1 (the smaller id), 1 of node_id_2 (BOLT 7). */
export type Direction = 0 | 1;

/**
 * A read-only view of the public channel graph, shaped for pathfinding.
 *
 * Nodes and channels have dense integer indexes (`0 .. nodeCount - 1`,
 * `0 .. channelCount - 1`) and every property is read through a method taking
 * the index, so an implementation can keep the graph in typed arrays and a
 * search can run without allocating per lookup. An implementation that
 * removes entries may leave vacant indexes: {@link hasChannel} tells, and a
 * vacant channel never appears in adjacency.
 *
 * Amounts in msat are `number`s: they are exact below 2^53 msat (over 90,000
 * BTC). An implementation clamps larger announced values to
 * `Number.MAX_SAFE_INTEGER`, which keeps their meaning for routing (such an
 * htlc_minimum can never be met, such an htlc_maximum never limits). The
 * exact u64 values belong to the gossip layer, not to this view.
 *
 * Indexes are valid until the graph changes; a router reads a view during one
 * search and keeps only short channel ids and node ids across searches.
 */
export interface NetworkGraphView {
  /** One more than the largest node index. */
  readonly nodeCount: number;
  /** One more than the largest channel index. */
  readonly channelCount: number;

  /** The index of a node, or -1 if the graph does not know it. */
  nodeIndex(id: NodeId): number;
  /** The id of node `n`. */
  nodeId(n: number): NodeId;
  /** The features of node `n`'s node_announcement (BOLT 9 bytes), empty if it has none. */
  nodeFeatures(n: number): Uint8Array;
  /** Number of live channels of node `n`. */
  nodeChannelCount(n: number): number;
  /** The `k`-th (0-based) live channel of node `n`, `k < nodeChannelCount(n)`. */
  nodeChannelAt(n: number, k: number): number;

  /** The index of a channel, or -1 if unknown. */
  channelIndex(scid: ShortChannelId): number;
  /** Whether channel index `c` holds a channel. */
  hasChannel(c: number): boolean;
  /** The short channel id of channel `c`. */
  channelScid(c: number): ShortChannelId;
  /** node_id_1 of channel `c` (a node index). */
  channelNode1(c: number): number;
  /** node_id_2 of channel `c` (a node index). */
  channelNode2(c: number): number;
  /** Capacity in satoshis, or -1 when unknown (announcement accepted without a funding lookup). */
  channelCapacitySat(c: number): number;
  /** The features of the channel_announcement (BOLT 9 bytes). */
  channelFeatures(c: number): Uint8Array;

  /** Whether direction `d` of channel `c` has a channel_update at all. */
  hasPolicy(c: number, d: Direction): boolean;
  /** Whether direction `d` has an update and its disable bit is clear. */
  policyEnabled(c: number, d: Direction): boolean;
  policyFeeBaseMsat(c: number, d: Direction): number;
  policyFeeProportionalMillionths(c: number, d: Direction): number;
  policyCltvExpiryDelta(c: number, d: Direction): number;
  policyHtlcMinimumMsat(c: number, d: Direction): number;
  policyHtlcMaximumMsat(c: number, d: Direction): number;
  /** The timestamp (seconds since the epoch) of the direction's last channel_update, 0 if none. */
  policyLastUpdate(c: number, d: Direction): number;
}

/** The other end of channel `c` seen from node `n` (which must be one of its ends). */
export function otherEnd(view: NetworkGraphView, c: number, n: number): number {
  const a = view.channelNode1(c);
  return a === n ? view.channelNode2(c) : a;
}

/** The direction of channel `c` used when forwarding from node `from` (one of its ends). */
export function directionFrom(view: NetworkGraphView, c: number, from: number): Direction {
  return view.channelNode1(c) === from ? 0 : 1;
}
