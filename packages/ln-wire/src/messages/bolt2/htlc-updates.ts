import type { ChannelId, PublicKey } from 'ln-types';
import { pointRecord } from '../../codec/fields.js';
import { defineTlvStream, emptyTlvStream, tlvField, type TlvField, type TlvStreamValue } from '../../codec/tlv.js';
import { WireError } from '../../errors.js';
import type { MessageCodec } from '../codec.js';
import { readExtension, withExtension, writeExtension } from '../extension.js';
import { readChannelId } from './common.js';

type Extension = TlvStreamValue<typeof emptyTlvStream.fields>;

/** Bytes of an onion routing packet (BOLT 4: version, point, 1300-byte payloads, HMAC). */
export const ONION_PACKET_LENGTH = 1366;

/** Hops covered by attribution data (BOLT 4 attributable failures). */
export const ATTRIBUTION_HOPS = 20;
/** Truncated (4-byte) HMACs in attribution data: 20 + 19 + ... + 1. */
export const ATTRIBUTION_HMAC_COUNT = 210;

/** `attribution_data` of `update_fulfill_htlc` and `update_fail_htlc`. */
export interface AttributionData {
  /** 20 hold times (u32, in units of 100 ms), one per hop. */
  readonly htlcHoldTimes: readonly number[];
  /** 210 truncated HMACs of 4 bytes each, concatenated (840 bytes). */
  readonly truncatedHmacs: Uint8Array;
}

const attributionDataRecord: TlvField<AttributionData> = tlvField(
  1,
  (r) => {
    const htlcHoldTimes: number[] = [];
    for (let i = 0; i < ATTRIBUTION_HOPS; i++) htlcHoldTimes.push(r.u32('htlc_hold_times'));
    return { htlcHoldTimes, truncatedHmacs: r.bytes(ATTRIBUTION_HMAC_COUNT * 4, 'truncated_hmacs') };
  },
  (v, w) => {
    if (v.htlcHoldTimes.length !== ATTRIBUTION_HOPS) throw new WireError('invalid_value', `attribution_data: ${ATTRIBUTION_HOPS} hold times expected`);
    for (const t of v.htlcHoldTimes) w.u32(t);
    w.fixed(v.truncatedHmacs, ATTRIBUTION_HMAC_COUNT * 4, 'truncated_hmacs');
  },
);

/** `update_add_htlc_tlvs`: the path key when the HTLC travels a blinded route. */
export const updateAddHtlcTlvStream = defineTlvStream({
  blindedPath: pointRecord(0, 'path_key') as TlvField<PublicKey>,
});
export type UpdateAddHtlcTlvs = TlvStreamValue<typeof updateAddHtlcTlvStream.fields>;

/** `update_fulfill_htlc_tlvs` and `update_fail_htlc_tlvs` (the same record). */
export const attributionTlvStream = defineTlvStream({
  attributionData: attributionDataRecord,
});
export type AttributionTlvs = TlvStreamValue<typeof attributionTlvStream.fields>;

/** `update_add_htlc` (type 128): offers an HTLC. */
export interface UpdateAddHtlcMessage {
  readonly type: 'update_add_htlc';
  readonly channelId: ChannelId;
  readonly id: bigint;
  readonly amountMsat: bigint;
  readonly paymentHash: Uint8Array;
  readonly cltvExpiry: number;
  /** The 1366-byte onion (BOLT 4). */
  readonly onionRoutingPacket: Uint8Array;
  readonly tlvs?: UpdateAddHtlcTlvs;
}

/** `update_fulfill_htlc` (type 130): settles an HTLC with its preimage. */
export interface UpdateFulfillHtlcMessage {
  readonly type: 'update_fulfill_htlc';
  readonly channelId: ChannelId;
  readonly id: bigint;
  readonly paymentPreimage: Uint8Array;
  readonly tlvs?: AttributionTlvs;
}

/** `update_fail_htlc` (type 131): fails an HTLC with an encrypted reason for the origin. */
export interface UpdateFailHtlcMessage {
  readonly type: 'update_fail_htlc';
  readonly channelId: ChannelId;
  readonly id: bigint;
  readonly reason: Uint8Array;
  readonly tlvs?: AttributionTlvs;
}

/** `update_fail_malformed_htlc` (type 135): the onion could not be parsed. */
export interface UpdateFailMalformedHtlcMessage {
  readonly type: 'update_fail_malformed_htlc';
  readonly channelId: ChannelId;
  readonly id: bigint;
  readonly sha256OfOnion: Uint8Array;
  /** A BOLT 4 failure code (the BADONION bit must be set; checked by the channel, not here). */
  readonly failureCode: number;
  readonly tlvs?: Extension;
}

