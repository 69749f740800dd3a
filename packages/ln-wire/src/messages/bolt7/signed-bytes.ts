import { WireError } from '../../errors.js';
import { Writer } from '../../codec/writer.js';
import { channelAnnouncementCodec, CHANNEL_ANNOUNCEMENT_SIGNED_OFFSET, type ChannelAnnouncementMessage } from './channel-announcement.js';
import { channelUpdateCodec, CHANNEL_UPDATE_SIGNED_OFFSET, type ChannelUpdateMessage } from './channel-update.js';
import { nodeAnnouncementCodec, NODE_ANNOUNCEMENT_SIGNED_OFFSET, type NodeAnnouncementMessage } from './node-announcement.js';
import { recordedSignedSpan } from './signed-span.js';

/** A signed gossip message. */
export type SignedGossipMessage = ChannelAnnouncementMessage | NodeAnnouncementMessage | ChannelUpdateMessage;

/**
 * The exact bytes the signature(s) of a gossip message cover (their double
 * SHA-256 is what is signed). For a decoded message this is a view into the
 * received bytes, with no re-encoding, so unknown trailing data is covered
 * exactly as the sender signed it. For a message built locally (to sign it),
 * the fields are encoded.
 */
export function gossipSignedBytes(m: SignedGossipMessage): Uint8Array {
  const recorded = recordedSignedSpan(m);
  if (recorded !== undefined) return recorded;
  const w = new Writer(512);
  switch (m.type) {
    case 'channel_announcement':
      channelAnnouncementCodec.encode(m, w);
      return w.finish().subarray(CHANNEL_ANNOUNCEMENT_SIGNED_OFFSET);
    case 'node_announcement':
      nodeAnnouncementCodec.encode(m, w);
      return w.finish().subarray(NODE_ANNOUNCEMENT_SIGNED_OFFSET);
    case 'channel_update':
      channelUpdateCodec.encode(m, w);
      return w.finish().subarray(CHANNEL_UPDATE_SIGNED_OFFSET);
  }
}

/**
 * The signed bytes of a whole raw gossip message (2-byte type included), as a
 * view: everything after the signature(s). Cheap enough to run before decoding.
 * @throws WireError `invalid_value` for a type that is not signed gossip, `truncated` if too short
 */
export function rawGossipSignedBytes(raw: Uint8Array): Uint8Array {
  const typeId = raw.length < 2 ? -1 : (raw[0]! << 8) | raw[1]!;
  const offset = typeId === 256 ? CHANNEL_ANNOUNCEMENT_SIGNED_OFFSET : typeId === 257 ? NODE_ANNOUNCEMENT_SIGNED_OFFSET : typeId === 258 ? CHANNEL_UPDATE_SIGNED_OFFSET : -1;
  if (offset < 0) throw new WireError('invalid_value', `type ${typeId} is not a signed gossip message`);
  if (raw.length < 2 + offset) throw new WireError('truncated', 'gossip message shorter than its signatures');
  return raw.subarray(2 + offset);
}

// CRC32C (Castagnoli, reflected polynomial 0x82f63b78), table-driven.
const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32cUpdate(crc: number, bytes: Uint8Array): number {
  let c = crc;
  for (let i = 0; i < bytes.length; i++) c = CRC32C_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return c;
}

/** CRC32C of bytes. */
export function crc32c(bytes: Uint8Array): number {
  return (crc32cUpdate(0xffffffff, bytes) ^ 0xffffffff) >>> 0;
}

/**
 * The reply_channel_range checksum of a channel_update: CRC32C of the update
 * without its signature and timestamp (BOLT 7), so two updates that differ
 * only in timestamp compare equal.
 */
export function channelUpdateChecksum(m: ChannelUpdateMessage): number {
  const signed = gossipSignedBytes(m);
  // signed = chain_hash(32) scid(8) timestamp(4) rest...
  let c = crc32cUpdate(0xffffffff, signed.subarray(0, 40));
  c = crc32cUpdate(c, signed.subarray(44));
  return (c ^ 0xffffffff) >>> 0;
}
