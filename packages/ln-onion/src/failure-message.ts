import { emptyTlvStream, Reader, WireError, Writer, type TlvRecord } from 'ln-wire';
import { OnionError } from './errors.js';

/** Failure code flags (BOLT 4). */
export const BADONION = 0x8000;
export const PERM = 0x4000;
export const NODE = 0x2000;
export const UPDATE = 0x1000;

/** Every failure code BOLT 4 defines, by name. */
export const FAILURE_CODES = {
  invalid_realm: PERM | 1,
  temporary_node_failure: NODE | 2,
  permanent_node_failure: PERM | NODE | 2,
  required_node_feature_missing: PERM | NODE | 3,
  invalid_onion_version: BADONION | PERM | 4,
  invalid_onion_hmac: BADONION | PERM | 5,
  invalid_onion_key: BADONION | PERM | 6,
  temporary_channel_failure: UPDATE | 7,
  permanent_channel_failure: PERM | 8,
  required_channel_feature_missing: PERM | 9,
  unknown_next_peer: PERM | 10,
  amount_below_minimum: UPDATE | 11,
  fee_insufficient: UPDATE | 12,
  incorrect_cltv_expiry: UPDATE | 13,
  expiry_too_soon: UPDATE | 14,
  incorrect_or_unknown_payment_details: PERM | 15,
  final_incorrect_cltv_expiry: 18,
  final_incorrect_htlc_amount: 19,
  channel_disabled: UPDATE | 20,
  expiry_too_far: 21,
  invalid_onion_payload: PERM | 22,
  mpp_timeout: 23,
  invalid_onion_blinding: BADONION | PERM | 24,
} as const;

/** The name of a BOLT 4 failure. */
export type FailureName = keyof typeof FAILURE_CODES;

const NAME_OF = new Map<number, FailureName>(Object.entries(FAILURE_CODES).map(([n, c]) => [c, n as FailureName]));

/** The name of a failure code, or undefined for a code BOLT 4 does not define. */
export function failureNameOf(code: number): FailureName | undefined {
  return NAME_OF.get(code);
}

/**
 * A failure message with its typed data. `channelUpdate` is the
 * `channel_update` bytes as carried (possibly empty: BOLT 4 no longer requires
 * it), kept raw so the message re-encodes byte for byte; `failureChannelUpdate`
 * gives it typed.
 * `tlvs` are the optional trailing failure TLV records (unknown odd ones kept).
 */
export type FailureMessage = (
  | { readonly name: 'invalid_realm' | 'temporary_node_failure' | 'permanent_node_failure' | 'required_node_feature_missing' }
  | { readonly name: 'permanent_channel_failure' | 'required_channel_feature_missing' | 'unknown_next_peer' | 'expiry_too_far' | 'mpp_timeout' }
  | { readonly name: 'invalid_onion_version' | 'invalid_onion_hmac' | 'invalid_onion_key' | 'invalid_onion_blinding'; readonly sha256OfOnion: Uint8Array }
  | { readonly name: 'temporary_channel_failure' | 'expiry_too_soon'; readonly channelUpdate: Uint8Array }
  | { readonly name: 'amount_below_minimum' | 'fee_insufficient'; readonly htlcMsat: bigint; readonly channelUpdate: Uint8Array }
  | { readonly name: 'incorrect_cltv_expiry'; readonly cltvExpiry: number; readonly channelUpdate: Uint8Array }
  | { readonly name: 'incorrect_or_unknown_payment_details'; readonly htlcMsat: bigint; readonly height: number }
  | { readonly name: 'final_incorrect_cltv_expiry'; readonly cltvExpiry: number }
  | { readonly name: 'final_incorrect_htlc_amount'; readonly incomingHtlcAmtMsat: bigint }
  | { readonly name: 'channel_disabled'; readonly disabledFlags: number; readonly channelUpdate: Uint8Array }
  | { readonly name: 'invalid_onion_payload'; readonly tlvType: bigint; readonly offset: number }
  | { readonly name: 'unknown'; readonly code: number; readonly data: Uint8Array }
) & { readonly tlvs?: readonly TlvRecord[] };

/** The failure code of a message. */
export function failureCode(message: FailureMessage): number {
  return message.name === 'unknown' ? message.code : FAILURE_CODES[message.name];
}

/**
 * Serialises a failure message: u16 code, its data, then any TLV records.
 * @throws OnionError `invalid_failure_message` for out-of-range fields
 */
