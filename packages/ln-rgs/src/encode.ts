import { Writer } from 'ln-wire';
import { RGS_PREFIX_V1 } from './decode.js';
import { RgsError } from './errors.js';
import type { RgsPolicy, RgsSnapshot } from './snapshot.js';

const FIELDS = ['cltvExpiryDelta', 'htlcMinimumMsat', 'feeBaseMsat', 'feeProportionalMillionths', 'htlcMaximumMsat'] as const;
const FIELD_FLAG: Record<(typeof FIELDS)[number], number> = {
  cltvExpiryDelta: 0x40,
  htlcMinimumMsat: 0x20,
  feeBaseMsat: 0x10,
  feeProportionalMillionths: 0x08,
  htlcMaximumMsat: 0x04,
};

/**
 * The defaults a snapshot announces: per field, the most frequent value among
 * full updates (ties broken by the smaller value, so the output is deterministic).
 */
export function rgsDefaults(snapshot: RgsSnapshot): RgsPolicy {
  const out: Record<string, number | bigint> = {};
  for (const field of FIELDS) {
    const counts = new Map<number | bigint, number>();
    for (const u of snapshot.updates) if (u.kind === 'full') counts.set(u.policy[field], (counts.get(u.policy[field]) ?? 0) + 1);
    let best: number | bigint = field === 'htlcMinimumMsat' || field === 'htlcMaximumMsat' ? 0n : 0;
    let bestCount = 0;
    for (const [value, count] of counts) {
      if (count > bestCount || (count === bestCount && value < best)) {
        best = value;
        bestCount = count;
      }
    }
    out[field] = best;
  }
  return out as unknown as RgsPolicy;
}

/**
 * Encodes a snapshot in RGS version 1 (uncompressed). Announcements and
 * updates are written in short-channel-id order (the format stores deltas).
 * @throws RgsError `invalid_value` for a node index past the node list
 */
export function encodeRgsSnapshot(snapshot: RgsSnapshot): Uint8Array {
  const w = new Writer(64 + snapshot.nodeIds.length * 33 + snapshot.announcements.length * 16 + snapshot.updates.length * 12);
  w.bytes(RGS_PREFIX_V1).fixed(snapshot.chainHash, 32, 'chain_hash').u32(snapshot.latestSeenTimestamp);
  w.u32(snapshot.nodeIds.length);
  for (const id of snapshot.nodeIds) w.fixed(id, 33, 'node_id');

  const announcements = [...snapshot.announcements].sort((a, b) => (a.shortChannelId < b.shortChannelId ? -1 : a.shortChannelId > b.shortChannelId ? 1 : 0));
  w.u32(announcements.length);
  let previous = 0n;
  for (const a of announcements) {
    if (a.node1 >= snapshot.nodeIds.length || a.node2 >= snapshot.nodeIds.length) throw new RgsError('invalid_value', 'node index past the node list');
    w.u16Bytes(a.features, 'channel_features').bigSize(a.shortChannelId - previous).bigSize(a.node1).bigSize(a.node2);
    previous = a.shortChannelId;
  }

  const updates = [...snapshot.updates].sort((a, b) =>
    a.shortChannelId < b.shortChannelId ? -1 : a.shortChannelId > b.shortChannelId ? 1 : a.direction - b.direction,
  );
  w.u32(updates.length);
  if (updates.length === 0) return w.finish();
  const defaults = rgsDefaults(snapshot);
  w.u16(defaults.cltvExpiryDelta).u64(defaults.htlcMinimumMsat).u32(defaults.feeBaseMsat).u32(defaults.feeProportionalMillionths).u64(defaults.htlcMaximumMsat);
  previous = 0n;
  for (const u of updates) {
    const fields: Partial<RgsPolicy> = u.kind === 'full' ? Object.fromEntries(FIELDS.filter((f) => u.policy[f] !== defaults[f]).map((f) => [f, u.policy[f]])) : u.changes;
    let flags = (u.kind === 'incremental' ? 0x80 : 0) | (u.disabled ? 2 : 0) | u.direction;
    for (const f of FIELDS) if (fields[f] !== undefined) flags |= FIELD_FLAG[f];
    w.bigSize(u.shortChannelId - previous).u8(flags);
    previous = u.shortChannelId;
    if (fields.cltvExpiryDelta !== undefined) w.u16(fields.cltvExpiryDelta);
    if (fields.htlcMinimumMsat !== undefined) w.u64(fields.htlcMinimumMsat);
    if (fields.feeBaseMsat !== undefined) w.u32(fields.feeBaseMsat);
    if (fields.feeProportionalMillionths !== undefined) w.u32(fields.feeProportionalMillionths);
    if (fields.htlcMaximumMsat !== undefined) w.u64(fields.htlcMaximumMsat);
  }
  return w.finish();
}
