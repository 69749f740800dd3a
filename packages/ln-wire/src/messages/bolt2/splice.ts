import type { ChannelId, PublicKey, Txid } from 'ln-types';
import { flagRecord } from '../../codec/fields.js';
import { WireError } from '../../errors.js';
import { defineTlvStream, emptyTlvStream, type TlvStreamValue } from '../../codec/tlv.js';
import type { MessageCodec } from '../codec.js';
import { readExtension, withExtension, writeExtension } from '../extension.js';
import { readChannelId, readKey, readTxid } from './common.js';

type Extension = TlvStreamValue<typeof emptyTlvStream.fields>;

/** `stfu` (type 2): the sender wants the channel quiescent (no updates in flight). */
export interface StfuMessage {
  readonly type: 'stfu';
  readonly channelId: ChannelId;
  /** True when the sender started the quiescence (the `initiator` byte is 1). */
  readonly initiator: boolean;
  readonly tlvs?: Extension;
}

/** `splice_init_tlvs` and `splice_ack_tlvs` (the same record). */
export const spliceTlvStream = defineTlvStream({
  requireConfirmedInputs: flagRecord(2),
});
export type SpliceTlvs = TlvStreamValue<typeof spliceTlvStream.fields>;

/** `splice_init` (type 80): the quiescence initiator proposes a splice. */
export interface SpliceInitMessage {
  readonly type: 'splice_init';
  readonly channelId: ChannelId;
  /** Positive: splice-in; negative: splice-out (s64). */
  readonly fundingContributionSatoshis: bigint;
  readonly fundingFeeratePerkw: number;
  readonly locktime: number;
  readonly fundingPubkey: PublicKey;
  readonly tlvs?: SpliceTlvs;
}

/** `splice_ack` (type 81): accepts a splice. */
export interface SpliceAckMessage {
  readonly type: 'splice_ack';
  readonly channelId: ChannelId;
  readonly fundingContributionSatoshis: bigint;
  readonly fundingPubkey: PublicKey;
  readonly tlvs?: SpliceTlvs;
}

/** `splice_locked` (type 77): the splice transaction reached the sender's acceptable depth. */
export interface SpliceLockedMessage {
  readonly type: 'splice_locked';
  readonly channelId: ChannelId;
  readonly spliceTxid: Txid;
  readonly tlvs?: Extension;
}

export const stfuCodec: MessageCodec<StfuMessage> = {
  typeId: 2,
  name: 'stfu',
  decode(r) {
    const channelId = readChannelId(r);
    const initiator = r.u8('initiator');
    // The spec allows only 0 and 1; anything else would not re-encode to the same bytes.
    if (initiator > 1) throw new WireError('invalid_value', `stfu: initiator must be 0 or 1, got ${initiator}`);
    return withExtension<StfuMessage>({ type: 'stfu', channelId, initiator: initiator === 1 }, readExtension(r, emptyTlvStream, 'stfu'));
  },
  encode(m, w) {
    w.fixed(m.channelId, 32, 'channel_id').u8(m.initiator ? 1 : 0);
    writeExtension(w, emptyTlvStream, m.tlvs);
  },
};

export const spliceInitCodec: MessageCodec<SpliceInitMessage> = {
  typeId: 80,
  name: 'splice_init',
  decode(r) {
    const m = {
      type: 'splice_init' as const,
      channelId: readChannelId(r),
      fundingContributionSatoshis: r.s64('funding_contribution_satoshis'),
      fundingFeeratePerkw: r.u32('funding_feerate_perkw'),
      locktime: r.u32('locktime'),
      fundingPubkey: readKey(r, 'funding_pubkey'),
    };
    return withExtension<SpliceInitMessage>(m, readExtension(r, spliceTlvStream, 'splice_init'));
  },
  encode(m, w) {
    w.fixed(m.channelId, 32, 'channel_id').s64(m.fundingContributionSatoshis).u32(m.fundingFeeratePerkw).u32(m.locktime).fixed(m.fundingPubkey, 33, 'funding_pubkey');
    writeExtension(w, spliceTlvStream, m.tlvs);
  },
};

export const spliceAckCodec: MessageCodec<SpliceAckMessage> = {
  typeId: 81,
  name: 'splice_ack',
  decode(r) {
    const m = {
      type: 'splice_ack' as const,
      channelId: readChannelId(r),
      fundingContributionSatoshis: r.s64('funding_contribution_satoshis'),
      fundingPubkey: readKey(r, 'funding_pubkey'),
    };
    return withExtension<SpliceAckMessage>(m, readExtension(r, spliceTlvStream, 'splice_ack'));
  },
  encode(m, w) {
    w.fixed(m.channelId, 32, 'channel_id').s64(m.fundingContributionSatoshis).fixed(m.fundingPubkey, 33, 'funding_pubkey');
    writeExtension(w, spliceTlvStream, m.tlvs);
  },
};

export const spliceLockedCodec: MessageCodec<SpliceLockedMessage> = {
  typeId: 77,
  name: 'splice_locked',
  decode(r) {
    const m = { type: 'splice_locked' as const, channelId: readChannelId(r), spliceTxid: readTxid(r, 'splice_txid') };
    return withExtension<SpliceLockedMessage>(m, readExtension(r, emptyTlvStream, 'splice_locked'));
  },
  encode(m, w) {
    w.fixed(m.channelId, 32, 'channel_id').fixed(m.spliceTxid, 32, 'splice_txid');
    writeExtension(w, emptyTlvStream, m.tlvs);
  },
};
