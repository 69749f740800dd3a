// Decode and encode of the gossip messages a node ingests by the hundred
// thousand, with @node-lightning/wire measured in the same run.
import { measure, reportMeasurement } from 'ln-bench';
import { CHAIN_HASHES, type NodeId, type PublicKey, type ShortChannelId } from 'ln-types';
import { ChannelAnnouncementMessage as NlAnnouncement, ChannelUpdateMessage as NlUpdate } from '@node-lightning/wire';
import { decodeMessage, encodeMessage, type MessageOf } from '../src/index.js';

const fill = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
const point = (seed: number) => {
  const p = fill(33, seed);
  p[0] = 2;
  return p as PublicKey;
};
const scid = ((800_000n << 40n) | (1234n << 16n) | 1n) as ShortChannelId;

const update: MessageOf<'channel_update'> = {
  type: 'channel_update',
  signature: fill(64, 1),
  chainHash: CHAIN_HASHES.bitcoin,
  shortChannelId: scid,
  timestamp: 1_770_000_000,
  messageFlags: 1,
  channelFlags: 1,
  cltvExpiryDelta: 144,
  htlcMinimumMsat: 1000n,
  feeBaseMsat: 1000,
  feeProportionalMillionths: 250,
  htlcMaximumMsat: 990_000_000n,
};
const announcement: MessageOf<'channel_announcement'> = {
  type: 'channel_announcement',
  nodeSignature1: fill(64, 2),
  nodeSignature2: fill(64, 3),
  bitcoinSignature1: fill(64, 4),
  bitcoinSignature2: fill(64, 5),
  features: new Uint8Array(0),
  chainHash: CHAIN_HASHES.bitcoin,
  shortChannelId: scid,
  nodeId1: point(6) as NodeId,
  nodeId2: point(7) as NodeId,
  bitcoinKey1: point(8),
  bitcoinKey2: point(9),
};

for (const [m, Peer] of [
  [update, NlUpdate],
  [announcement, NlAnnouncement],
] as const) {
  const bytes = encodeMessage(m);
  const buffer = Buffer.from(bytes);
  const peerMessage = (Peer as unknown as { deserialize(b: Buffer): { serialize(): Buffer } }).deserialize(buffer);
  if (!Buffer.from(peerMessage.serialize()).equals(buffer)) throw new Error(`@node-lightning/wire re-encoded ${m.type} differently`);
  reportMeasurement('ln-wire', `decode ${m.type}`, measure(() => decodeMessage(bytes)), 'msg/s', {
    name: '@node-lightning/wire',
    measurement: measure(() => (Peer as unknown as { deserialize(b: Buffer): unknown }).deserialize(buffer)),
  });
  reportMeasurement('ln-wire', `encode ${m.type}`, measure(() => encodeMessage(m)), 'msg/s', {
    name: '@node-lightning/wire',
    measurement: measure(() => peerMessage.serialize()),
  });
}
