import { readChannelKeys, writeChannelKeys, type ChannelKeys } from './channel-keys.js';
import type { ChainHash, ChannelId } from 'ln-types';
import { bytesRecord } from '../../codec/fields.js';
import { defineTlvStream, type TlvStreamValue } from '../../codec/tlv.js';
import type { MessageCodec } from '../codec.js';
import { readExtension, withExtension, writeExtension } from '../extension.js';

/** `open_channel_tlvs` and `accept_channel_tlvs` (BOLT 2): the same two records. */
export const openChannelTlvStream = defineTlvStream({
  /** The script the sender will close to (empty: it opts out of upfront shutdown). */
  upfrontShutdownScript: bytesRecord(0),
  /** The channel type (BOLT 9 feature bits in the `channel_type` context). */
  channelType: bytesRecord(1),
});

export type OpenChannelTlvs = TlvStreamValue<typeof openChannelTlvStream.fields>;

/** `open_channel` (type 32): a v1 channel proposal from the funder. */
export interface OpenChannelMessage extends ChannelKeys {
  readonly type: 'open_channel';
  readonly chainHash: ChainHash;
  readonly temporaryChannelId: ChannelId;
  readonly fundingSatoshis: bigint;
  readonly pushMsat: bigint;
  readonly dustLimitSatoshis: bigint;
  readonly maxHtlcValueInFlightMsat: bigint;
  readonly channelReserveSatoshis: bigint;
  readonly htlcMinimumMsat: bigint;
  readonly feeratePerKw: number;
  readonly toSelfDelay: number;
  readonly maxAcceptedHtlcs: number;
  /** Bit 0: announce_channel. */
  readonly channelFlags: number;
  readonly tlvs?: OpenChannelTlvs;
}

/** `accept_channel` (type 33): the fundee's answer to `open_channel`. */
export interface AcceptChannelMessage extends ChannelKeys {
  readonly type: 'accept_channel';
  readonly temporaryChannelId: ChannelId;
  readonly dustLimitSatoshis: bigint;
  readonly maxHtlcValueInFlightMsat: bigint;
  readonly channelReserveSatoshis: bigint;
  readonly htlcMinimumMsat: bigint;
  readonly minimumDepth: number;
  readonly toSelfDelay: number;
  readonly maxAcceptedHtlcs: number;
  readonly tlvs?: OpenChannelTlvs;
}


export const openChannelCodec: MessageCodec<OpenChannelMessage> = {
  typeId: 32,
  name: 'open_channel',
  decode(r) {
    const m = {
      type: 'open_channel' as const,
      chainHash: r.bytes(32, 'chain_hash') as ChainHash,
      temporaryChannelId: r.bytes(32, 'temporary_channel_id') as ChannelId,
      fundingSatoshis: r.u64('funding_satoshis'),
      pushMsat: r.u64('push_msat'),
      dustLimitSatoshis: r.u64('dust_limit_satoshis'),
      maxHtlcValueInFlightMsat: r.u64('max_htlc_value_in_flight_msat'),
      channelReserveSatoshis: r.u64('channel_reserve_satoshis'),
      htlcMinimumMsat: r.u64('htlc_minimum_msat'),
      feeratePerKw: r.u32('feerate_per_kw'),
      toSelfDelay: r.u16('to_self_delay'),
      maxAcceptedHtlcs: r.u16('max_accepted_htlcs'),
      ...readChannelKeys(r),
      channelFlags: r.u8('channel_flags'),
    };
    return withExtension<OpenChannelMessage>(m, readExtension(r, openChannelTlvStream, 'open_channel'));
  },
  encode(m, w) {
    w.fixed(m.chainHash, 32, 'chain_hash')
      .fixed(m.temporaryChannelId, 32, 'temporary_channel_id')
      .u64(m.fundingSatoshis)
      .u64(m.pushMsat)
      .u64(m.dustLimitSatoshis)
      .u64(m.maxHtlcValueInFlightMsat)
      .u64(m.channelReserveSatoshis)
      .u64(m.htlcMinimumMsat)
      .u32(m.feeratePerKw)
      .u16(m.toSelfDelay)
      .u16(m.maxAcceptedHtlcs);
    writeChannelKeys(w, m)
      .u8(m.channelFlags);
    writeExtension(w, openChannelTlvStream, m.tlvs);
  },
};

export const acceptChannelCodec: MessageCodec<AcceptChannelMessage> = {
  typeId: 33,
  name: 'accept_channel',
  decode(r) {
    const m = {
      type: 'accept_channel' as const,
      temporaryChannelId: r.bytes(32, 'temporary_channel_id') as ChannelId,
      dustLimitSatoshis: r.u64('dust_limit_satoshis'),
      maxHtlcValueInFlightMsat: r.u64('max_htlc_value_in_flight_msat'),
      channelReserveSatoshis: r.u64('channel_reserve_satoshis'),
      htlcMinimumMsat: r.u64('htlc_minimum_msat'),
      minimumDepth: r.u32('minimum_depth'),
      toSelfDelay: r.u16('to_self_delay'),
      maxAcceptedHtlcs: r.u16('max_accepted_htlcs'),
      ...readChannelKeys(r),
    };
    return withExtension<AcceptChannelMessage>(m, readExtension(r, openChannelTlvStream, 'accept_channel'));
  },
  encode(m, w) {
    w.fixed(m.temporaryChannelId, 32, 'temporary_channel_id')
      .u64(m.dustLimitSatoshis)
      .u64(m.maxHtlcValueInFlightMsat)
      .u64(m.channelReserveSatoshis)
      .u64(m.htlcMinimumMsat)
      .u32(m.minimumDepth)
      .u16(m.toSelfDelay)
      .u16(m.maxAcceptedHtlcs);
    writeChannelKeys(w, m);
    writeExtension(w, openChannelTlvStream, m.tlvs);
  },
};
