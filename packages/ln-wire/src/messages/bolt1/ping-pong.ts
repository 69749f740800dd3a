import { emptyTlvStream, type TlvStreamValue } from '../../codec/tlv.js';
import type { MessageCodec } from '../codec.js';
import { readExtension, writeExtension } from '../extension.js';

type Extension = TlvStreamValue<typeof emptyTlvStream.fields>;

/** `ping` (type 18): asks for a pong of `numPongBytes` bytes (none at all when it is 65532 or more). */
export interface PingMessage {
  readonly type: 'ping';
  readonly numPongBytes: number;
  /** Padding; the spec asks senders to make it zeros. */
  readonly ignored: Uint8Array;
  readonly tlvs?: Extension;
}

/** `pong` (type 19): answers a ping with `ignored.length` bytes. */
export interface PongMessage {
  readonly type: 'pong';
  readonly ignored: Uint8Array;
  readonly tlvs?: Extension;
}

export const pingCodec: MessageCodec<PingMessage> = {
  typeId: 18,
  name: 'ping',
  decode(r) {
    const numPongBytes = r.u16('num_pong_bytes');
    const ignored = r.u16Bytes('ignored');
    const tlvs = readExtension(r, emptyTlvStream, 'ping');
    return tlvs === undefined ? { type: 'ping', numPongBytes, ignored } : { type: 'ping', numPongBytes, ignored, tlvs };
  },
  encode(m, w) {
    w.u16(m.numPongBytes).u16Bytes(m.ignored, 'ignored');
    writeExtension(w, emptyTlvStream, m.tlvs);
  },
};

export const pongCodec: MessageCodec<PongMessage> = {
  typeId: 19,
  name: 'pong',
  decode(r) {
    const ignored = r.u16Bytes('ignored');
    const tlvs = readExtension(r, emptyTlvStream, 'pong');
    return tlvs === undefined ? { type: 'pong', ignored } : { type: 'pong', ignored, tlvs };
  },
  encode(m, w) {
    w.u16Bytes(m.ignored, 'ignored');
    writeExtension(w, emptyTlvStream, m.tlvs);
  },
};

/** Largest `numPongBytes` a node answers: at or above 65532 the spec says not to reply. */
export const MAX_PONG_BYTES = 65531;
