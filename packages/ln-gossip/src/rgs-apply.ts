import { defaultSecp256k1, type Secp256k1Backend } from 'ln-crypto';
import { compareBytes, equalBytes, type NodeId, type PublicKey, type ShortChannelId } from 'ln-types';
import { decodeMessage, encodeMessage, type NodeAddress } from 'ln-wire';
import { RGS_BACKDATE_SECONDS, decodeRgsSnapshot, type RgsNodeUpdate, type RgsPolicy, type RgsSnapshot } from 'ln-rgs';
import { GossipError } from './errors.js';
import { TWO_WEEKS_SECONDS, type NetworkGraph } from './network-graph.js';

/** How {@link applyRgsSnapshot} judges a snapshot. */
export interface RgsApplyOptions {
  /**
   * The current time in unix seconds (default: the wall clock). A snapshot
   * whose latest-seen timestamp is more than two weeks before it is refused.
   */
  readonly now?: number;
  /**
   * The backend that checks node ids are points on the curve (default
   * ln-crypto's, noble: about 0.1 ms per node id not yet in the graph; pass a
   * native or WebAssembly backend for a first sync of the whole network).
   */
  readonly secp256k1?: Secp256k1Backend;
}

/** What applying a snapshot did. */
export interface RgsApplyResult {
  /** The snapshot's latest-seen timestamp: ask for the next snapshot "since" it. */
  readonly latestSeenTimestamp: number;
  readonly channelsAdded: number;
  readonly policiesUpdated: number;
  /** Updates skipped: incremental ones without a policy to patch, or older than what the graph has. */
  readonly updatesSkipped: number;
  /**
   * Announcements of channels not in the graph that were not added: the
   * channel was closed (its funding spent, {@link NetworkGraph.isClosed}), or
   * its node ids are not valid compressed public keys in BOLT 7 order
   * (node_id_1 < node_id_2). Their updates then count as skipped.
   */
  readonly announcementsSkipped: number;
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
 *
 * As LDK's client does, and before anything is written, a snapshot for
 * another chain or more than two weeks old is refused: applying a stale one
 * would date its policies as recent and keep dead channels alive. Channels
 * the graph knows are closed are not re-added, and announcements whose node
 * ids are not valid public keys in BOLT 7 order are skipped (the server is
 * trusted for policies, not to corrupt the graph). Updates for channels the
 * graph does not have (an incremental snapshot whose announcement this client
 * never applied, or a skipped one) are skipped, not an error.
 * @throws GossipError `invalid_argument` when the snapshot is for another chain or `now` is not a time
 * @throws GossipError `stale_snapshot` when its latest-seen timestamp is more than two weeks before `now`
 */
export function applyRgsSnapshot(graph: NetworkGraph, snapshot: RgsSnapshot | Uint8Array, options: RgsApplyOptions = {}): RgsApplyResult {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (!Number.isFinite(now) || now < 0) throw new GossipError('invalid_argument', '`now` must be a time in unix seconds');
  const s = snapshot instanceof Uint8Array ? decodeRgsSnapshot(snapshot) : snapshot;
  if (!equalBytes(s.chainHash, graph.chainHash)) throw new GossipError('invalid_argument', 'the snapshot is for another chain');
  // LDK's rule, to the second: exactly two weeks old is still accepted.
  if (s.latestSeenTimestamp < now - TWO_WEEKS_SECONDS) {
    throw new GossipError('stale_snapshot', `the snapshot was last updated at ${s.latestSeenTimestamp}, more than two weeks before ${now}`);
  }
  const timestamp = Math.max(0, s.latestSeenTimestamp - RGS_BACKDATE_SECONDS);
  const validNode = nodeIdChecker(graph, s, options.secp256k1 ?? defaultSecp256k1);
  let channelsAdded = 0;
  let announcementsSkipped = 0;
  let policiesUpdated = 0;
  let updatesSkipped = 0;

  for (const a of s.announcements) {
    if (graph.channelIndex(a.shortChannelId) >= 0) continue;
    const nodeId1 = s.nodeIds[a.node1] as NodeId | undefined;
    const nodeId2 = s.nodeIds[a.node2] as NodeId | undefined;
    if (
      graph.isClosed(a.shortChannelId) ||
      nodeId1 === undefined ||
      nodeId2 === undefined ||
      compareBytes(nodeId1, nodeId2) >= 0 ||
      !validNode(a.node1) ||
      !validNode(a.node2)
    ) {
      announcementsSkipped++;
      continue;
    }
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
  return { latestSeenTimestamp: s.latestSeenTimestamp, channelsAdded, announcementsSkipped, policiesUpdated, updatesSkipped, nodesUpdated };
}

/**
 * Whether the node id at an index of the snapshot is a valid compressed
 * public key. Each index is checked once; ids the graph already holds were
 * checked when they entered it, so only new ones cost a curve check.
 */
function nodeIdChecker(graph: NetworkGraph, s: RgsSnapshot, backend: Secp256k1Backend): (index: number) => boolean {
  const verdicts = new Map<number, boolean>();
  return (index) => {
    let ok = verdicts.get(index);
    if (ok === undefined) {
      const id = s.nodeIds[index]!;
      ok = id.length === 33 && (id[0] === 2 || id[0] === 3) && (graph.nodeIndex(id) >= 0 || backend.isValidPublicKey(id));
      verdicts.set(index, ok);
    }
    return ok;
  };
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
