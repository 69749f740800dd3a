import type { ChannelId, Txid } from 'ln-types';
import { WireError } from '../../errors.js';
import { defineTlvStream, emptyTlvStream, type TlvStreamValue } from '../../codec/tlv.js';
import type { MessageCodec } from '../codec.js';
import { readExtension, withExtension, writeExtension } from '../extension.js';
import { readChannelId, readTxid, signatureRecord, txidRecord } from './common.js';

type Extension = TlvStreamValue<typeof emptyTlvStream.fields>;

/** `tx_add_input_tlvs`: the txid of the shared (previous funding) input when splicing. */
export const txAddInputTlvStream = defineTlvStream({
  sharedInputTxid: txidRecord(0, 'shared_input_txid'),
});
export type TxAddInputTlvs = TlvStreamValue<typeof txAddInputTlvStream.fields>;

/** `tx_add_input` (type 66): adds an input to the transaction under construction. */
export interface TxAddInputMessage {
  readonly type: 'tx_add_input';
  readonly channelId: ChannelId;
  readonly serialId: bigint;
  /** The whole previous transaction (empty for the shared input of a splice). */
  readonly prevtx: Uint8Array;
  readonly prevtxVout: number;
  readonly sequence: number;
  readonly tlvs?: TxAddInputTlvs;
}

/** `tx_add_output` (type 67): adds an output. */
export interface TxAddOutputMessage {
  readonly type: 'tx_add_output';
  readonly channelId: ChannelId;
  readonly serialId: bigint;
  readonly sats: bigint;
  readonly script: Uint8Array;
  readonly tlvs?: Extension;
}

/** `tx_remove_input` (type 68). */
export interface TxRemoveInputMessage {
  readonly type: 'tx_remove_input';
  readonly channelId: ChannelId;
  readonly serialId: bigint;
  readonly tlvs?: Extension;
}

/** `tx_remove_output` (type 69). */
export interface TxRemoveOutputMessage {
  readonly type: 'tx_remove_output';
  readonly channelId: ChannelId;
  readonly serialId: bigint;
  readonly tlvs?: Extension;
}

/** `tx_complete` (type 70): the sender has nothing more to add. */
export interface TxCompleteMessage {
  readonly type: 'tx_complete';
  readonly channelId: ChannelId;
  readonly tlvs?: Extension;
}

/** `tx_signatures_tlvs`: the sender's signature of the shared input when splicing. */
export const txSignaturesTlvStream = defineTlvStream({
  sharedInputSignature: signatureRecord(0, 'shared_input_signature'),
});
export type TxSignaturesTlvs = TlvStreamValue<typeof txSignaturesTlvStream.fields>;

/** `tx_signatures` (type 71): the witnesses of the sender's inputs, in serial_id order. */
export interface TxSignaturesMessage {
  readonly type: 'tx_signatures';
  readonly channelId: ChannelId;
  readonly txid: Txid;
  /** Each a serialized witness stack (`witness_data`). */
  readonly witnesses: readonly Uint8Array[];
  readonly tlvs?: TxSignaturesTlvs;
}

export const txAddInputCodec: MessageCodec<TxAddInputMessage> = {
  typeId: 66,
  name: 'tx_add_input',
  decode(r) {
    const m = {
      type: 'tx_add_input' as const,
      channelId: readChannelId(r),
      serialId: r.u64('serial_id'),
      prevtx: r.u16Bytes('prevtx'),
      prevtxVout: r.u32('prevtx_vout'),
      sequence: r.u32('sequence'),
    };
    return withExtension<TxAddInputMessage>(m, readExtension(r, txAddInputTlvStream, 'tx_add_input'));
  },
  encode(m, w) {
    w.fixed(m.channelId, 32, 'channel_id').u64(m.serialId).u16Bytes(m.prevtx, 'prevtx').u32(m.prevtxVout).u32(m.sequence);
    writeExtension(w, txAddInputTlvStream, m.tlvs);
  },
};

export const txAddOutputCodec: MessageCodec<TxAddOutputMessage> = {
  typeId: 67,
  name: 'tx_add_output',
  decode(r) {
    const m = { type: 'tx_add_output' as const, channelId: readChannelId(r), serialId: r.u64('serial_id'), sats: r.u64('sats'), script: r.u16Bytes('script') };
    return withExtension<TxAddOutputMessage>(m, readExtension(r, emptyTlvStream, 'tx_add_output'));
  },
  encode(m, w) {
    w.fixed(m.channelId, 32, 'channel_id').u64(m.serialId).u64(m.sats).u16Bytes(m.script, 'script');
    writeExtension(w, emptyTlvStream, m.tlvs);
  },
};

function removeCodec<N extends 'tx_remove_input' | 'tx_remove_output'>(
  typeId: number,
  name: N,
): MessageCodec<{ type: N; channelId: ChannelId; serialId: bigint; tlvs?: Extension }> {
  return {
    typeId,
    name,
    decode(r) {
      const m = { type: name, channelId: readChannelId(r), serialId: r.u64('serial_id') };
      return withExtension(m, readExtension(r, emptyTlvStream, name));
    },
    encode(m, w) {
      w.fixed(m.channelId, 32, 'channel_id').u64(m.serialId);
      writeExtension(w, emptyTlvStream, m.tlvs);
    },
  };
}

export const txRemoveInputCodec: MessageCodec<TxRemoveInputMessage> = removeCodec(68, 'tx_remove_input');
export const txRemoveOutputCodec: MessageCodec<TxRemoveOutputMessage> = removeCodec(69, 'tx_remove_output');

export const txCompleteCodec: MessageCodec<TxCompleteMessage> = {
  typeId: 70,
  name: 'tx_complete',
  decode(r) {
    const m = { type: 'tx_complete' as const, channelId: readChannelId(r) };
    return withExtension<TxCompleteMessage>(m, readExtension(r, emptyTlvStream, 'tx_complete'));
  },
  encode(m, w) {
    w.fixed(m.channelId, 32, 'channel_id');
    writeExtension(w, emptyTlvStream, m.tlvs);
  },
};

export const txSignaturesCodec: MessageCodec<TxSignaturesMessage> = {
  typeId: 71,
  name: 'tx_signatures',
  decode(r) {
    const channelId = readChannelId(r);
    const txid = readTxid(r, 'txid');
    const count = r.u16('num_witnesses');
    // Each witness takes at least its 2-byte length: refuse an impossible count before building the list.
    if (count * 2 > r.remaining) throw new WireError('truncated', `tx_signatures: ${count} witnesses cannot fit in ${r.remaining} bytes`);
    const witnesses: Uint8Array[] = [];
    for (let i = 0; i < count; i++) witnesses.push(r.u16Bytes('witness_data'));
    const m = { type: 'tx_signatures' as const, channelId, txid, witnesses };
    return withExtension<TxSignaturesMessage>(m, readExtension(r, txSignaturesTlvStream, 'tx_signatures'));
  },
  encode(m, w) {
    if (m.witnesses.length > 0xffff) throw new WireError('too_large', 'tx_signatures: more than 65535 witnesses');
    w.fixed(m.channelId, 32, 'channel_id').fixed(m.txid, 32, 'txid').u16(m.witnesses.length);
    for (const witness of m.witnesses) w.u16Bytes(witness, 'witness_data');
    writeExtension(w, txSignaturesTlvStream, m.tlvs);
  },
};
