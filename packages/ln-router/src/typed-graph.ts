import { shortChannelId, toHex, type NodeId, type ShortChannelId } from 'ln-types';
import type { Direction, NetworkGraphView } from 'ln-router-api';
import { RouterDataError } from './errors.js';

/** A direction's policy as plain data (a channel_update's routing fields). */
export interface PolicyData {
  readonly htlcMinimumMsat: bigint;
  readonly htlcMaximumMsat: bigint;
  readonly feeBaseMsat: number;
  readonly feeProportionalMillionths: number;
  readonly cltvExpiryDelta: number;
  readonly disabled: boolean;
  /** channel_update timestamp (seconds), 0 if unknown. */
  readonly lastUpdate?: number;
}

/** A channel as plain data, in BOLT 7 orientation (node1 has the smaller id). */
export interface ChannelData {
  readonly shortChannelId: bigint;
  /** Index into `nodes` of node_id_1. */
  readonly node1: number;
  /** Index into `nodes` of node_id_2. */
  readonly node2: number;
  /** Capacity in satoshis; absent when unknown. */
  readonly capacitySat?: bigint;
  readonly features?: Uint8Array;
  /** `[node1's policy, node2's policy]`; null for a direction without channel_update. */
  readonly policies: readonly [PolicyData | null, PolicyData | null];
}

/** A node as plain data. */
export interface NodeData {
  readonly nodeId: Uint8Array;
  readonly features?: Uint8Array;
}

/** A whole graph as plain data (e.g. ln-mainnet-graph's MainnetGraph, or a snapshot). */
export interface GraphData {
  readonly nodes: readonly NodeData[];
  readonly channels: readonly ChannelData[];
}

const PRESENT = 1;
const ENABLED = 2;
const EMPTY = new Uint8Array(0);

