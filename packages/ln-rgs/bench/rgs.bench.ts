// Encode and decode of a mainnet-sized snapshot (50,000 channels, 100,000 updates, synthetic values).
import { reportMeasurement, reportValue, timeRuns } from 'ln-bench';
import { CHAIN_HASHES, type ShortChannelId } from 'ln-types';
import { decodeRgsSnapshot, encodeRgsSnapshot, type RgsSnapshot, type RgsUpdate } from '../src/index.js';

const CHANNELS = 50_000;
const nodeIds = Array.from({ length: 17_000 }, (_, i) => {
  const id = new Uint8Array(33);
  id[0] = 2;
  new DataView(id.buffer).setUint32(1, i);
  return id;
});
const announcements = Array.from({ length: CHANNELS }, (_, i) => ({
  shortChannelId: (BigInt(600_000 + i) << 40n) as ShortChannelId,
  features: new Uint8Array(0),
  node1: i % nodeIds.length,
  node2: (i * 7 + 1) % nodeIds.length,
}));
const updates: RgsUpdate[] = announcements.flatMap((a, i) =>
  ([0, 1] as const).map((direction) => ({
    kind: 'full' as const,
    shortChannelId: a.shortChannelId,
    direction,
    disabled: i % 17 === 0,
    policy: { cltvExpiryDelta: i % 3 === 0 ? 144 : 40, htlcMinimumMsat: 1000n, feeBaseMsat: i % 5 === 0 ? 0 : 1000, feeProportionalMillionths: i % 1000, htlcMaximumMsat: 990_000_000n },
  })),
);
const snapshot: RgsSnapshot = { chainHash: CHAIN_HASHES.bitcoin, latestSeenTimestamp: 1_700_000_000, nodeIds, announcements, updates };
const bytes = encodeRgsSnapshot(snapshot);
reportValue('ln-rgs', 'full snapshot size (50k channels, 100k updates)', bytes.length, 'bytes');
reportMeasurement('ln-rgs', 'encode full snapshot', await timeRuns(() => encodeRgsSnapshot(snapshot)), 'ms');
reportMeasurement('ln-rgs', 'decode full snapshot', await timeRuns(() => decodeRgsSnapshot(bytes)), 'ms');
