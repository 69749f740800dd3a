import { equalBytes, toHex, type ChainHash, type ShortChannelId } from 'ln-types';
import { Writer, writeAddresses, type NodeAddress } from 'ln-wire';
import { rgsCanCarryAddress } from './node-data.js';
import type { RgsAnnouncement, RgsNodeUpdate, RgsPolicy, RgsSnapshot, RgsUpdate } from './snapshot.js';

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
  /** The channel's capacity, if known (sent in version 2 snapshots). */
  readonly fundingSatoshis?: bigint;
}

/** One node_announcement of a node, as a server remembers it (signature-free). */
export interface RgsNodeRecord {
  readonly timestamp: number;
  readonly features: Uint8Array;
  readonly addresses: readonly NodeAddress[];
}

/** What a server knows of a node's announcements, for version 2 snapshots. */
export interface RgsNodeState {
  readonly nodeId: Uint8Array;
  /** Announcements in ascending timestamp order; the last is current. */
  readonly announcements: readonly RgsNodeRecord[];
}

const FIELDS = ['cltvExpiryDelta', 'htlcMinimumMsat', 'feeBaseMsat', 'feeProportionalMillionths', 'htlcMaximumMsat'] as const;

/**
 * Builds a snapshot of what changed after `since` (0 for a full snapshot):
 * channels announced after it, and each direction updated after it, as an
 * incremental update against the last update at or before `since` when the
 * client has one, else as a full update.
 *
 * With `nodes` (for version 2), the snapshot also gets `nodes`: each node
 * announced after `since` with its features and addresses in full if the
 * client has no earlier announcement of it, else with only what changed
 * (addresses compared as a set); nodes without channels in the snapshot are
 * appended to `nodeIds`. Addresses the format cannot carry (unknown types,
 * hostnames over 251 bytes or not ASCII) are left out, and lists are cut at
 * 255, as rust-lightning's server does. No reminders are sent.
 */
export function buildRgsSnapshot(chainHash: ChainHash, channels: Iterable<RgsChannelState>, since = 0, nodes?: Iterable<RgsNodeState>): RgsSnapshot {
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
      const announcement: RgsAnnouncement = { shortChannelId: ch.shortChannelId, features: ch.features, node1: indexOf(ch.node1), node2: indexOf(ch.node2) };
      announcements.push(ch.fundingSatoshis === undefined ? announcement : { ...announcement, fundingSatoshis: ch.fundingSatoshis });
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
  if (nodes === undefined) return { chainHash, latestSeenTimestamp, nodeIds, announcements, updates };

  const nodeUpdates: RgsNodeUpdate[] = [];
  for (const node of nodes) {
    const latest = node.announcements[node.announcements.length - 1];
    if (latest === undefined) continue;
    latestSeenTimestamp = Math.max(latestSeenTimestamp, latest.timestamp);
    if (latest.timestamp <= since) continue;
    let reference: RgsNodeRecord | undefined;
    if (since > 0) for (const record of node.announcements) if (record.timestamp <= since) reference = record;
    const addresses = carriedAddresses(latest.addresses);
    const addressesChanged = reference === undefined || !sameAddressSet(addresses, carriedAddresses(reference.addresses));
    const featuresChanged = reference === undefined || !equalBytes(latest.features, reference.features);
    if (!addressesChanged && !featuresChanged) continue;
    const update: { -readonly [K in keyof RgsNodeUpdate]: RgsNodeUpdate[K] } = { node: indexOf(node.nodeId) };
    if (addressesChanged) update.addresses = addresses;
    if (featuresChanged) update.features = latest.features;
    nodeUpdates.push(update);
  }
  nodeUpdates.sort((a, b) => a.node - b.node);
  return { chainHash, latestSeenTimestamp, nodeIds, announcements, updates, nodes: nodeUpdates };
}

function carriedAddresses(addresses: readonly NodeAddress[]): NodeAddress[] {
  return addresses.filter((a) => a.kind !== 'opaque' && rgsCanCarryAddress(a)).slice(0, 255);
}

function addressKey(a: NodeAddress): string {
  const w = new Writer(64);
  writeAddresses(w, [a]);
  return toHex(w.finish());
}

function sameAddressSet(a: readonly NodeAddress[], b: readonly NodeAddress[]): boolean {
  const left = new Set(a.map(addressKey));
  const right = new Set(b.map(addressKey));
  return left.size === right.size && [...left].every((k) => right.has(k));
}
