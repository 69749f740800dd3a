import type { BlindedPaymentPath } from 'ln-router-api';

/** The hop payloads of an onion packet (BOLT 4) share 1300 bytes. */
export const ONION_PAYLOADS_BYTES = 1300;
const HMAC = 32;

/** BigSize length of `n`. */
function bigSizeLength(n: number): number {
  return n < 0xfd ? 1 : n <= 0xffff ? 3 : 5;
}

/** One payload's room in the onion: its length prefix, the TLV stream and the HMAC. */
function framed(tlvBytes: number): number {
  return bigSizeLength(tlvBytes) + tlvBytes + HMAC;
}

/**
 * Largest intermediate payload: amt_to_forward (tu64, up to 8 bytes),
 * outgoing_cltv_value (tu32, up to 4) and short_channel_id (8), each with a
 * 1-byte type and length: 26 bytes, 59 with framing. Using the maximum keeps
 * the bound independent of amounts.
 */
export const INTERMEDIATE_PAYLOAD_BYTES = framed(10 + 6 + 10);

/** Largest final payload of a clear payment: amount, cltv and payment_data (secret + total_msat). */
export const FINAL_PAYLOAD_BYTES = framed(10 + 6 + (2 + 32 + 8));

/** Bytes of the payloads of a blinded path's hops (the introduction node's included). */
export function blindedPayloadBytes(path: BlindedPaymentPath): number {
  let total = 0;
  const last = path.hops.length - 1;
  path.hops.forEach((hop, i) => {
    const n = hop.encryptedPayload.length;
    let tlv = 1 + bigSizeLength(n) + n; // encrypted_recipient_data
    if (i === 0) tlv += 2 + 33; // current_path_key at the introduction node
    if (i === last) tlv += 10 + 6 + 10; // amt_to_forward, outgoing_cltv_value, total_amount_msat
    total += framed(tlv);
  });
  return total;
}

/**
 * The largest number of RouteHops of a path whose tail payloads take
 * `tailBytes`: (hops - 1) intermediate payloads plus the tail must fit.
 * Returns 0 when even the tail alone does not fit.
 */
export function maxRouteHops(tailBytes: number): number {
  const room = ONION_PAYLOADS_BYTES - tailBytes;
  if (room < 0) return 0;
  return Math.floor(room / INTERMEDIATE_PAYLOAD_BYTES) + 1;
}
