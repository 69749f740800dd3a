import type { Reader } from '../codec/reader.js';
import type { Writer } from '../codec/writer.js';

/**
 * How one message type is read and written. `decode` reads the payload after
 * the 2-byte type; `encode` writes it (without the type). Every message's
 * payload may end with a TLV stream extension (BOLT 1); codecs read it with
 * their namespace (or the empty one) so unknown odd records survive a round trip.
 */
export interface MessageCodec<M extends { readonly type: string }> {
  /** The message type number on the wire. */
  readonly typeId: number;
  /** The spec's name, also the `type` discriminant of decoded values. */
  readonly name: M['type'];
  decode(r: Reader): M;
  encode(message: M, w: Writer): void;
}

/** The message type a codec decodes to. */
export type CodecMessage<C> = C extends MessageCodec<infer M> ? M : never;
