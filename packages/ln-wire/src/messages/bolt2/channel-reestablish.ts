import type { ChannelId, PublicKey, Txid } from 'ln-types';
import { defineTlvStream, tlvField, type TlvField, type TlvStreamValue } from '../../codec/tlv.js';
import type { MessageCodec } from '../codec.js';
import { readExtension, withExtension, writeExtension } from '../extension.js';
import { readChannelId, readKey, readTxid } from './common.js';

/** A funding txid with the flags of what the sender wants retransmitted for it. */
export interface FundingRetransmit {
  readonly txid: Txid;
  /** Bit 0: the receiver should retransmit its commitment_signed (or announcement_signatures for a locked funding). */
  readonly retransmitFlags: number;
}

const fundingRetransmitRecord = (type: number, what: string): TlvField<FundingRetransmit> =>
  tlvField(
    type,
    (r) => ({ txid: readTxid(r, what), retransmitFlags: r.u8('retransmit_flags') }),
    (v, w) => w.fixed(v.txid, 32, what).u8(v.retransmitFlags),
  );

/** `channel_reestablish_tlvs` (splicing and dual funding). */
export const channelReestablishTlvStream = defineTlvStream({
  /** An interactive funding transaction the sender has not finished signing. */
  nextFunding: fundingRetransmitRecord(1, 'next_funding_txid'),
  /** The latest funding transaction the sender has sent `channel_ready`/`splice_locked` for. */
  myCurrentFundingLocked: fundingRetransmitRecord(5, 'my_current_funding_locked_txid'),
});
export type ChannelReestablishTlvs = TlvStreamValue<typeof channelReestablishTlvStream.fields>;

/** `channel_reestablish` (type 136): resynchronizes a channel after reconnection. */
export interface ChannelReestablishMessage {
  readonly type: 'channel_reestablish';
  readonly channelId: ChannelId;
  readonly nextCommitmentNumber: bigint;
  readonly nextRevocationNumber: bigint;
  readonly yourLastPerCommitmentSecret: Uint8Array;
  readonly myCurrentPerCommitmentPoint: PublicKey;
  readonly tlvs?: ChannelReestablishTlvs;
}

export const channelReestablishCodec: MessageCodec<ChannelReestablishMessage> = {
  typeId: 136,
  name: 'channel_reestablish',
  decode(r) {
    const m = {
      type: 'channel_reestablish' as const,
      channelId: readChannelId(r),
      nextCommitmentNumber: r.u64('next_commitment_number'),
      nextRevocationNumber: r.u64('next_revocation_number'),
      yourLastPerCommitmentSecret: r.bytes(32, 'your_last_per_commitment_secret'),
      myCurrentPerCommitmentPoint: readKey(r, 'my_current_per_commitment_point'),
    };
    return withExtension<ChannelReestablishMessage>(m, readExtension(r, channelReestablishTlvStream, 'channel_reestablish'));
  },
  encode(m, w) {
    w.fixed(m.channelId, 32, 'channel_id')
      .u64(m.nextCommitmentNumber)
      .u64(m.nextRevocationNumber)
      .fixed(m.yourLastPerCommitmentSecret, 32, 'your_last_per_commitment_secret')
      .fixed(m.myCurrentPerCommitmentPoint, 33, 'my_current_per_commitment_point');
    writeExtension(w, channelReestablishTlvStream, m.tlvs);
  },
};
