import { defaultSecp256k1, type Secp256k1Backend } from 'ln-crypto';
import { aggregateBlindedPayInfo, createBlindedPath, encodeEncryptedData, type PaymentRelay } from 'ln-onion';
import type { BlindedPaymentPath } from 'ln-router-api';
import type { NodeId, ShortChannelId } from 'ln-types';
import { PaymentError } from './errors.js';

/** A node on the way to us in a blinded path, and the channel it forwards over (towards us). */
export interface BlindedPathHop {
  readonly nodeId: NodeId;
  /** The channel from this node to the next node of the path (the last one's reaches us). */
  readonly shortChannelId: ShortChannelId;
  /** What this node charges and the cltv delta it takes (its policy for that channel). */
  readonly relay: PaymentRelay;
}

/** What a blinded path to us is made of. */
export interface BlindedReceivePathParams {
  /** Our node id (the path's last hop). */
  readonly payee: NodeId;
  /** The payment secret of the inbound payment (it travels as the path_id, encrypted to us). */
  readonly paymentSecret: Uint8Array;
  /** The nodes before us, the introduction node first (empty: we are the introduction node). */
  readonly hops: readonly BlindedPathHop[];
  /** The latest cltv_expiry we accept for the final HTLC (the path stops working after it). */
  readonly maxCltvExpiry: number;
  /** The smallest HTLC any hop of the path carries. */
  readonly htlcMinimumMsat: bigint;
  /** The largest amount the path carries (what the payer's router may send over it). */
  readonly htlcMaximumMsat: bigint;
  /** Our min_final_cltv_expiry_delta (the inbound payment's). */
  readonly minFinalCltvExpiryDelta: number;
  /** 32 random bytes (EntropySource): the path's blinding session key. */
  readonly sessionKey: Uint8Array;
  readonly secp256k1?: Secp256k1Backend;
}

/**
 * A blinded payment path to us (BOLT 4 route blinding, the recipient's side,
 * as BOLT 12 invoices carry them): each hop's encrypted data names its next
 * channel, its payment_relay and payment_constraints; ours carries the payment
 * secret as path_id, so receiving through the path is an ordinary invoice
 * payment to us. The payinfo is BOLT 4's aggregation of the relays.
 * @throws PaymentError `invalid_params`
 */
export function createBlindedReceivePath(p: BlindedReceivePathParams): BlindedPaymentPath {
  if (p.paymentSecret.length !== 32) throw new PaymentError('invalid_length', 'a payment secret is 32 bytes');
  if (!Number.isInteger(p.maxCltvExpiry) || p.maxCltvExpiry <= 0) throw new PaymentError('invalid_expiry', 'maxCltvExpiry must be a block height');
  const backend = p.secp256k1 ?? defaultSecp256k1;
  // Each hop accepts an expiry up to ours plus the deltas of the hops after it.
  const maxOf: number[] = [];
  let max = p.maxCltvExpiry;
  for (let i = p.hops.length - 1; i >= 0; i--) {
    max += p.hops[i]!.relay.cltvExpiryDelta;
    maxOf[i] = max;
  }
  const constraints = (maxCltvExpiry: number) => ({ maxCltvExpiry, htlcMinimumMsat: p.htlcMinimumMsat });
  const blinding = [
    ...p.hops.map((h, i) => ({
      nodeId: h.nodeId,
      data: encodeEncryptedData({ shortChannelId: h.shortChannelId, paymentRelay: h.relay, paymentConstraints: constraints(maxOf[i]!) }),
    })),
    { nodeId: p.payee, data: encodeEncryptedData({ pathId: p.paymentSecret, paymentConstraints: constraints(p.maxCltvExpiry) }) },
  ];
  let path;
  try {
    path = createBlindedPath(p.sessionKey, blinding, backend);
  } catch (cause) {
    throw new PaymentError('invalid_params', `cannot blind the path: ${(cause as Error).message}`, { cause });
  }
  const payinfo = aggregateBlindedPayInfo(
    p.hops.map((h) => h.relay),
    p.minFinalCltvExpiryDelta,
  );
  return {
    introductionNodeId: path.introductionNodeId as NodeId,
    blindingPoint: path.firstPathKey,
    hops: path.hops.map((h) => ({ blindedNodeId: h.blindedNodeId, encryptedPayload: h.encryptedData })),
    feeBaseMsat: Number(payinfo.feeBaseMsat),
    feeProportionalMillionths: Number(payinfo.feeProportionalMillionths),
    cltvExpiryDelta: payinfo.cltvExpiryDelta,
    htlcMinimumMsat: p.htlcMinimumMsat,
    htlcMaximumMsat: p.htlcMaximumMsat,
    features: new Uint8Array(0),
  };
}
