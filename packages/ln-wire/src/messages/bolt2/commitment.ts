import type { ChannelId, PublicKey } from 'ln-types';
import { u16Record } from '../../codec/fields.js';
import { defineTlvStream, emptyTlvStream, type TlvStreamValue } from '../../codec/tlv.js';
import { WireError } from '../../errors.js';
import type { MessageCodec } from '../codec.js';
import { readExtension, withExtension, writeExtension } from '../extension.js';
import { readChannelId, readKey, readSignature, txidRecord } from './common.js';

type Extension = TlvStreamValue<typeof emptyTlvStream.fields>;

/** `start_batch_tlvs`: the type of the batched messages (132, commitment_signed). */
export const startBatchTlvStream = defineTlvStream({
  messageType: u16Record(1),
});
export type StartBatchTlvs = TlvStreamValue<typeof startBatchTlvStream.fields>;

/** `start_batch` (type 127): the next `batchSize` messages form one logical message (splicing). */
export interface StartBatchMessage {
  readonly type: 'start_batch';
  readonly channelId: ChannelId;
  readonly batchSize: number;
  readonly tlvs?: StartBatchTlvs;
}

/** `commitment_signed_tlvs`: which funding transaction a commitment spends (during a splice). */
export const commitmentSignedTlvStream = defineTlvStream({
  fundingTxid: txidRecord(1, 'funding_txid'),
});
export type CommitmentSignedTlvs = TlvStreamValue<typeof commitmentSignedTlvStream.fields>;

/** `commitment_signed` (type 132): signatures of the peer's next commitment and its HTLC transactions. */
export interface CommitmentSignedMessage {
  readonly type: 'commitment_signed';
  readonly channelId: ChannelId;
  readonly signature: Uint8Array;
  /** One 64-byte signature per HTLC output, in commitment output order. */
  readonly htlcSignatures: readonly Uint8Array[];
  readonly tlvs?: CommitmentSignedTlvs;
}

/** `revoke_and_ack` (type 133): revokes the sender's previous commitment. */
export interface RevokeAndAckMessage {
  readonly type: 'revoke_and_ack';
  readonly channelId: ChannelId;
  readonly perCommitmentSecret: Uint8Array;
  readonly nextPerCommitmentPoint: PublicKey;
  readonly tlvs?: Extension;
}

export const startBatchCodec: MessageCodec<StartBatchMessage> = {
  typeId: 127,
  name: 'start_batch',
  decode(r) {
    const m = { type: 'start_batch' as const, channelId: readChannelId(r), batchSize: r.u16('batch_size') };
    return withExtension<StartBatchMessage>(m, readExtension(r, startBatchTlvStream, 'start_batch'));
  },
  encode(m, w) {
    w.fixed(m.channelId, 32, 'channel_id').u16(m.batchSize);
    writeExtension(w, startBatchTlvStream, m.tlvs);
  },
};

export const commitmentSignedCodec: MessageCodec<CommitmentSignedMessage> = {
  typeId: 132,
  name: 'commitment_signed',
  decode(r) {
    const channelId = readChannelId(r);
    const signature = readSignature(r);
    const count = r.u16('num_htlcs');
    // Refuse an impossible count before building the list.
    if (count * 64 > r.remaining) throw new WireError('truncated', `commitment_signed: ${count} htlc signatures need ${count * 64} bytes, ${r.remaining} left`);
    const htlcSignatures: Uint8Array[] = new Array<Uint8Array>(count);
    for (let i = 0; i < count; i++) htlcSignatures[i] = r.bytes(64, 'htlc_signature');
    const m = { type: 'commitment_signed' as const, channelId, signature, htlcSignatures };
    return withExtension<CommitmentSignedMessage>(m, readExtension(r, commitmentSignedTlvStream, 'commitment_signed'));
  },
  encode(m, w) {
    if (m.htlcSignatures.length > 0xffff) throw new WireError('too_large', 'commitment_signed: more than 65535 htlc signatures');
    w.fixed(m.channelId, 32, 'channel_id').fixed(m.signature, 64, 'signature').u16(m.htlcSignatures.length);
    for (const sig of m.htlcSignatures) w.fixed(sig, 64, 'htlc_signature');
    writeExtension(w, commitmentSignedTlvStream, m.tlvs);
  },
};

export const revokeAndAckCodec: MessageCodec<RevokeAndAckMessage> = {
  typeId: 133,
  name: 'revoke_and_ack',
  decode(r) {
    const m = {
      type: 'revoke_and_ack' as const,
      channelId: readChannelId(r),
      perCommitmentSecret: r.bytes(32, 'per_commitment_secret'),
      nextPerCommitmentPoint: readKey(r, 'next_per_commitment_point'),
    };
    return withExtension<RevokeAndAckMessage>(m, readExtension(r, emptyTlvStream, 'revoke_and_ack'));
  },
  encode(m, w) {
    w.fixed(m.channelId, 32, 'channel_id').fixed(m.perCommitmentSecret, 32, 'per_commitment_secret').fixed(m.nextPerCommitmentPoint, 33, 'next_per_commitment_point');
    writeExtension(w, emptyTlvStream, m.tlvs);
  },
};
