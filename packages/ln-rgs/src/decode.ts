import type { ChainHash, ShortChannelId } from 'ln-types';
import { Reader, WireError } from 'ln-wire';
import { RgsError } from './errors.js';
import type { RgsAnnouncement, RgsPolicy, RgsSnapshot, RgsUpdate } from './snapshot.js';

/** "LDK" then the version byte. */
export const RGS_PREFIX_V1 = Uint8Array.of(76, 68, 75, 1);

const U64_MAX = 0xffffffffffffffffn;

/**
 * Decodes an RGS version 1 snapshot (uncompressed: servers usually gzip it over
 * HTTP). Bounds are checked before anything is allocated: a count from the data
 * can never make the decoder allocate more than the bytes present justify.
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
  const prefix = r.bytes(4, 'prefix');
  if (prefix.some((b, i) => b !== RGS_PREFIX_V1[i])) {
    throw new RgsError('unknown_version', `RGS: unsupported prefix/version ${[...prefix].join(',')}`);
  }
  const chainHash = r.bytes(32, 'chain_hash').slice() as ChainHash;
  const latestSeenTimestamp = r.u32('latest_seen_timestamp');

  const nodeCount = r.u32('node_id_count');
  if (nodeCount * 33 > r.remaining) throw new RgsError('truncated', `RGS: ${nodeCount} node ids do not fit in ${r.remaining} bytes`);
  const nodeIds: Uint8Array[] = new Array(nodeCount);
  for (let i = 0; i < nodeCount; i++) {
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
    const node2 = r.bigSize('node_id_2_index');
    if (node1 >= BigInt(nodeCount) || node2 >= BigInt(nodeCount)) throw new RgsError('invalid_value', `RGS: announcement ${i} refers to a node index past ${nodeCount}`);
    announcements[i] = { shortChannelId: scid as ShortChannelId, features, node1: Number(node1), node2: Number(node2) };
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
    for (let i = 0; i < updateCount; i++) {
      scid = nextScid(scid, r.bigSize('short_channel_id delta'));
      const flags = r.u8('custom_channel_flags');
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
  return { chainHash, latestSeenTimestamp, nodeIds, announcements, updates };
}

function nextScid(previous: bigint, delta: bigint): bigint {
  const next = previous + delta;
  if (next > U64_MAX) throw new RgsError('invalid_value', 'RGS: short channel id overflows');
  return next;
}
