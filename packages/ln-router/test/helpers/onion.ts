// Turning a route into BOLT 4 hop payloads, in the tests only: the router
// returns plain data and knows nothing of onions (issue 8), so this conversion
// belongs to whoever sends the payment. Kept here to show it needs nothing but
// the Route's fields.
import type { HopPayload } from 'ln-onion';
import type { Path } from 'ln-router-api';

/** What the final hop of every path of a payment carries (BOLT 4 `payment_data`). */
export interface FinalHopData {
  /** The invoice's payment secret. */
  readonly paymentSecret: Uint8Array;
  /** The whole payment's amount: the sum over all paths for a multi-path payment. */
  readonly totalMsat: bigint;
}

/**
 * The BOLT 4 payload for each hop of a path without a blinded tail, in path
 * order (payload i is read by `path.hops[i].nodeId`).
 *
 * A RouteHop describes the HTLC that reaches its node: `amountMsat` and
 * `cltvExpiryDelta` (blocks above the current height) over `shortChannelId`.
 * So an intermediate node i is told to forward what hop i + 1 carries, over
 * hop i + 1's channel: amt_to_forward = hops[i+1].amountMsat,
 * outgoing_cltv_value = height + hops[i+1].cltvExpiryDelta,
 * short_channel_id = hops[i+1].shortChannelId. The final node is told what it
 * receives (its own hop's amount and cltv) and gets `payment_data`.
 */
export function pathHopPayloads(path: Path, blockHeight: number, final: FinalHopData): HopPayload[] {
  if (path.blindedTail !== undefined) throw new Error('paths with a blinded tail take their last payloads from the blinded path');
  return path.hops.map((hop, i): HopPayload => {
    const next = path.hops[i + 1];
    if (next !== undefined) {
      return { amtToForward: next.amountMsat, outgoingCltvValue: blockHeight + next.cltvExpiryDelta, shortChannelId: next.shortChannelId };
    }
    return { amtToForward: hop.amountMsat, outgoingCltvValue: blockHeight + hop.cltvExpiryDelta, paymentData: { paymentSecret: final.paymentSecret, totalMsat: final.totalMsat } };
  });
}
