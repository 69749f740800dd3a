import { channelUpdateCodec, Reader, WireError, type ChannelUpdateMessage } from 'ln-wire';
import { OnionError } from './errors.js';
import type { FailureMessage } from './failure-message.js';

const CHANNEL_UPDATE_TYPE = channelUpdateCodec.typeId; // 258

/**
 * The `channel_update` a failure carries, typed. Senders write it with its
 * 2-byte message type (258) in front, as every implementation does; some older
 * ones left the type out, so both forms are read. BOLT 4: the origin node MAY
 * use it to retry the failed payment, and MUST NOT apply it to its network
 * graph or pass it on as gossip (a fingerprinting vector); the signature is
 * not checked here.
 * @throws OnionError `invalid_failure_message` for bytes that are no channel_update
 */
export function decodeFailureChannelUpdate(bytes: Uint8Array): ChannelUpdateMessage {
  const prefixed = bytes.length >= 2 && ((bytes[0]! << 8) | bytes[1]!) === CHANNEL_UPDATE_TYPE;
  try {
    const r = new Reader(bytes, prefixed ? 2 : 0);
    const update = channelUpdateCodec.decode(r);
    r.end('channel_update');
    return update;
  } catch (cause) {
    if (cause instanceof WireError) throw new OnionError('invalid_failure_message', `the failure's channel_update does not parse: ${cause.message}`, { cause });
    throw cause;
  }
}

/**
 * The typed `channel_update` of a failure that carries one (the UPDATE
 * failures), or `undefined` when it has none, an empty one (BOLT 4 lets nodes
 * send a zero length instead), or bytes that do not parse.
 */
export function failureChannelUpdate(failure: FailureMessage): ChannelUpdateMessage | undefined {
  if (!('channelUpdate' in failure) || failure.channelUpdate.length === 0) return undefined;
  try {
    return decodeFailureChannelUpdate(failure.channelUpdate);
  } catch (e) {
    if (e instanceof OnionError) return undefined;
    throw e;
  }
}
