import type { ChannelId } from 'ln-types';
import { defineTlvStream, emptyTlvStream, tlvField, type TlvStreamValue } from '../../codec/tlv.js';
import type { MessageCodec } from '../codec.js';
import { readExtension, withExtension, writeExtension } from '../extension.js';
import { readChannelId, readSignature, signatureRecord } from './common.js';

type Extension = TlvStreamValue<typeof emptyTlvStream.fields>;

/** `shutdown` (type 38): the sender starts closing and names the script it wants to be paid to. */
export interface ShutdownMessage {
  readonly type: 'shutdown';
  readonly channelId: ChannelId;
  readonly scriptpubkey: Uint8Array;
  readonly tlvs?: Extension;
}

/** The acceptable fee range of a `closing_signed`. */
export interface FeeRange {
  readonly minFeeSatoshis: bigint;
  readonly maxFeeSatoshis: bigint;
}

/** `closing_signed_tlvs`. */
export const closingSignedTlvStream = defineTlvStream({
  feeRange: tlvField<FeeRange>(
    1,
    (r) => ({ minFeeSatoshis: r.u64('min_fee_satoshis'), maxFeeSatoshis: r.u64('max_fee_satoshis') }),
    (v, w) => w.u64(v.minFeeSatoshis).u64(v.maxFeeSatoshis),
  ),
});
export type ClosingSignedTlvs = TlvStreamValue<typeof closingSignedTlvStream.fields>;

/** `closing_signed` (type 39): legacy mutual close fee negotiation. */
export interface ClosingSignedMessage {
  readonly type: 'closing_signed';
  readonly channelId: ChannelId;
  readonly feeSatoshis: bigint;
  readonly signature: Uint8Array;
  readonly tlvs?: ClosingSignedTlvs;
}

/** `closing_tlvs` of `closing_complete` and `closing_sig`: one signature per closing transaction variant. */
export const closingTlvStream = defineTlvStream({
  closerOutputOnly: signatureRecord(1, 'closer_output_only'),
  closeeOutputOnly: signatureRecord(2, 'closee_output_only'),
  closerAndCloseeOutputs: signatureRecord(3, 'closer_and_closee_outputs'),
});
export type ClosingTlvs = TlvStreamValue<typeof closingTlvStream.fields>;

interface ClosingFields {
  readonly channelId: ChannelId;
  readonly closerScriptpubkey: Uint8Array;
  readonly closeeScriptpubkey: Uint8Array;
  readonly feeSatoshis: bigint;
  readonly locktime: number;
  readonly tlvs?: ClosingTlvs;
}

/** `closing_complete` (type 40): the closer's signatures of the closing transaction (option_simple_close). */
export interface ClosingCompleteMessage extends ClosingFields {
  readonly type: 'closing_complete';
}

/** `closing_sig` (type 41): the closee's signature answering `closing_complete`. */
export interface ClosingSigMessage extends ClosingFields {
  readonly type: 'closing_sig';
}

export const shutdownCodec: MessageCodec<ShutdownMessage> = {
  typeId: 38,
  name: 'shutdown',
  decode(r) {
    const m = { type: 'shutdown' as const, channelId: readChannelId(r), scriptpubkey: r.u16Bytes('scriptpubkey') };
    return withExtension<ShutdownMessage>(m, readExtension(r, emptyTlvStream, 'shutdown'));
  },
  encode(m, w) {
    w.fixed(m.channelId, 32, 'channel_id').u16Bytes(m.scriptpubkey, 'scriptpubkey');
    writeExtension(w, emptyTlvStream, m.tlvs);
  },
};

export const closingSignedCodec: MessageCodec<ClosingSignedMessage> = {
  typeId: 39,
  name: 'closing_signed',
  decode(r) {
    const m = { type: 'closing_signed' as const, channelId: readChannelId(r), feeSatoshis: r.u64('fee_satoshis'), signature: readSignature(r) };
    return withExtension<ClosingSignedMessage>(m, readExtension(r, closingSignedTlvStream, 'closing_signed'));
  },
  encode(m, w) {
    w.fixed(m.channelId, 32, 'channel_id').u64(m.feeSatoshis).fixed(m.signature, 64, 'signature');
    writeExtension(w, closingSignedTlvStream, m.tlvs);
  },
};

function closingCodec<N extends 'closing_complete' | 'closing_sig'>(typeId: number, name: N): MessageCodec<ClosingFields & { type: N }> {
  return {
    typeId,
    name,
    decode(r) {
      const m = {
        type: name,
        channelId: readChannelId(r),
        closerScriptpubkey: r.u16Bytes('closer_scriptpubkey'),
        closeeScriptpubkey: r.u16Bytes('closee_scriptpubkey'),
        feeSatoshis: r.u64('fee_satoshis'),
        locktime: r.u32('locktime'),
      };
      return withExtension<ClosingFields & { type: N }>(m, readExtension(r, closingTlvStream, name));
    },
    encode(m, w) {
      w.fixed(m.channelId, 32, 'channel_id')
        .u16Bytes(m.closerScriptpubkey, 'closer_scriptpubkey')
        .u16Bytes(m.closeeScriptpubkey, 'closee_scriptpubkey')
        .u64(m.feeSatoshis)
        .u32(m.locktime);
      writeExtension(w, closingTlvStream, m.tlvs);
    },
  };
}

export const closingCompleteCodec: MessageCodec<ClosingCompleteMessage> = closingCodec(40, 'closing_complete');
export const closingSigCodec: MessageCodec<ClosingSigMessage> = closingCodec(41, 'closing_sig');
