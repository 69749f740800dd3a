import type { NodeId, ShortChannelId } from 'ln-types';

/**
 * One hop of a path: the channel taken to reach `nodeId`, with the HTLC that
 * crosses it. The hop list is enough for ln-onion to build the payloads: the
 * payload for hop i carries `amount_to_forward = hops[i + 1].amountMsat` and
 * `outgoing_cltv_value = height + hops[i + 1].cltvExpiryDelta`; the final hop
 * carries its own amount and delta.
 */
export interface RouteHop {
  /** The node reached by this hop. */
  readonly nodeId: NodeId;
  /** Features of `nodeId` (BOLT 9 bytes; from its node_announcement, first hop or invoice). */
  readonly nodeFeatures: Uint8Array;
  /** The channel crossed (its real scid or an alias for a private channel). */
  readonly shortChannelId: ShortChannelId;
  /** Features of the channel (BOLT 9 bytes). */
  readonly channelFeatures: Uint8Array;
  /** Amount of the HTLC over this channel, in msat. */
  readonly amountMsat: bigint;
  /** Fee `nodeId` keeps for forwarding to the next hop (0 for the last hop of a path without a blinded tail). */
  readonly feeMsat: bigint;
  /** The HTLC's cltv_expiry over this channel, in blocks above the current height. */
  readonly cltvExpiryDelta: number;
  /** False for a channel we only know from a route hint or first hop. */
  readonly announced: boolean;
}

/** A hop inside a blinded path: a blinded node id and its encrypted recipient data. */
export interface BlindedHop {
  readonly blindedNodeId: Uint8Array;
  readonly encryptedPayload: Uint8Array;
}

/**
 * The blinded part at the end of a path: the last unblinded hop is the
 * introduction node, which receives `amountMsat` of the last RouteHop and
 * forwards `finalValueMsat` through the blinded hops.
 */
export interface BlindedTail {
  readonly hops: readonly BlindedHop[];
  /** The first blinding point (E_0), given to the introduction node. */
  readonly blindingPoint: Uint8Array;
  /** Extra cltv blocks added beyond the blinded path's own delta (shadow routing), usually 0. */
  readonly excessFinalCltvExpiryDelta: number;
  /** What the recipient receives over this path, in msat. */
  readonly finalValueMsat: bigint;
}

/** One path of a route: hops from our first peer to the payee (or introduction node). */
export interface Path {
  readonly hops: readonly RouteHop[];
  readonly blindedTail?: BlindedTail;
}

/** A route: one path, or several for a multi-path payment. */
export interface Route {
  readonly paths: readonly Path[];
}

/** What the payee receives over a path, in msat. */
export function pathFinalValueMsat(path: Path): bigint {
  if (path.blindedTail !== undefined) return path.blindedTail.finalValueMsat;
  const last = path.hops[path.hops.length - 1];
  return last === undefined ? 0n : last.amountMsat;
}

/** What the payer sends into a path (the first hop's amount), in msat. */
export function pathAmountSentMsat(path: Path): bigint {
  return path.hops[0]?.amountMsat ?? 0n;
}

/** The total fee of a path, blinded part included, in msat. */
export function pathFeeMsat(path: Path): bigint {
  return pathAmountSentMsat(path) - pathFinalValueMsat(path);
}

/** The cltv_expiry of the first HTLC, relative to the current height (the path's total cltv). */
export function pathTotalCltvExpiryDelta(path: Path): number {
  return path.hops[0]?.cltvExpiryDelta ?? 0;
}

/** What the payee receives over the whole route, in msat. */
export function routeFinalValueMsat(route: Route): bigint {
  return route.paths.reduce((sum, p) => sum + pathFinalValueMsat(p), 0n);
}

/** The total fee of the route, in msat. */
export function routeFeeMsat(route: Route): bigint {
  return route.paths.reduce((sum, p) => sum + pathFeeMsat(p), 0n);
}
