import { emptyTlvStream, type TlvStreamValue } from '../../codec/tlv.js';
import type { MessageCodec } from '../codec.js';
import { readExtension, writeExtension } from '../extension.js';

type Extension = TlvStreamValue<typeof emptyTlvStream.fields>;

/** `peer_storage` (type 7): a blob the sender asks us to keep for it (option_provide_storage). */
export interface PeerStorageMessage {
  readonly type: 'peer_storage';
  readonly blob: Uint8Array;
  readonly tlvs?: Extension;
}

/** `peer_storage_retrieval` (type 9): the blob we keep for the peer, sent back on reconnection. */
export interface PeerStorageRetrievalMessage {
  readonly type: 'peer_storage_retrieval';
  readonly blob: Uint8Array;
  readonly tlvs?: Extension;
}

function codec<N extends 'peer_storage' | 'peer_storage_retrieval'>(typeId: number, name: N): MessageCodec<{ type: N; blob: Uint8Array; tlvs?: Extension }> {
  return {
    typeId,
    name,
    decode(r) {
      const blob = r.u16Bytes('blob');
      const tlvs = readExtension(r, emptyTlvStream, name);
      return tlvs === undefined ? { type: name, blob } : { type: name, blob, tlvs };
    },
    encode(m, w) {
      w.u16Bytes(m.blob, 'blob');
      writeExtension(w, emptyTlvStream, m.tlvs);
    },
  };
}

export const peerStorageCodec: MessageCodec<PeerStorageMessage> = codec(7, 'peer_storage');
export const peerStorageRetrievalCodec: MessageCodec<PeerStorageRetrievalMessage> = codec(9, 'peer_storage_retrieval');