/** `update_fee` (type 134): the funder changes the commitment feerate. */
export interface UpdateFeeMessage {
  readonly type: 'update_fee';
  readonly channelId: ChannelId;
  readonly feeratePerKw: number;
  readonly tlvs?: Extension;
}

export const updateAddHtlcCodec: MessageCodec<UpdateAddHtlcMessage> = {
  typeId: 128,
  name: 'update_add_htlc',
  decode(r) {
    const channelId = r.bytes(32, 'channel_id') as ChannelId;
    const id = r.u64('id');
    const amountMsat = r.u64('amount_msat');
    const paymentHash = r.bytes(32, 'payment_hash');
    const cltvExpiry = r.u32('cltv_expiry');
    const onionRoutingPacket = r.bytes(ONION_PACKET_LENGTH, 'onion_routing_packet');
    // The hot path: two literal shapes instead of adding a key later keeps the objects monomorphic.
    if (r.atEnd) return { type: 'update_add_htlc', channelId, id, amountMsat, paymentHash, cltvExpiry, onionRoutingPacket };
    const tlvs = updateAddHtlcTlvStream.decode(r, 'update_add_htlc tlvs');
    return { type: 'update_add_htlc', channelId, id, amountMsat, paymentHash, cltvExpiry, onionRoutingPacket, tlvs };
  },
  encode(m, w) {
    w.fixed(m.channelId, 32, 'channel_id')
      .u64(m.id)
      .u64(m.amountMsat)
      .fixed(m.paymentHash, 32, 'payment_hash')
      .u32(m.cltvExpiry)
      .fixed(m.onionRoutingPacket, ONION_PACKET_LENGTH, 'onion_routing_packet');
    writeExtension(w, updateAddHtlcTlvStream, m.tlvs);
  },
};

export const updateFulfillHtlcCodec: MessageCodec<UpdateFulfillHtlcMessage> = {
  typeId: 130,
  name: 'update_fulfill_htlc',
  decode(r) {
    const m = { type: 'update_fulfill_htlc' as const, channelId: readChannelId(r), id: r.u64('id'), paymentPreimage: r.bytes(32, 'payment_preimage') };
    return withExtension<UpdateFulfillHtlcMessage>(m, readExtension(r, attributionTlvStream, 'update_fulfill_htlc'));
  },
  encode(m, w) {
    w.fixed(m.channelId, 32, 'channel_id').u64(m.id).fixed(m.paymentPreimage, 32, 'payment_preimage');
    writeExtension(w, attributionTlvStream, m.tlvs);
  },
};

export const updateFailHtlcCodec: MessageCodec<UpdateFailHtlcMessage> = {
  typeId: 131,
  name: 'update_fail_htlc',
  decode(r) {
    const m = { type: 'update_fail_htlc' as const, channelId: readChannelId(r), id: r.u64('id'), reason: r.u16Bytes('reason') };
    return withExtension<UpdateFailHtlcMessage>(m, readExtension(r, attributionTlvStream, 'update_fail_htlc'));
  },
  encode(m, w) {
    w.fixed(m.channelId, 32, 'channel_id').u64(m.id).u16Bytes(m.reason, 'reason');
    writeExtension(w, attributionTlvStream, m.tlvs);
  },
};

export const updateFailMalformedHtlcCodec: MessageCodec<UpdateFailMalformedHtlcMessage> = {
  typeId: 135,
  name: 'update_fail_malformed_htlc',
  decode(r) {
    const m = {
      type: 'update_fail_malformed_htlc' as const,
      channelId: readChannelId(r),
      id: r.u64('id'),
      sha256OfOnion: r.bytes(32, 'sha256_of_onion'),
      failureCode: r.u16('failure_code'),
    };
    return withExtension<UpdateFailMalformedHtlcMessage>(m, readExtension(r, emptyTlvStream, 'update_fail_malformed_htlc'));
  },
  encode(m, w) {
    w.fixed(m.channelId, 32, 'channel_id').u64(m.id).fixed(m.sha256OfOnion, 32, 'sha256_of_onion').u16(m.failureCode);
    writeExtension(w, emptyTlvStream, m.tlvs);
  },
};

export const updateFeeCodec: MessageCodec<UpdateFeeMessage> = {
  typeId: 134,
  name: 'update_fee',
  decode(r) {
    const m = { type: 'update_fee' as const, channelId: readChannelId(r), feeratePerKw: r.u32('feerate_per_kw') };
    return withExtension<UpdateFeeMessage>(m, readExtension(r, emptyTlvStream, 'update_fee'));
  },
  encode(m, w) {
    w.fixed(m.channelId, 32, 'channel_id').u32(m.feeratePerKw);
    writeExtension(w, emptyTlvStream, m.tlvs);
  },
};
