import { OnionError } from './errors.js';
import type { EncryptedData } from './encrypted-data.js';

/** The incoming HTLC a blinded hop checks its `encrypted_data_tlv` against. */
export interface BlindedHtlcContext {
  readonly isFinal: boolean;
  readonly amountMsat: bigint;
  readonly cltvExpiry: number;
}

function refuse(message: string): never {
  throw new OnionError('invalid_blinded_data', message);
}

/**
 * The BOLT 4 reader rules on a payment's decrypted `encrypted_data_tlv`:
 * `payment_constraints` (expiry and minimum amount), `allowed_features` (this
 * package knows no feature a blinded payment may use, so any set bit is refused),
 * not both `short_channel_id` and `next_node_id`, and for a non-final hop a next
 * hop and `payment_relay`.
 * @throws OnionError `invalid_blinded_data`
 */
export function validateBlindedPaymentData(data: EncryptedData, htlc: BlindedHtlcContext): void {
  if (data.paymentConstraints !== undefined) {
    if (htlc.cltvExpiry > data.paymentConstraints.maxCltvExpiry) refuse('cltv_expiry above payment_constraints.max_cltv_expiry');
    if (htlc.amountMsat < data.paymentConstraints.htlcMinimumMsat) refuse('amount below payment_constraints.htlc_minimum_msat');
  }
  if (data.allowedFeatures !== undefined && data.allowedFeatures.some((b) => b !== 0)) refuse('allowed_features names a feature this node does not know');
  if (data.shortChannelId !== undefined && data.nextNodeId !== undefined) refuse('both short_channel_id and next_node_id');
  if (!htlc.isFinal) {
    if (data.shortChannelId === undefined && data.nextNodeId === undefined) refuse('non-final blinded hop without short_channel_id or next_node_id');
    if (data.paymentRelay === undefined) refuse('non-final blinded hop without payment_relay');
  }
}
