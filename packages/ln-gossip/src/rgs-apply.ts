import { equalBytes, type NodeId, type PublicKey, type ShortChannelId } from 'ln-types';
import { decodeMessage, encodeMessage, type NodeAddress } from 'ln-wire';
import { RGS_BACKDATE_SECONDS, decodeRgsSnapshot, type RgsNodeUpdate, type RgsPolicy, type RgsSnapshot } from 'ln-rgs';
import { GossipError } from './errors.js';
import type { NetworkGraph } from './network-graph.js';

/** What applying a snapshot did. */
export interface RgsApplyResult {
  /** The snapshot's latest-seen timestamp: ask for the next snapshot "since" it. */
  readonly latestSeenTimestamp: number;
  readonly channelsAdded: number;
  readonly policiesUpdated: number;
  /** Updates skipped: incremental ones without a policy to patch, or older than what the graph has. */
  readonly updatesSkipped: number;
  /**
   * Version 2: node announcements written (features, addresses, or a reminder
   * re-dating what the graph has). Nodes not in the graph, or whose
   * announcement is as new or newer, are left alone.
   */
  readonly nodesUpdated: number;
}

const NO_SIGNATURE = new Uint8Array(64);

/**
 * Applies a rapid gossip sync snapshot (RGS v1 or v2) to a graph, as LDK does:
 * new channels are added (with their capacity when v2 sends it), full updates
 * replace a direction's policy, incremental ones patch the policy the graph
 * already has (and are skipped when it has none), v2 node data replaces the
 * features and/or addresses of nodes in the graph (keeping the alias, color
 * and whatever was not sent), and everything is dated `latestSeenTimestamp`
 * minus a week, so fresher gossip received over P2P is never overwritten. The
 * server is trusted: RGS carries no signatures. The graph stores
 * channel_announcement, channel_update and node_announcement bytes for each
 * entry; for RGS entries these are synthesized with all-zero signatures, so
 * they must not be relayed to peers (a node that syncs by RGS does not serve
 * gossip).
 * @throws GossipError `invalid_argument` when the snapshot is for another chain
 */
export function applyRgsSnapshot(graph: NetworkGraph, snapshot: RgsSnapshot | Uint8Array): RgsApplyResult {
  const s = snapshot instanceof Uint8Array ? decodeRgsSnapshot(snapshot) : snapshot;
  if (!equalBytes(s.chainHash, graph.chainHash)) throw new GossipError('invalid_argument', 'the snapshot is for another chain');
  const timestamp = Math.max(0, s.latestSeenTimestamp - RGS_BACKDATE_SECONDS);
  let channelsAdded = 0;
  let policiesUpdated = 0;
  let updatesSkipped = 0;

  for (const a of s.announcements) {
    if (graph.channelIndex(a.shortChannelId) >= 0) continue;
    const nodeId1 = s.nodeIds[a.node1]! as NodeId;
    const nodeId2 = s.nodeIds[a.node2]! as NodeId;
    const raw = encodeMessage({
      type: 'channel_announcement',
      nodeSignature1: NO_SIGNATURE,
      nodeSignature2: NO_SIGNATURE,
      bitcoinSignature1: NO_SIGNATURE,
      bitcoinSignature2: NO_SIGNATURE,
      features: a.features,
      chainHash: s.chainHash,
      shortChannelId: a.shortChannelId,
      nodeId1,
      nodeId2,
      // The funding keys are not in RGS: the node ids stand in for them.
      bitcoinKey1: nodeId1 as PublicKey,
      bitcoinKey2: nodeId2 as PublicKey,
    });
    const capacitySat = a.fundingSatoshis === undefined ? -1 : Number(a.fundingSatoshis);
    graph.addChannel(a.shortChannelId, nodeId1, nodeId2, capacitySat, raw, timestamp);
    channelsAdded++;
  }

  let nodesUpdated = 0;
  for (const n of s.nodes ?? []) if (applyNode(graph, s, n, timestamp)) nodesUpdated++;

  for (const u of s.updates) {
    const channel = graph.channelIndex(u.shortChannelId);
    if (channel < 0 || (graph.hasPolicy(channel, u.direction) && graph.policyLastUpdate(channel, u.direction) >= timestamp)) {
      updatesSkipped++;
      continue;
    }
    let policy: RgsPolicy;
    if (u.kind === 'full') policy = u.policy;
    else {
      if (!graph.hasPolicy(channel, u.direction)) {
        updatesSkipped++;
        continue;
      }
      policy = {
        cltvExpiryDelta: u.changes.cltvExpiryDelta ?? graph.policyCltvExpiryDelta(channel, u.direction),
        htlcMinimumMsat: u.changes.htlcMinimumMsat ?? graph.policyHtlcMinimumMsatExact(channel, u.direction),
        feeBaseMsat: u.changes.feeBaseMsat ?? graph.policyFeeBaseMsat(channel, u.direction),
        feeProportionalMillionths: u.changes.feeProportionalMillionths ?? graph.policyFeeProportionalMillionths(channel, u.direction),
        htlcMaximumMsat: u.changes.htlcMaximumMsat ?? graph.policyHtlcMaximumMsatExact(channel, u.direction),
      };
    }
    const raw = encodeMessage({
      type: 'channel_update',
      signature: NO_SIGNATURE,
      chainHash: s.chainHash,
      shortChannelId: u.shortChannelId as ShortChannelId,
      timestamp,
      messageFlags: 1,
      channelFlags: u.direction | (u.disabled ? 2 : 0),
      cltvExpiryDelta: policy.cltvExpiryDelta,
      htlcMinimumMsat: policy.htlcMinimumMsat,
      feeBaseMsat: policy.feeBaseMsat,
      feeProportionalMillionths: policy.feeProportionalMillionths,
      htlcMaximumMsat: policy.htlcMaximumMsat,
    });
    graph.updatePolicy(channel, u.direction, { timestamp, disabled: u.disabled, dontForward: false, ...policy }, raw);
    policiesUpdated++;
  }
  return { latestSeenTimestamp: s.latestSeenTimestamp, channelsAdded, policiesUpdated, updatesSkipped, nodesUpdated };
}

const NO_COLOR = new Uint8Array(3);
const NO_ALIAS = new Uint8Array(32);

/** Writes a synthesized node_announcement from RGS node data over what the graph has. */
function applyNode(graph: NetworkGraph, s: RgsSnapshot, n: RgsNodeUpdate, timestamp: number): boolean {
  const node = graph.nodeIndex(s.nodeIds[n.node]!);
  if (node < 0) return false;
  const stored = graph.nodeAnnouncement(node);
  if (stored !== undefined && graph.nodeAnnouncementTimestamp(node) >= timestamp) return false;
  const old = stored === undefined ? undefined : decodeMessage(stored);
  const previous = old?.type === 'node_announcement' ? old : undefined;
  // Addresses of types this toolkit does not know are dropped, as LDK drops them.
  const addresses: readonly NodeAddress[] = n.addresses?.filter((a) => a.kind !== 'opaque') ?? previous?.addresses ?? [];
  const raw = encodeMessage({
    type: 'node_announcement',
    signature: NO_SIGNATURE,
    features: n.features ?? previous?.features ?? new Uint8Array(0),
    timestamp,
    nodeId: s.nodeIds[n.node]! as NodeId,
    rgbColor: previous?.rgbColor ?? NO_COLOR,
    alias: previous?.alias ?? NO_ALIAS,
    addresses,
  });
  graph.updateNodeAnnouncement(node, timestamp, raw);
  return true;
}
