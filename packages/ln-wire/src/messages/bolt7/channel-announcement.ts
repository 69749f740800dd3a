import type { ChainHash, NodeId, PublicKey, ShortChannelId } from 'ln-types';
import { readPoint } from '../../codec/fields.js';
import type { MessageCodec } from '../codec.js';
import { recordSignedSpan } from './signed-span.js';

/** `channel_announcement` (type 256): proves a channel exists, signed by both nodes and both funding keys. */
export interface ChannelAnnouncementMessage {
  readonly type: 'channel_announcement';
  readonly nodeSignature1: Uint8Array;
  readonly nodeSignature2: Uint8Array;
  readonly bitcoinSignature1: Uint8Array;
  readonly bitcoinSignature2: Uint8Array;
  readonly features: Uint8Array;
  readonly chainHash: ChainHash;
  readonly shortChannelId: ShortChannelId;
  /** The lexicographically lesser node id (the validator checks the order). */
  readonly nodeId1: NodeId;
  readonly nodeId2: NodeId;
  readonly bitcoinKey1: PublicKey;
  readonly bitcoinKey2: PublicKey;
  /** Bytes after the known fields: covered by the signatures, kept verbatim for rebroadcast. */
  readonly extra?: Uint8Array;
}

/** Offset in the payload (after the 2-byte type) where the signed bytes start: after the four signatures. */
export const CHANNEL_ANNOUNCEMENT_SIGNED_OFFSET = 256;

export const channelAnnouncementCodec: MessageCodec<ChannelAnnouncementMessage> = {
  typeId: 256,
  name: 'channel_announcement',
  decode(r) {
    const nodeSignature1 = r.bytes(64, 'node_signature_1');
    const nodeSignature2 = r.bytes(64, 'node_signature_2');
    const bitcoinSignature1 = r.bytes(64, 'bitcoin_signature_1');
    const bitcoinSignature2 = r.bytes(64, 'bitcoin_signature_2');
    const signedStart = r.position;
    const features = r.u16Bytes('features');
    const chainHash = r.bytes(32, 'chain_hash') as ChainHash;
    const shortChannelId = r.shortChannelId();
    const nodeId1 = readPoint(r, 'node_id_1') as NodeId;
    const nodeId2 = readPoint(r, 'node_id_2') as NodeId;
    const bitcoinKey1 = readPoint(r, 'bitcoin_key_1') as PublicKey;
    const bitcoinKey2 = readPoint(r, 'bitcoin_key_2') as PublicKey;
    const extra = r.rest();
    const base = { type: 'channel_announcement' as const, nodeSignature1, nodeSignature2, bitcoinSignature1, bitcoinSignature2, features, chainHash, shortChannelId, nodeId1, nodeId2, bitcoinKey1, bitcoinKey2 };
    const m: ChannelAnnouncementMessage = extra.length === 0 ? base : { ...base, extra };
    recordSignedSpan(m, r, signedStart, r.position);
    return m;
  },
  encode(m, w) {
    w.fixed(m.nodeSignature1, 64, 'node_signature_1')
      .fixed(m.nodeSignature2, 64, 'node_signature_2')
      .fixed(m.bitcoinSignature1, 64, 'bitcoin_signature_1')
      .fixed(m.bitcoinSignature2, 64, 'bitcoin_signature_2')
      .u16Bytes(m.features, 'features')
      .fixed(m.chainHash, 32, 'chain_hash')
      .u64(m.shortChannelId)
      .fixed(m.nodeId1, 33, 'node_id_1')
      .fixed(m.nodeId2, 33, 'node_id_2')
      .fixed(m.bitcoinKey1, 33, 'bitcoin_key_1')
      .fixed(m.bitcoinKey2, 33, 'bitcoin_key_2');
    if (m.extra !== undefined) w.bytes(m.extra);
  },
};
