import { CHAIN_HASHES, equalBytes } from 'ln-types';
import { channelUpdateCodec, Reader, WireError, type ChannelUpdateMessage } from 'ln-wire';
import { OnionError } from './errors.js';
import type { FailureMessage } from './failure-message.js';

const CHANNEL_UPDATE_TYPE = channelUpdateCodec.typeId; // 258
const KNOWN_CHAINS = Object.values(CHAIN_HASHES);

/**
 * The `channel_update` a failure carries, typed. Senders write it with its
 * 2-byte message type (258) in front, as every implementation does; some older
 * ones left the type out, so both forms are read. Bytes starting 01 02 may be
 * either (a signature can start so): the reading whose chain hash is a known
 * chain wins, the prefixed one when both or neither are. BOLT 4: the origin
 * node MAY use the update to retry the failed payment, and MUST NOT apply it
 * to its network graph or pass it on as gossip (a fingerprinting vector); the
 * signature is not checked here.
 * @throws OnionError `invalid_failure_message` for bytes that are no channel_update
 */
export function decodeFailureChannelUpdate(bytes: Uint8Array): ChannelUpdateMessage {
  const typed = bytes.length >= 2 && ((bytes[0]! << 8) | bytes[1]!) === CHANNEL_UPDATE_TYPE;
  const bare = readUpdate(bytes, 0);
  if (!typed) {
    if (bare instanceof WireError) throw new OnionError('invalid_failure_message', `the failure's channel_update does not parse: ${bare.message}`, { cause: bare });
    return bare;
  }
  const prefixed = readUpdate(bytes, 2);
  if (prefixed instanceof WireError) {
    if (bare instanceof WireError) throw new OnionError('invalid_failure_message', `the failure's channel_update does not parse: ${prefixed.message}`, { cause: prefixed });
    return bare;
  }
  if (!(bare instanceof WireError) && isKnownChain(bare) && !isKnownChain(prefixed)) return bare;
  return prefixed;
}

function readUpdate(bytes: Uint8Array, from: number): ChannelUpdateMessage | WireError {
  try {
    const r = new Reader(bytes, from);
    const update = channelUpdateCodec.decode(r);
    r.end('channel_update');
    return update;
  } catch (e) {
    if (e instanceof WireError) return e;
    throw e;
  }
}

function isKnownChain(update: ChannelUpdateMessage): boolean {
  return KNOWN_CHAINS.some((c) => equalBytes(c, update.chainHash));
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
