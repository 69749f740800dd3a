import { Reader } from '../codec/reader.js';
import { Writer } from '../codec/writer.js';
import { WireError } from '../errors.js';
import { CODEC_BY_NAME, CODEC_BY_TYPE_ID, type Message } from './registry.js';

/** Largest message (type + payload) BOLT 8 can carry. */
export const MAX_MESSAGE_LENGTH = 65535;

/**
 * A message of a type we do not know. Odd types may be ignored ("it's OK to be
 * odd"); on an even type the peer layer must fail the connection.
 */
export interface UnknownMessage {
  readonly type: 'unknown_odd' | 'unknown_even';
  readonly typeId: number;
  /** The payload after the type (a view into the input). */
  readonly payload: Uint8Array;
}

/** Whatever {@link decodeMessage} can return. */
export type DecodedMessage = Message | UnknownMessage;

/**
 * Decodes one whole message (2-byte type, then payload).
 * @throws WireError on malformed input: `truncated`, `non_minimal`, `tlv_order`,
 * `tlv_unknown_even`, `invalid_value`, `too_large`, `trailing_bytes`.
 */
export function decodeMessage(bytes: Uint8Array): DecodedMessage {
  if (bytes.length > MAX_MESSAGE_LENGTH) throw new WireError('too_large', `message of ${bytes.length} bytes exceeds ${MAX_MESSAGE_LENGTH}`);
  if (bytes.length < 2) throw new WireError('truncated', 'message shorter than its type');
  const typeId = (bytes[0]! << 8) | bytes[1]!;
  const codec = CODEC_BY_TYPE_ID[typeId];
  if (codec === undefined) {
    return { type: typeId % 2 === 0 ? 'unknown_even' : 'unknown_odd', typeId, payload: bytes.subarray(2) };
  }
  const r = new Reader(bytes, 2);
  const message = codec.decode(r);
  r.end(codec.name);
  return message as Message;
}

/** The type number of a raw message, without decoding it (undefined if shorter than 2 bytes). */
export function peekMessageType(bytes: Uint8Array): number | undefined {
  return bytes.length < 2 ? undefined : (bytes[0]! << 8) | bytes[1]!;
}

/**
 * Encodes a message with its 2-byte type.
 * @throws WireError `invalid_value` for a field out of range, `too_large` past 65535 bytes
 */
export function encodeMessage(message: Message): Uint8Array {
  const codec = CODEC_BY_NAME.get(message.type);
  if (codec === undefined) throw new WireError('invalid_value', `unknown message type ${String(message.type)}`);
  // One scratch buffer, reused: encoding is synchronous and codecs never call back into
  // encodeMessage, so the only allocation per message is the exact-size copy returned.
  const w = scratch.reset();
  w.u16(codec.typeId);
  codec.encode(message, w);
  if (w.length > MAX_MESSAGE_LENGTH) {
    const length = w.length;
    scratch = new Writer(SCRATCH_BYTES); // do not keep a buffer grown past the limit alive
    throw new WireError('too_large', `${codec.name} encodes to ${length} bytes, over ${MAX_MESSAGE_LENGTH}`);
  }
  return w.copy();
}

const SCRATCH_BYTES = 4096;
let scratch = new Writer(SCRATCH_BYTES);
