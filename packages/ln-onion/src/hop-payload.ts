import {
  bytesRecord,
  defineTlvStream,
  fixedBytesRecord,
  pointRecord,
  Reader,
  shortChannelIdRecord,
  tlvField,
  tu32Record,
  tu64Record,
  Writer,
  type TlvRecord,
  type TlvStreamValue,
} from 'ln-wire';
import { OnionError } from './errors.js';
import { asOnionError } from './wire-errors.js';

/** `payment_data`: the invoice's payment secret and the total amount of the (multi-part) payment. */
export interface PaymentData {
  readonly paymentSecret: Uint8Array;
  readonly totalMsat: bigint;
}

const paymentDataRecord = tlvField<PaymentData>(
  8,
  (r) => ({ paymentSecret: r.bytes(32, 'payment_secret').slice(), totalMsat: r.tu64('total_msat') }),
  (v, w) => {
    w.fixed(v.paymentSecret, 32, 'payment_secret').truncated(v.totalMsat, 8);
  },
);

/** TLV type of the keysend preimage custom record (even: a node that accepts keysend must know it). */
export const KEYSEND_PREIMAGE_TYPE = 5482373484n;

/** The BOLT 4 `payload` TLV namespace (a payment onion's per-hop payload), plus the keysend preimage record. */
export const hopPayloadStream = defineTlvStream({
  amtToForward: tu64Record(2),
  outgoingCltvValue: tu32Record(4),
  shortChannelId: shortChannelIdRecord(6),
  paymentData: paymentDataRecord,
  encryptedRecipientData: bytesRecord(10),
  currentPathKey: pointRecord(12, 'current_path_key'),
  paymentMetadata: bytesRecord(16),
  totalAmountMsat: tu64Record(18),
  keysendPreimage: fixedBytesRecord(KEYSEND_PREIMAGE_TYPE, 32, 'keysend preimage'),
});

/**
 * A decoded hop payload. Unknown odd records, such as odd custom records (type
 * 65536 and up), are kept in `unknown`; unknown even ones are refused (BOLT 1).
 */
export type HopPayload = TlvStreamValue<typeof hopPayloadStream.fields>;

/** Custom records start at this type (BOLT 4 reserves the types below). */
export const CUSTOM_RECORD_MIN_TYPE = 65536n;

/** Encodes a hop payload to its TLV bytes (records in type order, custom records included). */
export function encodeHopPayload(payload: HopPayload): Uint8Array {
  return asOnionError('invalid_hop_payload', 'hop payload', () => {
    const w = new Writer(128);
    hopPayloadStream.encode({ ...payload, ...(payload.unknown && { unknown: [...payload.unknown].sort((a, b) => (a.type < b.type ? -1 : 1)) }) }, w);
    return w.finish().slice();
  });
}

/**
 * Decodes a hop payload's TLV bytes (strict BOLT 1 rules: order, minimal
 * encodings, unknown even types refused).
 * @throws OnionError `invalid_hop_payload`
 */
export function decodeHopPayload(bytes: Uint8Array): HopPayload {
  return asOnionError('invalid_hop_payload', 'hop payload', () => hopPayloadStream.decode(new Reader(bytes), 'hop payload'));
}

/** The custom records (type >= 65536) of a payload. */
export function customRecords(payload: HopPayload): TlvRecord[] {
  return (payload.unknown ?? []).filter((r) => r.type >= CUSTOM_RECORD_MIN_TYPE);
}

/** Where the payload sits: the last hop or not, and whether `update_add_htlc` carried a `path_key`. */
export interface HopContext {
  readonly isFinal: boolean;
  readonly pathKeyInUpdateAdd: boolean;
}

const BLINDED_INTERMEDIATE = new Set(['encryptedRecipientData', 'currentPathKey', 'unknown']);
const BLINDED_FINAL = new Set(['encryptedRecipientData', 'currentPathKey', 'amtToForward', 'outgoingCltvValue', 'totalAmountMsat', 'unknown']);

function refuse(message: string): never {
  throw new OnionError('invalid_hop_payload', message);
}

/**
 * Checks the BOLT 4 reader rules on which fields a hop payload must or must not
 * carry, for a final or intermediate hop, inside or outside a blinded route.
 * (Amount and expiry checks against the incoming HTLC are the channel's.)
 * @throws OnionError `invalid_hop_payload`
 */
export function validateHopPayload(payload: HopPayload, context: HopContext): void {
  const present = Object.keys(payload).filter((k) => (payload as Record<string, unknown>)[k] !== undefined);
  if (payload.encryptedRecipientData !== undefined) {
    if (context.pathKeyInUpdateAdd && payload.currentPathKey !== undefined) refuse('current_path_key present although update_add_htlc carries a path_key');
    if (!context.pathKeyInUpdateAdd && payload.currentPathKey === undefined) refuse('blinded hop without a path key');
    const allowed = context.isFinal ? BLINDED_FINAL : BLINDED_INTERMEDIATE;
    const extra = present.filter((k) => !allowed.has(k));
    if (extra.length > 0) refuse(`blinded ${context.isFinal ? 'final' : 'intermediate'} hop carries ${extra.join(', ')}`);
    if (context.isFinal && (payload.amtToForward === undefined || payload.outgoingCltvValue === undefined || payload.totalAmountMsat === undefined)) {
      refuse('blinded final hop lacks amt_to_forward, outgoing_cltv_value or total_amount_msat');
    }
    return;
  }
  if (context.pathKeyInUpdateAdd || payload.currentPathKey !== undefined) refuse('path key without encrypted_recipient_data');
  if (payload.amtToForward === undefined || payload.outgoingCltvValue === undefined) refuse('amt_to_forward and outgoing_cltv_value are required');
  if (context.isFinal) {
    if (payload.shortChannelId !== undefined) refuse('final hop carries short_channel_id');
  } else {
    if (payload.shortChannelId === undefined) refuse('intermediate hop lacks short_channel_id');
    if (payload.paymentData !== undefined) refuse('intermediate hop carries payment_data');
  }
}
