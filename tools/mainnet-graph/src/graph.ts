import { compareBytes, shortChannelIdFromParts, type ShortChannelId } from 'ln-types';
import { MainnetGraphError } from './errors.js';
import type { Gossmap } from './gossmap.js';
import type { NodeMapEntry } from './node-map.js';

/** A node of the graph. */
export interface GraphNode {
  /** Dense index, 0 .. nodes.length - 1 (the index of the data files). */
  readonly index: number;
  /** 33-byte compressed public key. */
  readonly nodeId: Uint8Array;
  readonly alias: string;
}

/** The policy one end announces for forwarding over a channel (a channel_update's content). */
export interface GraphPolicy {
  readonly htlcMinimumMsat: bigint;
  readonly htlcMaximumMsat: bigint;
  readonly feeBaseMsat: number;
  readonly feeProportionalMillionths: number;
  readonly cltvExpiryDelta: number;
  /** The disable bit of channel_flags (also set for directions that never had an update). */
  readonly disabled: boolean;
}

/** A channel in BOLT 7 orientation. */
export interface GraphChannel {
  /** Dense index, 0 .. channels.length - 1 (the order of the data file). */
  readonly index: number;
  /**
   * A synthetic short channel id (the data has no real ones): block
   * 600000 + floor(index / 1000), transaction index = index % 1000, output 0.
   * Unique and stable for a given index; see {@link syntheticShortChannelId}.
   */
  readonly shortChannelId: ShortChannelId;
  /** node_id_1: the index of the end whose node id is lexicographically smaller. */
  readonly node1: number;
  /** node_id_2: the other end. */
  readonly node2: number;
  readonly capacitySat: bigint;
  /** `[direction 0, direction 1]`: direction 0 is node1's policy (forwarding towards node2). */
  readonly policies: readonly [GraphPolicy, GraphPolicy];
}

/** The whole graph as plain data. */
export interface MainnetGraph {
  readonly nodes: readonly GraphNode[];
  readonly channels: readonly GraphChannel[];
}

/** The synthetic short channel id of channel `index` (see {@link GraphChannel.shortChannelId}). */
export function syntheticShortChannelId(index: number): ShortChannelId {
  return shortChannelIdFromParts(600_000 + Math.floor(index / 1000), index % 1000, 0);
}

/**
 * Combines the gossmap with the node map: gives every channel its BOLT 7
 * orientation (node1 = smaller node id) and its two policies as objects.
 * @throws MainnetGraphError `bad_node_map` if a channel end has no node id
 */
export function orientGraph(gossmap: Gossmap, nodeMap: readonly NodeMapEntry[]): MainnetGraph {
  if (nodeMap.length < gossmap.nodeCount) {
    throw new MainnetGraphError('bad_node_map', `node map has ${nodeMap.length} nodes, the graph uses ${gossmap.nodeCount}`);
  }
  const nodes: GraphNode[] = nodeMap.map((e) => ({ index: e.index, nodeId: e.nodeId, alias: e.alias }));
  const channels: GraphChannel[] = new Array<GraphChannel>(gossmap.channelCount);
  for (let c = 0; c < gossmap.channelCount; c++) {
    const a = gossmap.start[c]!;
    const b = gossmap.end[c]!;
    const aFirst = compareBytes(nodes[a]!.nodeId, nodes[b]!.nodeId) < 0;
    channels[c] = {
      index: c,
      shortChannelId: syntheticShortChannelId(c),
      node1: aFirst ? a : b,
      node2: aFirst ? b : a,
      capacitySat: gossmap.capacitySat[c]!,
      policies: [policyOf(gossmap, c * 2), policyOf(gossmap, c * 2 + 1)],
    };
  }
  return { nodes, channels };
}

function policyOf(g: Gossmap, d: number): GraphPolicy {
  return {
    htlcMinimumMsat: g.htlcMinimumMsat[d]!,
    htlcMaximumMsat: g.htlcMaximumMsat[d]!,
    feeBaseMsat: g.feeBaseMsat[d]!,
    feeProportionalMillionths: g.feeProportionalMillionths[d]!,
    cltvExpiryDelta: g.cltvExpiryDelta[d]!,
    disabled: g.disabled[d] === 1,
  };
}