function clampMsat(v: bigint): number {
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

/**
 * An immutable NetworkGraphView held in typed arrays (about 60 bytes per
 * channel plus the ids): fast to search, cheap to build from plain data.
 */
export class TypedGraph implements NetworkGraphView {
  readonly nodeCount: number;
  readonly channelCount: number;
  private readonly ids: readonly NodeId[];
  private readonly nodeFeat: readonly Uint8Array[];
  private readonly byHex: Map<string, number>;
  private readonly byScid: Map<bigint, number>;
  private readonly scid: BigUint64Array;
  private readonly n1: Uint32Array;
  private readonly n2: Uint32Array;
  private readonly capSat: Float64Array;
  private readonly chanFeat: readonly Uint8Array[];
  private readonly flags: Uint8Array;
  private readonly feeBase: Uint32Array;
  private readonly feeProp: Uint32Array;
  private readonly cltv: Uint16Array;
  private readonly htlcMin: Float64Array;
  private readonly htlcMax: Float64Array;
  private readonly updated: Uint32Array;
  private readonly adjStart: Uint32Array;
  private readonly adj: Uint32Array;

  /**
   * Builds the view. Node ids must be unique 33-byte keys, channel ends valid
   * node indexes, scids unique.
   * @throws RouterDataError `invalid_graph`
   */
  constructor(data: GraphData) {
    const nodeCount = data.nodes.length;
    const channelCount = data.channels.length;
    this.nodeCount = nodeCount;
    this.channelCount = channelCount;
    const ids: NodeId[] = new Array<NodeId>(nodeCount);
    const nodeFeat: Uint8Array[] = new Array<Uint8Array>(nodeCount);
    this.byHex = new Map();
    for (let n = 0; n < nodeCount; n++) {
      const node = data.nodes[n]!;
      if (!(node.nodeId instanceof Uint8Array) || node.nodeId.length !== 33) throw new RouterDataError('invalid_graph', `node ${n}: bad node id`);
      const hex = toHex(node.nodeId);
      if (this.byHex.has(hex)) throw new RouterDataError('invalid_graph', `node ${n}: duplicate node id`);
      this.byHex.set(hex, n);
      ids[n] = node.nodeId as NodeId;
      nodeFeat[n] = node.features ?? EMPTY;
    }
    this.ids = ids;
    this.nodeFeat = nodeFeat;

    this.byScid = new Map();
    this.scid = new BigUint64Array(channelCount);
    this.n1 = new Uint32Array(channelCount);
    this.n2 = new Uint32Array(channelCount);
    this.capSat = new Float64Array(channelCount);
    const chanFeat: Uint8Array[] = new Array<Uint8Array>(channelCount);
    const dirs = channelCount * 2;
    this.flags = new Uint8Array(dirs);
    this.feeBase = new Uint32Array(dirs);
    this.feeProp = new Uint32Array(dirs);
    this.cltv = new Uint16Array(dirs);
    this.htlcMin = new Float64Array(dirs);
    this.htlcMax = new Float64Array(dirs);
    this.updated = new Uint32Array(dirs);
    const degree = new Uint32Array(nodeCount + 1);
    for (let c = 0; c < channelCount; c++) {
      const ch = data.channels[c]!;
      const a = ch.node1;
      const b = ch.node2;
      if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0 || a >= nodeCount || b >= nodeCount || a === b) {
        throw new RouterDataError('invalid_graph', `channel ${c}: bad ends ${a}, ${b}`);
      }
      if (this.byScid.has(ch.shortChannelId)) throw new RouterDataError('invalid_graph', `channel ${c}: duplicate scid`);
      this.byScid.set(ch.shortChannelId, c);
      this.scid[c] = ch.shortChannelId;
      this.n1[c] = a;
      this.n2[c] = b;
      this.capSat[c] = ch.capacitySat === undefined ? -1 : Number(ch.capacitySat);
      chanFeat[c] = ch.features ?? EMPTY;
      for (let d = 0; d < 2; d++) {
        const p = ch.policies[d];
        if (p === null || p === undefined) continue;
        const i = c * 2 + d;
        this.flags[i] = PRESENT | (p.disabled ? 0 : ENABLED);
        this.feeBase[i] = p.feeBaseMsat;
        this.feeProp[i] = p.feeProportionalMillionths;
        this.cltv[i] = p.cltvExpiryDelta;
        this.htlcMin[i] = clampMsat(p.htlcMinimumMsat);
        this.htlcMax[i] = clampMsat(p.htlcMaximumMsat);
        this.updated[i] = p.lastUpdate ?? 0;
      }
      degree[a]!++;
      degree[b]!++;
    }
    this.chanFeat = chanFeat;
    // Compressed adjacency: the channels of node n are adj[adjStart[n] .. adjStart[n + 1]).
    this.adjStart = new Uint32Array(nodeCount + 1);
    for (let n = 0; n < nodeCount; n++) this.adjStart[n + 1] = this.adjStart[n]! + degree[n]!;
    this.adj = new Uint32Array(channelCount * 2);
    const fill = this.adjStart.slice(0, nodeCount);
    for (let c = 0; c < channelCount; c++) {
      this.adj[fill[this.n1[c]!]!++] = c;
      this.adj[fill[this.n2[c]!]!++] = c;
    }
  }

  nodeIndex(id: NodeId): number {
    return this.byHex.get(toHex(id)) ?? -1;
  }
  nodeId(n: number): NodeId {
    return this.ids[n]!;
  }
  nodeFeatures(n: number): Uint8Array {
    return this.nodeFeat[n]!;
  }
  nodeChannelCount(n: number): number {
    return this.adjStart[n + 1]! - this.adjStart[n]!;
  }
  nodeChannelAt(n: number, k: number): number {
    return this.adj[this.adjStart[n]! + k]!;
  }
  channelIndex(scid: ShortChannelId): number {
    return this.byScid.get(scid) ?? -1;
  }
  hasChannel(c: number): boolean {
    return c >= 0 && c < this.channelCount;
  }
  channelScid(c: number): ShortChannelId {
    return shortChannelId(this.scid[c]!);
  }
  channelNode1(c: number): number {
    return this.n1[c]!;
  }
  channelNode2(c: number): number {
    return this.n2[c]!;
  }
  channelCapacitySat(c: number): number {
    return this.capSat[c]!;
  }
  channelFeatures(c: number): Uint8Array {
    return this.chanFeat[c]!;
  }
  hasPolicy(c: number, d: Direction): boolean {
    return (this.flags[c * 2 + d]! & PRESENT) !== 0;
  }
  policyEnabled(c: number, d: Direction): boolean {
    return (this.flags[c * 2 + d]! & ENABLED) !== 0;
  }
  policyFeeBaseMsat(c: number, d: Direction): number {
    return this.feeBase[c * 2 + d]!;
  }
  policyFeeProportionalMillionths(c: number, d: Direction): number {
    return this.feeProp[c * 2 + d]!;
  }
  policyCltvExpiryDelta(c: number, d: Direction): number {
    return this.cltv[c * 2 + d]!;
  }
  policyHtlcMinimumMsat(c: number, d: Direction): number {
    return this.htlcMin[c * 2 + d]!;
  }
  policyHtlcMaximumMsat(c: number, d: Direction): number {
    return this.htlcMax[c * 2 + d]!;
  }
  policyLastUpdate(c: number, d: Direction): number {
    return this.updated[c * 2 + d]!;
  }
}

/**
 * A graph from data whose policies mark missing updates as disabled
 * (ln-mainnet-graph's shape: policies always present, `disabled` flag).
 */
export function buildTypedGraph(data: GraphData): TypedGraph {
  return new TypedGraph(data);
}
