import { toHex } from 'ln-types';
import { Writer } from 'ln-wire';
import { RGS_PREFIX_V1, RGS_PREFIX_V2 } from './decode.js';
import { RgsError } from './errors.js';
import { MAX_NODE_FEATURE_DEFAULTS, writeAdditionalData, writeNodeEntry } from './node-data.js';
import type { RgsNodeUpdate, RgsPolicy, RgsSnapshot, RgsVersion } from './snapshot.js';

/** Options of {@link encodeRgsSnapshot}. */
export interface RgsEncodeOptions {
  /**
   * The format version: 1 (the default, read by every LDK client) or 2, which
   * adds node features and addresses (`snapshot.nodes`) and channel capacities
   * (`fundingSatoshis`); version 1 leaves those out.
   */
  readonly version?: RgsVersion;
}

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
 * The node feature sets a version 2 snapshot lists once and refers to by
 * index: up to six, the most frequent among node updates, each used by at
 * least two nodes (a set used once costs the same inline). Ties go to the
 * smaller hex, so the output is deterministic.
 */
export function rgsNodeFeatureDefaults(nodes: readonly RgsNodeUpdate[]): Uint8Array[] {
  const counts = new Map<string, { features: Uint8Array; count: number }>();
  for (const n of nodes) {
    if (n.features === undefined) continue;
    const key = toHex(n.features);
    const entry = counts.get(key);
    if (entry === undefined) counts.set(key, { features: n.features, count: 1 });
    else entry.count++;
  }
  return [...counts.entries()]
    .filter(([, e]) => e.count >= 2)
    .sort(([ka, a], [kb, b]) => b.count - a.count || (ka < kb ? -1 : ka > kb ? 1 : 0))
    .slice(0, MAX_NODE_FEATURE_DEFAULTS)
    .map(([, e]) => e.features);
}

/**
 * Encodes a snapshot in RGS version 1 (default) or 2, uncompressed.
 * Announcements and updates are written in short-channel-id order (the format
 * stores deltas).
 * @throws RgsError `invalid_value` for a node index past the node list; in
 *   version 2 also for two node updates of one node, two updates of one
 *   channel direction (the format reads the second as additional data) or an
 *   address the format cannot carry; `unknown_version` for another version
 */
export function encodeRgsSnapshot(snapshot: RgsSnapshot, options: RgsEncodeOptions = {}): Uint8Array {
  const version = options.version ?? 1;
  if (version !== 1 && version !== 2) throw new RgsError('unknown_version', `RGS: cannot encode version ${String(version)}`);
  const v2 = version === 2;
  const w = new Writer(64 + snapshot.nodeIds.length * 33 + snapshot.announcements.length * 16 + snapshot.updates.length * 12);
  w.bytes(v2 ? RGS_PREFIX_V2 : RGS_PREFIX_V1).fixed(snapshot.chainHash, 32, 'chain_hash').u32(snapshot.latestSeenTimestamp);
  if (v2) writeNodesV2(w, snapshot);
  else {
    w.u32(snapshot.nodeIds.length);
    for (const id of snapshot.nodeIds) w.fixed(id, 33, 'node_id');
  }

  const announcements = [...snapshot.announcements].sort((a, b) => (a.shortChannelId < b.shortChannelId ? -1 : a.shortChannelId > b.shortChannelId ? 1 : 0));
  w.u32(announcements.length);
  let previous = 0n;
  for (const a of announcements) {
    if (a.node1 >= snapshot.nodeIds.length || a.node2 >= snapshot.nodeIds.length) throw new RgsError('invalid_value', 'node index past the node list');
    w.u16Bytes(a.features, 'channel_features').bigSize(a.shortChannelId - previous);
    previous = a.shortChannelId;
    if (!v2 || a.fundingSatoshis === undefined) {
      w.bigSize(a.node1).bigSize(a.node2);
      continue;
    }
    if (a.fundingSatoshis < 0n || a.fundingSatoshis > 0xffffffffffffffffn) throw new RgsError('invalid_value', 'RGS: funding amount out of u64 range');
    // Bit 63 of node_id_2_index announces the additional data: the funding amount.
    w.bigSize(a.node1).bigSize(BigInt(a.node2) | (1n << 63n));
    writeAdditionalData(w, new Writer(9).bigSize(a.fundingSatoshis).finish());
  }

  const updates = [...snapshot.updates].sort((a, b) =>
    a.shortChannelId < b.shortChannelId ? -1 : a.shortChannelId > b.shortChannelId ? 1 : a.direction - b.direction,
  );
  if (v2) {
    for (let i = 1; i < updates.length; i++) {
      if (updates[i]!.shortChannelId === updates[i - 1]!.shortChannelId && updates[i]!.direction === updates[i - 1]!.direction) {
        throw new RgsError('invalid_value', `RGS: two updates of channel ${updates[i]!.shortChannelId} direction ${updates[i]!.direction}`);
      }
    }
  }
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

function writeNodesV2(w: Writer, snapshot: RgsSnapshot): void {
  const nodes = snapshot.nodes ?? [];
  const byNode = new Map<number, RgsNodeUpdate>();
  for (const n of nodes) {
    if (!Number.isInteger(n.node) || n.node < 0 || n.node >= snapshot.nodeIds.length) throw new RgsError('invalid_value', 'node index past the node list');
    if (byNode.has(n.node)) throw new RgsError('invalid_value', `RGS: two node updates for node ${n.node}`);
    byNode.set(n.node, n);
  }
  const defaults = rgsNodeFeatureDefaults(nodes);
  w.u8(defaults.length);
  for (const features of defaults) w.u16Bytes(features, 'default_node_features');
  const markers = new Map(defaults.map((f, i) => [toHex(f), i + 1]));
  w.u32(snapshot.nodeIds.length);
  snapshot.nodeIds.forEach((id, i) => {
    if (id.length !== 33 || (id[0] !== 2 && id[0] !== 3)) throw new RgsError('invalid_value', `RGS: node id ${i} is not a compressed point`);
    writeNodeEntry(w, id, byNode.get(i), markers);
  });
}
