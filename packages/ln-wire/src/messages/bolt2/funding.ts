import type { ChannelId, PublicKey, Txid } from 'ln-types';
import { shortChannelIdRecord } from '../../codec/fields.js';
import { defineTlvStream, emptyTlvStream, type TlvStreamValue } from '../../codec/tlv.js';
import type { MessageCodec } from '../codec.js';
import { readExtension, withExtension, writeExtension } from '../extension.js';
import { readChannelId, readKey, readSignature, readTxid } from './common.js';

type Extension = TlvStreamValue<typeof emptyTlvStream.fields>;

/** `funding_created` (type 34): the funder's funding outpoint and its signature of the fundee's first commitment. */
export interface FundingCreatedMessage {
  readonly type: 'funding_created';
  readonly temporaryChannelId: ChannelId;
  readonly fundingTxid: Txid;
  readonly fundingOutputIndex: number;
  readonly signature: Uint8Array;
  readonly tlvs?: Extension;
}

/** `funding_signed` (type 35): the fundee's signature of the funder's first commitment. */
export interface FundingSignedMessage {
  readonly type: 'funding_signed';
  readonly channelId: ChannelId;
  readonly signature: Uint8Array;
  readonly tlvs?: Extension;
}

/** `channel_ready_tlvs`: an alias the peer may use in route hints before (or instead of) the real scid. */
export const channelReadyTlvStream = defineTlvStream({
  shortChannelId: shortChannelIdRecord(1),
});

export type ChannelReadyTlvs = TlvStreamValue<typeof channelReadyTlvStream.fields>;

/** `channel_ready` (type 36): the funding transaction reached the depth the sender needs. */
export interface ChannelReadyMessage {
  readonly type: 'channel_ready';
  readonly channelId: ChannelId;
  readonly secondPerCommitmentPoint: PublicKey;
  readonly tlvs?: ChannelReadyTlvs;
}

export const fundingCreatedCodec: MessageCodec<FundingCreatedMessage> = {
  typeId: 34,
  name: 'funding_created',
  decode(r) {
    const m = {
      type: 'funding_created' as const,
      temporaryChannelId: readChannelId(r, 'temporary_channel_id'),
      fundingTxid: readTxid(r, 'funding_txid'),
      fundingOutputIndex: r.u16('funding_output_index'),
      signature: readSignature(r),
    };
    return withExtension<FundingCreatedMessage>(m, readExtension(r, emptyTlvStream, 'funding_created'));
  },
  encode(m, w) {
    w.fixed(m.temporaryChannelId, 32, 'temporary_channel_id').fixed(m.fundingTxid, 32, 'funding_txid').u16(m.fundingOutputIndex).fixed(m.signature, 64, 'signature');
    writeExtension(w, emptyTlvStream, m.tlvs);
  },
};

export const fundingSignedCodec: MessageCodec<FundingSignedMessage> = {
  typeId: 35,
  name: 'funding_signed',
  decode(r) {
    const m = { type: 'funding_signed' as const, channelId: readChannelId(r), signature: readSignature(r) };
    return withExtension<FundingSignedMessage>(m, readExtension(r, emptyTlvStream, 'funding_signed'));
  },
  encode(m, w) {
    w.fixed(m.channelId, 32, 'channel_id').fixed(m.signature, 64, 'signature');
    writeExtension(w, emptyTlvStream, m.tlvs);
  },
};

export const channelReadyCodec: MessageCodec<ChannelReadyMessage> = {
  typeId: 36,
  name: 'channel_ready',
  decode(r) {
    const m = { type: 'channel_ready' as const, channelId: readChannelId(r), secondPerCommitmentPoint: readKey(r, 'second_per_commitment_point') };
    return withExtension<ChannelReadyMessage>(m, readExtension(r, channelReadyTlvStream, 'channel_ready'));
  },
  encode(m, w) {
    w.fixed(m.channelId, 32, 'channel_id').fixed(m.secondPerCommitmentPoint, 33, 'second_per_commitment_point');
    writeExtension(w, channelReadyTlvStream, m.tlvs);
  },
};

