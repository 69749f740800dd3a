import type { PublicKey } from 'ln-types';
import { readPoint } from '../../codec/fields.js';
import { emptyTlvStream, type TlvStreamValue } from '../../codec/tlv.js';
import type { MessageCodec } from '../codec.js';
import { readExtension, withExtension, writeExtension } from '../extension.js';

type Extension = TlvStreamValue<typeof emptyTlvStream.fields>;

/**
 * `onion_message` (type 513, option_onion_messages): the outer message. The
 * packet itself (version, public key, encrypted payloads, HMAC) is opaque here;
 * ln-onion builds and peels it.
 */
export interface OnionMessageMessage {
  readonly type: 'onion_message';
  /** The blinding point the receiver uses to decrypt its hop (BOLT 4 route blinding). */
  readonly pathKey: PublicKey;
  /** The onion packet bytes (usually 1366 or 32834 long). */
  readonly onionMessagePacket: Uint8Array;
  readonly tlvs?: Extension;
}

export const onionMessageCodec: MessageCodec<OnionMessageMessage> = {
  typeId: 513,
  name: 'onion_message',
  decode(r) {
    const m = { type: 'onion_message' as const, pathKey: readPoint(r, 'path_key') as PublicKey, onionMessagePacket: r.u16Bytes('onion_message_packet') };
    return withExtension<OnionMessageMessage>(m, readExtension(r, emptyTlvStream, 'onion_message'));
  },
  encode(m, w) {
    w.fixed(m.pathKey, 33, 'path_key').u16Bytes(m.onionMessagePacket, 'onion_message_packet');
    writeExtension(w, emptyTlvStream, m.tlvs);
  },
};
