import {
  bytesRecord,
  defineTlvStream,
  pointRecord,
  Reader,
  shortChannelIdRecord,
  tlvField,
  Writer,
  type TlvStreamValue,
} from 'ln-wire';
import { asOnionError } from './wire-errors.js';

/** `payment_relay`: what a blinded hop charges and how much CLTV it takes. */
export interface PaymentRelay {
  readonly cltvExpiryDelta: number;
  readonly feeProportionalMillionths: number;
  readonly feeBaseMsat: number;
}

/** `payment_constraints`: the limits a blinded hop enforces. */
export interface PaymentConstraints {
  readonly maxCltvExpiry: number;
  readonly htlcMinimumMsat: bigint;
}

/** The `encrypted_data_tlv` namespace (route blinding's per-hop instructions). */
export const encryptedDataStream = defineTlvStream({
  padding: bytesRecord(1),
  shortChannelId: shortChannelIdRecord(2),
  nextNodeId: pointRecord(4, 'next_node_id'),
  pathId: bytesRecord(6),
  nextPathKeyOverride: pointRecord(8, 'next_path_key_override'),
  paymentRelay: tlvField<PaymentRelay>(
    10,
    (r) => ({ cltvExpiryDelta: r.u16('cltv_expiry_delta'), feeProportionalMillionths: r.u32('fee_proportional_millionths'), feeBaseMsat: r.truncatedNumber(4, 'fee_base_msat') }),
    (v, w) => {
      w.u16(v.cltvExpiryDelta).u32(v.feeProportionalMillionths).truncated(v.feeBaseMsat, 4);
    },
  ),
  paymentConstraints: tlvField<PaymentConstraints>(
    12,
    (r) => ({ maxCltvExpiry: r.u32('max_cltv_expiry'), htlcMinimumMsat: r.tu64('htlc_minimum_msat') }),
    (v, w) => {
      w.u32(v.maxCltvExpiry).truncated(v.htlcMinimumMsat, 8);
    },
  ),
  allowedFeatures: bytesRecord(14),
});

/** Decoded `encrypted_data_tlv` (unknown odd records kept in `unknown`). */
export type EncryptedData = TlvStreamValue<typeof encryptedDataStream.fields>;

/** Encodes an `encrypted_data_tlv`. */
export function encodeEncryptedData(data: EncryptedData): Uint8Array {
  return asOnionError('invalid_blinded_data', 'encrypted_data_tlv', () => {
    const w = new Writer(64);
    encryptedDataStream.encode(data, w);
    return w.finish().slice();
  });
}

/**
 * Decodes an `encrypted_data_tlv` (unknown even fields refused, as BOLT 4 requires).
 * @throws OnionError `invalid_blinded_data`
 */
export function decodeEncryptedData(bytes: Uint8Array): EncryptedData {
  return asOnionError('invalid_blinded_data', 'encrypted_data_tlv', () => encryptedDataStream.decode(new Reader(bytes), 'encrypted_data_tlv'));
}
