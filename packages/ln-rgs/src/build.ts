import { toHex, type ChainHash, type ShortChannelId } from 'ln-types';
import type { RgsAnnouncement, RgsPolicy, RgsSnapshot, RgsUpdate } from './snapshot.js';

/** One channel_update of one direction, as a server remembers it. */
export interface RgsPolicyRecord {
  readonly timestamp: number;
  readonly disabled: boolean;
  readonly policy: RgsPolicy;
}

/** What a server knows of a channel, for building snapshots. */
export interface RgsChannelState {
  readonly shortChannelId: ShortChannelId;
  readonly node1: Uint8Array;
  readonly node2: Uint8Array;
  readonly features: Uint8Array;
  /** When the server first saw the announcement (seconds). */
  readonly announcedAt: number;
  /**
   * Updates per direction in ascending timestamp order. The last is current;
   * older ones let an incremental snapshot send only what changed since the
   * client's last sync.
   */
  readonly directions: readonly [readonly RgsPolicyRecord[], readonly RgsPolicyRecord[]];
}

const FIELDS = ['cltvExpiryDelta', 'htlcMinimumMsat', 'feeBaseMsat', 'feeProportionalMillionths', 'htlcMaximumMsat'] as const;

/**
 * Builds a snapshot of what changed after `since` (0 for a full snapshot):
 * channels announced after it, and each direction updated after it, as an
 * incremental update against the last update at or before `since` when the
 * client has one, else as a full update.
 */
export function buildRgsSnapshot(chainHash: ChainHash, channels: Iterable<RgsChannelState>, since = 0): RgsSnapshot {
  const nodeIndex = new Map<string, number>();
  const nodeIds: Uint8Array[] = [];
  const indexOf = (id: Uint8Array) => {
    const key = toHex(id);
    let i = nodeIndex.get(key);
    if (i === undefined) {
      i = nodeIds.push(id) - 1;
      nodeIndex.set(key, i);
    }
    return i;
  };
  const announcements: RgsAnnouncement[] = [];
  const updates: RgsUpdate[] = [];
  let latestSeenTimestamp = since;

  for (const ch of channels) {
    latestSeenTimestamp = Math.max(latestSeenTimestamp, ch.announcedAt);
    // A full snapshot (since 0) assumes the client has nothing.
    const clientHasChannel = since > 0 && ch.announcedAt <= since;
    if (!clientHasChannel) {
      announcements.push({ shortChannelId: ch.shortChannelId, features: ch.features, node1: indexOf(ch.node1), node2: indexOf(ch.node2) });
    }
    for (const direction of [0, 1] as const) {
      const history = ch.directions[direction];
      const latest = history[history.length - 1];
      if (latest === undefined) continue;
      latestSeenTimestamp = Math.max(latestSeenTimestamp, latest.timestamp);
      if (latest.timestamp <= since) continue;
      let reference: RgsPolicyRecord | undefined;
      if (clientHasChannel) for (const record of history) if (record.timestamp <= since) reference = record;
      const common = { shortChannelId: ch.shortChannelId, direction, disabled: latest.disabled };
      if (reference === undefined) {
        updates.push({ kind: 'full', ...common, policy: latest.policy });
        continue;
      }
      const changes: { -readonly [K in keyof RgsPolicy]?: RgsPolicy[K] } = {};
      for (const f of FIELDS) if (latest.policy[f] !== reference.policy[f]) (changes as Record<string, unknown>)[f] = latest.policy[f];
      if (Object.keys(changes).length === 0 && latest.disabled === reference.disabled) continue;
      updates.push({ kind: 'incremental', ...common, changes });
    }
  }
  return { chainHash, latestSeenTimestamp, nodeIds, announcements, updates };
}