export function encodeFailureMessage(message: FailureMessage): Uint8Array {
  const w = new Writer(64);
  try {
    w.u16(failureCode(message));
    switch (message.name) {
      case 'invalid_onion_version':
      case 'invalid_onion_hmac':
      case 'invalid_onion_key':
      case 'invalid_onion_blinding':
        w.fixed(message.sha256OfOnion, 32, 'sha256_of_onion');
        break;
      case 'temporary_channel_failure':
      case 'expiry_too_soon':
        w.u16Bytes(message.channelUpdate, 'channel_update');
        break;
      case 'amount_below_minimum':
      case 'fee_insufficient':
        w.u64(message.htlcMsat).u16Bytes(message.channelUpdate, 'channel_update');
        break;
      case 'incorrect_cltv_expiry':
        w.u32(message.cltvExpiry).u16Bytes(message.channelUpdate, 'channel_update');
        break;
      case 'incorrect_or_unknown_payment_details':
        w.u64(message.htlcMsat).u32(message.height);
        break;
      case 'final_incorrect_cltv_expiry':
        w.u32(message.cltvExpiry);
        break;
      case 'final_incorrect_htlc_amount':
        w.u64(message.incomingHtlcAmtMsat);
        break;
      case 'channel_disabled':
        w.u16(message.disabledFlags).u16Bytes(message.channelUpdate, 'channel_update');
        break;
      case 'invalid_onion_payload':
        w.bigSize(message.tlvType).u16(message.offset);
        break;
      case 'unknown':
        w.bytes(message.data);
        break;
      default:
        break;
    }
    if (message.tlvs !== undefined && message.tlvs.length > 0) emptyTlvStream.encode({ unknown: [...message.tlvs] }, w);
  } catch (cause) {
    if (cause instanceof WireError) throw new OnionError('invalid_failure_message', `cannot encode ${message.name}: ${cause.message}`, { cause });
    throw cause;
  }
  return w.finish().slice();
}

/**
 * Parses a failure message. Codes BOLT 4 does not define are returned as
 * `unknown` with their data (flags still tell the sender how to react).
 * @throws OnionError `invalid_failure_message`
 */
export function decodeFailureMessage(bytes: Uint8Array): FailureMessage {
  try {
    const r = new Reader(bytes);
    const code = r.u16('failure_code');
    const name = NAME_OF.get(code);
    let body: FailureMessage;
    switch (name) {
      case 'invalid_onion_version':
      case 'invalid_onion_hmac':
      case 'invalid_onion_key':
      case 'invalid_onion_blinding':
        body = { name, sha256OfOnion: r.bytes(32, 'sha256_of_onion').slice() };
        break;
      case 'temporary_channel_failure':
      case 'expiry_too_soon':
        body = { name, channelUpdate: r.u16Bytes('channel_update').slice() };
        break;
      case 'amount_below_minimum':
      case 'fee_insufficient':
        body = { name, htlcMsat: r.u64('htlc_msat'), channelUpdate: r.u16Bytes('channel_update').slice() };
        break;
      case 'incorrect_cltv_expiry':
        body = { name, cltvExpiry: r.u32('cltv_expiry'), channelUpdate: r.u16Bytes('channel_update').slice() };
        break;
      case 'incorrect_or_unknown_payment_details':
        body = { name, htlcMsat: r.u64('htlc_msat'), height: r.u32('height') };
        break;
      case 'final_incorrect_cltv_expiry':
        body = { name, cltvExpiry: r.u32('cltv_expiry') };
        break;
      case 'final_incorrect_htlc_amount':
        body = { name, incomingHtlcAmtMsat: r.u64('incoming_htlc_amt') };
        break;
      case 'channel_disabled':
        body = { name, disabledFlags: r.u16('disabled_flags'), channelUpdate: r.u16Bytes('channel_update').slice() };
        break;
      case 'invalid_onion_payload':
        body = { name, tlvType: r.bigSize('type'), offset: r.u16('offset') };
        break;
      case undefined:
        return { name: 'unknown', code, data: r.rest().slice() };
      default:
        body = { name };
    }
    if (r.atEnd) return body;
    const tlvs = emptyTlvStream.decode(r, 'failure tlvs');
    return tlvs.unknown === undefined ? body : { ...body, tlvs: tlvs.unknown.map((t) => ({ type: t.type, value: t.value.slice() })) };
  } catch (cause) {
    if (cause instanceof WireError) throw new OnionError('invalid_failure_message', `malformed failure message: ${cause.message}`, { cause });
    throw cause;
  }
}

/** True when the code has the BADONION flag: the only codes `update_fail_malformed_htlc` may carry. */
export function isBadOnionCode(code: number): boolean {
  return (code & BADONION) !== 0;
}
