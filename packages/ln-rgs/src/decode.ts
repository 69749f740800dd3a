import type { ChainHash, ShortChannelId } from 'ln-types';
import { Reader, WireError } from 'ln-wire';
import { RgsError } from './errors.js';
import { MAX_NODE_FEATURE_DEFAULTS, readAdditionalData, readNodeEntry } from './node-data.js';
import type { RgsAnnouncement, RgsNodeUpdate, RgsPolicy, RgsSnapshot, RgsUpdate, RgsVersion } from './snapshot.js';

/** "LDK" then the version byte. */
export const RGS_PREFIX_V1 = Uint8Array.of(76, 68, 75, 1);
/** "LDK" then version 2 (node features and addresses). */
export const RGS_PREFIX_V2 = Uint8Array.of(76, 68, 75, 2);

const U64_MAX = 0xffffffffffffffffn;
/** Bit 63 of a v2 announcement's node_id_2_index: additional data follows. */
const ANNOUNCEMENT_DATA_BIT = 1n << 63n;

/**
 * The version of an RGS snapshot, from its first four bytes.
 * @throws RgsError `unknown_version` unless it starts with "LDK" and version 1 or 2, `truncated` if shorter
 */
export function rgsSnapshotVersion(bytes: Uint8Array): RgsVersion {
  if (bytes.length < 4) throw new RgsError('truncated', 'RGS: shorter than its prefix');
  const version = bytes[3]!;
  if (bytes[0] !== 76 || bytes[1] !== 68 || bytes[2] !== 75 || (version !== 1 && version !== 2)) {
    throw new RgsError('unknown_version', `RGS: unsupported prefix/version ${[...bytes.subarray(0, 4)].join(',')}`);
  }
  return version;
}

/**
 * Decodes an RGS snapshot of version 1 or 2 (uncompressed: servers usually
 * gzip it over HTTP). A version 2 snapshot comes back with `nodes` (node
 * features and addresses) and announcements' `fundingSatoshis` where sent;
 * additional data the format reserves for later versions is skipped, as
 * rust-lightning does. Bounds are checked before anything is allocated: a
 * count from the data can never make the decoder allocate more than the bytes
 * present justify.
 * @throws RgsError
 */
export function decodeRgsSnapshot(bytes: Uint8Array): RgsSnapshot {
  try {
    return decode(new Reader(bytes));
  } catch (e) {
    if (e instanceof WireError) throw new RgsError(e.code === 'truncated' ? 'truncated' : 'invalid_value', `RGS: ${e.message}`, { cause: e });
    throw e;
  }
}

