import type { ChannelId } from 'ln-types';
import { emptyTlvStream, type TlvStreamValue } from '../../codec/tlv.js';
import type { MessageCodec } from '../codec.js';
import { readExtension, writeExtension } from '../extension.js';

type Extension = TlvStreamValue<typeof emptyTlvStream.fields>;

/** `error` (type 17): the sender fails the channel (all channels if `channelId` is all zero). */
export interface ErrorMessage {
  readonly type: 'error';
  readonly channelId: ChannelId;
  /** Usually printable ASCII; shown to users only after sanitizing. */
  readonly data: Uint8Array;
  readonly tlvs?: Extension;
}

/** `warning` (type 1): something went wrong, but the channel stays open. */
export interface WarningMessage {
  readonly type: 'warning';
  readonly channelId: ChannelId;
  readonly data: Uint8Array;
  readonly tlvs?: Extension;
}

function codec<N extends 'error' | 'warning'>(typeId: number, name: N): MessageCodec<{ type: N; channelId: ChannelId; data: Uint8Array; tlvs?: Extension }> {
  return {
    typeId,
    name,
    decode(r) {
      const channelId = r.bytes(32, 'channel_id') as ChannelId;
      const data = r.u16Bytes('data');
      const tlvs = readExtension(r, emptyTlvStream, name);
      return tlvs === undefined ? { type: name, channelId, data } : { type: name, channelId, data, tlvs };
    },
    encode(m, w) {
      w.fixed(m.channelId, 32, 'channel_id').u16Bytes(m.data, 'data');
      writeExtension(w, emptyTlvStream, m.tlvs);
    },
  };
}

export const errorCodec: MessageCodec<ErrorMessage> = codec(17, 'error');
export const warningCodec: MessageCodec<WarningMessage> = codec(1, 'warning');
