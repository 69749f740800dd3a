import { equalBytes, type NodeId, type PublicKey, type ShortChannelId } from 'ln-types';
import { encodeMessage } from 'ln-wire';
import { RGS_BACKDATE_SECONDS, decodeRgsSnapshot, type RgsPolicy, type RgsSnapshot } from 'ln-rgs';
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
}

const NO_SIGNATURE = new Uint8Array(64);

/**
 * Applies a rapid gossip sync snapshot (RGS v1) to a graph, as LDK does: new
 * channels are added, full updates replace a direction's policy, incremental
 * ones patch the policy the graph already has (and are skipped when it has
 * none), and everything is dated `latestSeenTimestamp` minus a week, so fresher
 * gossip received over P2P is never overwritten. The server is trusted: RGS
 * carries no signatures. The graph stores channel_announcement and
 * channel_update bytes for each entry; for RGS entries these are synthesized
 * with all-zero signatures, so they must not be relayed to peers (a node that
 * syncs by RGS does not serve gossip).
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
    graph.addChannel(a.shortChannelId, nodeId1, nodeId2, -1, raw, timestamp);
    channelsAdded++;
  }

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
  return { latestSeenTimestamp: s.latestSeenTimestamp, channelsAdded, policiesUpdated, updatesSkipped };
}
