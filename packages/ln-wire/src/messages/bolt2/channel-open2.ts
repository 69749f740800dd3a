import { readChannelKeys, writeChannelKeys, type ChannelKeys } from './channel-keys.js';
import type { ChainHash, ChannelId, PublicKey } from 'ln-types';
import { bytesRecord, flagRecord } from '../../codec/fields.js';
import { defineTlvStream, type TlvStreamValue } from '../../codec/tlv.js';
import type { MessageCodec } from '../codec.js';
import { readExtension, withExtension, writeExtension } from '../extension.js';
import { readChannelId, readKey as point } from './common.js';

/** `opening_tlvs` / `accept_tlvs` (BOLT 2, channel establishment v2). */
export const openChannel2TlvStream = defineTlvStream({
  upfrontShutdownScript: bytesRecord(0),
  channelType: bytesRecord(1),
  /** The sender asks the peer to contribute only confirmed inputs. */
  requireConfirmedInputs: flagRecord(2),
});

export type OpenChannel2Tlvs = TlvStreamValue<typeof openChannel2TlvStream.fields>;

/** `open_channel2` (type 64): a dual-funded channel proposal (option_dual_fund). */
export interface OpenChannel2Message extends ChannelKeys {
  readonly type: 'open_channel2';
  readonly chainHash: ChainHash;
  readonly temporaryChannelId: ChannelId;
  readonly fundingFeeratePerkw: number;
  readonly commitmentFeeratePerkw: number;
  readonly fundingSatoshis: bigint;
  readonly dustLimitSatoshis: bigint;
  readonly maxHtlcValueInFlightMsat: bigint;
  readonly htlcMinimumMsat: bigint;
  readonly toSelfDelay: number;
  readonly maxAcceptedHtlcs: number;
  readonly locktime: number;
  readonly secondPerCommitmentPoint: PublicKey;
  readonly channelFlags: number;
  readonly tlvs?: OpenChannel2Tlvs;
}

/** `accept_channel2` (type 65): the accepter's answer to `open_channel2`. */
export interface AcceptChannel2Message extends ChannelKeys {
  readonly type: 'accept_channel2';
  readonly temporaryChannelId: ChannelId;
  readonly fundingSatoshis: bigint;
  readonly dustLimitSatoshis: bigint;
  readonly maxHtlcValueInFlightMsat: bigint;
  readonly htlcMinimumMsat: bigint;
  readonly minimumDepth: number;
  readonly toSelfDelay: number;
  readonly maxAcceptedHtlcs: number;
  readonly secondPerCommitmentPoint: PublicKey;
  readonly tlvs?: OpenChannel2Tlvs;
}

export const openChannel2Codec: MessageCodec<OpenChannel2Message> = {
  typeId: 64,
  name: 'open_channel2',
  decode(r) {
    const m = {
      type: 'open_channel2' as const,
      chainHash: r.bytes(32, 'chain_hash') as ChainHash,
      temporaryChannelId: readChannelId(r, 'temporary_channel_id'),
      fundingFeeratePerkw: r.u32('funding_feerate_perkw'),
      commitmentFeeratePerkw: r.u32('commitment_feerate_perkw'),
      fundingSatoshis: r.u64('funding_satoshis'),
      dustLimitSatoshis: r.u64('dust_limit_satoshis'),
      maxHtlcValueInFlightMsat: r.u64('max_htlc_value_in_flight_msat'),
      htlcMinimumMsat: r.u64('htlc_minimum_msat'),
      toSelfDelay: r.u16('to_self_delay'),
      maxAcceptedHtlcs: r.u16('max_accepted_htlcs'),
      locktime: r.u32('locktime'),
      ...readChannelKeys(r),
      secondPerCommitmentPoint: point(r, 'second_per_commitment_point'),
      channelFlags: r.u8('channel_flags'),
    };
    return withExtension<OpenChannel2Message>(m, readExtension(r, openChannel2TlvStream, 'open_channel2'));
  },
  encode(m, w) {
    w.fixed(m.chainHash, 32, 'chain_hash')
      .fixed(m.temporaryChannelId, 32, 'temporary_channel_id')
      .u32(m.fundingFeeratePerkw)
      .u32(m.commitmentFeeratePerkw)
      .u64(m.fundingSatoshis)
      .u64(m.dustLimitSatoshis)
      .u64(m.maxHtlcValueInFlightMsat)
      .u64(m.htlcMinimumMsat)
      .u16(m.toSelfDelay)
      .u16(m.maxAcceptedHtlcs)
      .u32(m.locktime);
    writeChannelKeys(w, m)
      .fixed(m.secondPerCommitmentPoint, 33, 'second_per_commitment_point')
      .u8(m.channelFlags);
    writeExtension(w, openChannel2TlvStream, m.tlvs);
  },
};

export const acceptChannel2Codec: MessageCodec<AcceptChannel2Message> = {
  typeId: 65,
  name: 'accept_channel2',
  decode(r) {
    const m = {
      type: 'accept_channel2' as const,
      temporaryChannelId: readChannelId(r, 'temporary_channel_id'),
      fundingSatoshis: r.u64('funding_satoshis'),
      dustLimitSatoshis: r.u64('dust_limit_satoshis'),
      maxHtlcValueInFlightMsat: r.u64('max_htlc_value_in_flight_msat'),
      htlcMinimumMsat: r.u64('htlc_minimum_msat'),
      minimumDepth: r.u32('minimum_depth'),
      toSelfDelay: r.u16('to_self_delay'),
      maxAcceptedHtlcs: r.u16('max_accepted_htlcs'),
      ...readChannelKeys(r),
      secondPerCommitmentPoint: point(r, 'second_per_commitment_point'),
    };
    return withExtension<AcceptChannel2Message>(m, readExtension(r, openChannel2TlvStream, 'accept_channel2'));
  },
  encode(m, w) {
    w.fixed(m.temporaryChannelId, 32, 'temporary_channel_id')
      .u64(m.fundingSatoshis)
      .u64(m.dustLimitSatoshis)
      .u64(m.maxHtlcValueInFlightMsat)
      .u64(m.htlcMinimumMsat)
      .u32(m.minimumDepth)
      .u16(m.toSelfDelay)
      .u16(m.maxAcceptedHtlcs);
    writeChannelKeys(w, m)
      .fixed(m.secondPerCommitmentPoint, 33, 'second_per_commitment_point');
    writeExtension(w, openChannel2TlvStream, m.tlvs);
  },
};
