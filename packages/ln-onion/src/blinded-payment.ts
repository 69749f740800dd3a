import { OnionError } from './errors.js';
import { encodeHopPayload, type HopPayload } from './hop-payload.js';
import type { PaymentRelay } from './encrypted-data.js';
import type { BlindedPath } from './route-blinding.js';
import type { SphinxHop } from './sphinx.js';

/** What the final (recipient) hop of a blinded path is told by the sender. */
export interface BlindedFinalHopData {
  readonly amtToForward: bigint;
  readonly outgoingCltvValue: number;
  readonly totalAmountMsat: bigint;
  /** Custom records (odd types >= 65536) to add to the final payload. */
  readonly customRecords?: HopPayload['unknown'];
}

/**
 * The onion hops for paying through a blinded path, to be appended to the
 * sender's own (unblinded) hops up to the introduction node: the introduction
 * node gets an unblinded layer carrying `current_path_key`, each later hop a layer
 * for its blinded node id carrying only its `encrypted_recipient_data`, and the
 * recipient also the amount, expiry and total.
 */
export function blindedPathOnionHops(path: BlindedPath, final: BlindedFinalHopData): SphinxHop[] {
  if (path.hops.length === 0) throw new OnionError('invalid_route', 'blinded path has no hops');
  const last = path.hops.length - 1;
  return path.hops.map((hop, i) => {
    const payload: HopPayload = { encryptedRecipientData: hop.encryptedData };
    if (i === 0) payload.currentPathKey = path.firstPathKey;
    if (i === last) {
      payload.amtToForward = final.amtToForward;
      payload.outgoingCltvValue = final.outgoingCltvValue;
      payload.totalAmountMsat = final.totalAmountMsat;
      if (final.customRecords !== undefined && final.customRecords.length > 0) payload.unknown = [...final.customRecords];
    }
    return { publicKey: i === 0 ? path.introductionNodeId : hop.blindedNodeId, payload: encodeHopPayload(payload) };
  });
}

/** The aggregate fees and CLTV delta of a blinded path (`blinded_payinfo`), as the recipient computes them for the sender. */
export interface BlindedPayInfo {
  readonly feeBaseMsat: bigint;
  readonly feeProportionalMillionths: bigint;
  readonly cltvExpiryDelta: number;
}

/**
 * BOLT 4's aggregation of the `payment_relay` of each non-final hop (in path
 * order), rounding up as the spec does, plus the recipient's min_final_cltv_expiry_delta.
 */
export function aggregateBlindedPayInfo(relays: readonly PaymentRelay[], minFinalCltvExpiryDelta = 0): BlindedPayInfo {
  const M = 1_000_000n;
  let base = 0n;
  let prop = 0n;
  let cltv = minFinalCltvExpiryDelta;
  for (let i = relays.length - 1; i >= 0; i--) {
    const r = relays[i]!;
    const fb = BigInt(r.feeBaseMsat);
    const fp = BigInt(r.feeProportionalMillionths);
    base = (fb * M + base * (M + fp) + M - 1n) / M;
    prop = ((prop + fp) * M + prop * fp + M - 1n) / M;
    cltv += r.cltvExpiryDelta;
  }
  return { feeBaseMsat: base, feeProportionalMillionths: prop, cltvExpiryDelta: cltv };
}

/**
 * The amount and expiry a blinded intermediate hop forwards (BOLT 4):
 * amt_to_forward = ceil((amount - fee_base) * 1e6 / (1e6 + fee_proportional)),
 * outgoing_cltv_value = cltv_expiry - cltv_expiry_delta.
 */
export function blindedForwardingValues(relay: PaymentRelay, incomingAmountMsat: bigint, incomingCltvExpiry: number): { amtToForward: bigint; outgoingCltvValue: number } {
  const M = 1_000_000n;
  const fp = BigInt(relay.feeProportionalMillionths);
  const amt = ((incomingAmountMsat - BigInt(relay.feeBaseMsat)) * M + M + fp - 1n) / (M + fp);
  return { amtToForward: amt, outgoingCltvValue: incomingCltvExpiry - relay.cltvExpiryDelta };
}
