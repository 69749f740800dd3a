import type { ChannelId } from 'ln-types';
import { flagRecord, s64Record } from '../../codec/fields.js';
import { defineTlvStream, emptyTlvStream, type TlvStreamValue } from '../../codec/tlv.js';
import type { MessageCodec } from '../codec.js';
import { readExtension, withExtension, writeExtension } from '../extension.js';
import { readChannelId } from './common.js';

type Extension = TlvStreamValue<typeof emptyTlvStream.fields>;

/** `tx_init_rbf_tlvs` and `tx_ack_rbf_tlvs` (the same records). */
export const txRbfTlvStream = defineTlvStream({
  /** Satoshis the sender adds to (or, negative, takes from) the funding output. */
  fundingOutputContribution: s64Record(0),
  requireConfirmedInputs: flagRecord(2),
});
export type TxRbfTlvs = TlvStreamValue<typeof txRbfTlvStream.fields>;

/** `tx_init_rbf` (type 72): starts a replacement of a completed interactive transaction. */
export interface TxInitRbfMessage {
  readonly type: 'tx_init_rbf';
  readonly channelId: ChannelId;
  readonly locktime: number;
  readonly feerate: number;
  readonly tlvs?: TxRbfTlvs;
}

/** `tx_ack_rbf` (type 73): accepts a `tx_init_rbf`. */
export interface TxAckRbfMessage {
  readonly type: 'tx_ack_rbf';
  readonly channelId: ChannelId;
  readonly tlvs?: TxRbfTlvs;
}

/** `tx_abort` (type 74): ends the negotiation; `data` is usually an ASCII reason. */
export interface TxAbortMessage {
  readonly type: 'tx_abort';
  readonly channelId: ChannelId;
  readonly data: Uint8Array;
  readonly tlvs?: Extension;
}

export const txInitRbfCodec: MessageCodec<TxInitRbfMessage> = {
  typeId: 72,
  name: 'tx_init_rbf',
  decode(r) {
    const m = { type: 'tx_init_rbf' as const, channelId: readChannelId(r), locktime: r.u32('locktime'), feerate: r.u32('feerate') };
    return withExtension<TxInitRbfMessage>(m, readExtension(r, txRbfTlvStream, 'tx_init_rbf'));
  },
  encode(m, w) {
    w.fixed(m.channelId, 32, 'channel_id').u32(m.locktime).u32(m.feerate);
    writeExtension(w, txRbfTlvStream, m.tlvs);
  },
};

export const txAckRbfCodec: MessageCodec<TxAckRbfMessage> = {
  typeId: 73,
  name: 'tx_ack_rbf',
  decode(r) {
    const m = { type: 'tx_ack_rbf' as const, channelId: readChannelId(r) };
    return withExtension<TxAckRbfMessage>(m, readExtension(r, txRbfTlvStream, 'tx_ack_rbf'));
  },
  encode(m, w) {
    w.fixed(m.channelId, 32, 'channel_id');
    writeExtension(w, txRbfTlvStream, m.tlvs);
  },
};

export const txAbortCodec: MessageCodec<TxAbortMessage> = {
  typeId: 74,
  name: 'tx_abort',
  decode(r) {
    const m = { type: 'tx_abort' as const, channelId: readChannelId(r), data: r.u16Bytes('data') };
    return withExtension<TxAbortMessage>(m, readExtension(r, emptyTlvStream, 'tx_abort'));
  },
  encode(m, w) {
    w.fixed(m.channelId, 32, 'channel_id').u16Bytes(m.data, 'data');
    writeExtension(w, emptyTlvStream, m.tlvs);
  },
};