function decode(r: Reader): RgsSnapshot {
  const version = rgsSnapshotVersion(r.bytes(4, 'prefix'));
  const v2 = version === 2;
  const chainHash = r.bytes(32, 'chain_hash').slice() as ChainHash;
  const latestSeenTimestamp = r.u32('latest_seen_timestamp');

  const featureDefaults: Uint8Array[] = [];
  if (v2) {
    const count = r.u8('default_node_feature_count');
    // Markers 1 to 6 can refer to defaults; more would be unreachable, but they are valid bytes.
    for (let i = 0; i < count; i++) featureDefaults.push(r.u16Bytes('default_node_features').slice());
    if (featureDefaults.length > MAX_NODE_FEATURE_DEFAULTS) featureDefaults.length = MAX_NODE_FEATURE_DEFAULTS;
  }

  const nodeCount = r.u32('node_id_count');
  if (nodeCount * 33 > r.remaining) throw new RgsError('truncated', `RGS: ${nodeCount} node ids do not fit in ${r.remaining} bytes`);
  const nodeIds: Uint8Array[] = new Array(nodeCount);
  const nodes: RgsNodeUpdate[] = [];
  for (let i = 0; i < nodeCount; i++) {
    if (v2) {
      const entry = readNodeEntry(r, i, featureDefaults);
      nodeIds[i] = entry.id;
      if (entry.update !== undefined) nodes.push(entry.update);
      continue;
    }
    const id = r.bytes(33, 'node_id');
    if (id[0] !== 2 && id[0] !== 3) throw new RgsError('invalid_value', `RGS: node id ${i} is not a compressed point`);
    nodeIds[i] = id.slice();
  }

  const announcementCount = r.u32('announcement_count');
  // Each announcement takes at least 5 bytes (features length, three BigSizes).
  if (announcementCount * 5 > r.remaining) throw new RgsError('truncated', `RGS: ${announcementCount} announcements do not fit`);
  const announcements: RgsAnnouncement[] = new Array(announcementCount);
  let scid = 0n;
  for (let i = 0; i < announcementCount; i++) {
    const features = r.u16Bytes('channel_features').slice();
    scid = nextScid(scid, r.bigSize('short_channel_id delta'));
    const node1 = r.bigSize('node_id_1_index');
    let node2 = r.bigSize('node_id_2_index');
    const hasData = v2 && (node2 & ANNOUNCEMENT_DATA_BIT) !== 0n;
    if (hasData) node2 &= ~ANNOUNCEMENT_DATA_BIT;
    if (node1 >= BigInt(nodeCount) || node2 >= BigInt(nodeCount)) throw new RgsError('invalid_value', `RGS: announcement ${i} refers to a node index past ${nodeCount}`);
    const announcement: { -readonly [K in keyof RgsAnnouncement]: RgsAnnouncement[K] } = { shortChannelId: scid as ShortChannelId, features, node1: Number(node1), node2: Number(node2) };
    if (hasData) {
      // Starts with the funding amount (a BigSize); what follows is for later versions.
      const data = readAdditionalData(r, 'announcement additional data');
      if (data.length > 0) announcement.fundingSatoshis = new Reader(data).bigSize('funding_satoshis');
    }
    announcements[i] = announcement;
  }

  const updateCount = r.u32('update_count');
  const updates: RgsUpdate[] = [];
  if (updateCount > 0) {
    const defaults: RgsPolicy = {
      cltvExpiryDelta: r.u16('default_cltv_expiry_delta'),
      htlcMinimumMsat: r.u64('default_htlc_minimum_msat'),
      feeBaseMsat: r.u32('default_fee_base_msat'),
      feeProportionalMillionths: r.u32('default_fee_proportional_millionths'),
      htlcMaximumMsat: r.u64('default_htlc_maximum_msat'),
    };
    // Each update takes at least 2 bytes (a BigSize delta and the flags).
    if (updateCount * 2 > r.remaining) throw new RgsError('truncated', `RGS: ${updateCount} updates do not fit`);
    scid = 0n;
    let previousDirection: number | undefined;
    for (let i = 0; i < updateCount; i++) {
      const delta = r.bigSize('short_channel_id delta');
      scid = nextScid(scid, delta);
      const flags = r.u8('custom_channel_flags');
      if (v2) {
        // Version 2: a second entry for the same channel and direction is additional data.
        const repeated = delta === 0n && previousDirection === (flags & 1);
        previousDirection = flags & 1;
        if (repeated) {
          readAdditionalData(r, 'update additional data');
          continue;
        }
      }
      const changes: { -readonly [K in keyof RgsPolicy]?: RgsPolicy[K] } = {};
      if (flags & 0x40) changes.cltvExpiryDelta = r.u16('cltv_expiry_delta');
      if (flags & 0x20) changes.htlcMinimumMsat = r.u64('htlc_minimum_msat');
      if (flags & 0x10) changes.feeBaseMsat = r.u32('fee_base_msat');
      if (flags & 0x08) changes.feeProportionalMillionths = r.u32('fee_proportional_millionths');
      if (flags & 0x04) changes.htlcMaximumMsat = r.u64('htlc_maximum_msat');
      const common = { shortChannelId: scid as ShortChannelId, direction: (flags & 1) as 0 | 1, disabled: (flags & 2) !== 0 };
      updates.push(flags & 0x80 ? { kind: 'incremental', ...common, changes } : { kind: 'full', ...common, policy: { ...defaults, ...changes } });
    }
  }
  if (!r.atEnd) throw new RgsError('trailing_bytes', `RGS: ${r.remaining} bytes after the last update`);
  return v2 ? { chainHash, latestSeenTimestamp, nodeIds, announcements, updates, nodes } : { chainHash, latestSeenTimestamp, nodeIds, announcements, updates };
}

function nextScid(previous: bigint, delta: bigint): bigint {
  const next = previous + delta;
  if (next > U64_MAX) throw new RgsError('invalid_value', 'RGS: short channel id overflows');
  return next;
}
