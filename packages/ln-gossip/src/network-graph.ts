import type { Direction, NetworkGraphView } from 'ln-router-api';
import type { ChainHash, NodeId, ShortChannelId } from 'ln-types';
import { ByteArena } from './byte-arena.js';
import { grow } from './columns.js';
import { GossipError } from './errors.js';
import { nodeKey } from './node-key.js';

/** Seconds in two weeks: the BOLT 7 pruning horizon for channels without fresh updates. */
export const TWO_WEEKS_SECONDS = 14 * 24 * 3600;

/** Policy flags kept per direction. */
export const POLICY_PRESENT = 1;
export const POLICY_DISABLED = 2;
export const POLICY_DONT_FORWARD = 4;

/** The content of a channel_update as the graph stores it. */
export interface PolicyFields {
  readonly timestamp: number;
  /** channel_flags bit 1. */
  readonly disabled: boolean;
  /** message_flags bit 1. */
  readonly dontForward: boolean;
  readonly cltvExpiryDelta: number;
  readonly htlcMinimumMsat: bigint;
  readonly htlcMaximumMsat: bigint;
  readonly feeBaseMsat: number;
  readonly feeProportionalMillionths: number;
}

/** What changed in the graph, for listeners (e.g. a router cache or a forwarder). */
export type GraphChange =
  | { readonly kind: 'channel_added'; readonly channel: number }
  | { readonly kind: 'channel_removed'; readonly shortChannelId: ShortChannelId }
  | { readonly kind: 'policy_updated'; readonly channel: number; readonly direction: 0 | 1 }
  | { readonly kind: 'node_updated'; readonly node: number };

// Offsets inside a raw channel_announcement (with its 2-byte type) of fields we read back.
const ANN_FEATURES_LEN_AT = 2 + 256;
const NODE_FEATURES_LEN_AT = 2 + 64;
const EMPTY = new Uint8Array(0);
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * The channel graph: nodes and channels under dense integer indexes, stored in
 * typed-array columns, with the raw announcements and updates kept (in one
 * byte arena) for rebroadcast and query answers.
 *
 * This class stores; it does not validate. {@link GossipIngest} validates
 * messages and calls the mutators. Read access is the graph view the router
 * uses: everything by index, nothing allocated per lookup except bigint
 * amounts. Indexes of removed entries are reused; `hasChannel(i)` and
 * `nodeExists(i)` tell live slots apart. `version` changes on every mutation.
 */
export class NetworkGraph implements NetworkGraphView {
  readonly chainHash: ChainHash;
  #version = 0;

  // Nodes.
  #nodeSlots = 0;
  #nodeCount = 0;
  #nodeFree: number[] = [];
  #nodeIds: Uint8Array = new Uint8Array(33 * 16);
  #nodeLive: Uint8Array = new Uint8Array(16);
  #nodeByKey = new Map<string, number>();
  #nodeAnnOffset: Uint32Array = new Uint32Array(16);
  #nodeAnnLength: Uint32Array = new Uint32Array(16);
  #nodeAnnTimestamp: Uint32Array = new Uint32Array(16);
  #adjacency: number[][] = [];

  // Channels.
  #chanSlots = 0;
  #chanCount = 0;
  #chanFree: number[] = [];
  #chanByScid = new Map<bigint, number>();
  #scid: BigUint64Array = new BigUint64Array(16);
  #node1: Int32Array = new Int32Array(16).fill(-1);
  #node2: Int32Array = new Int32Array(16).fill(-1);
  #capacitySat: Float64Array = new Float64Array(16);
  #addedAt: Uint32Array = new Uint32Array(16);
  #annOffset: Uint32Array = new Uint32Array(16);
  #annLength: Uint32Array = new Uint32Array(16);
  // Per direction: index 2 * channel + direction.
  #updOffset: Uint32Array = new Uint32Array(32);
  #updLength: Uint32Array = new Uint32Array(32);
  #timestamp: Uint32Array = new Uint32Array(32);
  #flags: Uint8Array = new Uint8Array(32);
  #cltv: Uint16Array = new Uint16Array(32);
  #feeBase: Uint32Array = new Uint32Array(32);
  #feeProp: Uint32Array = new Uint32Array(32);
  #htlcMin: BigUint64Array = new BigUint64Array(32);
  #htlcMax: BigUint64Array = new BigUint64Array(32);
  // Number copies for pathfinding (reading a BigUint64Array allocates a bigint).
  #htlcMinNum: Float64Array = new Float64Array(32);
  #htlcMaxNum: Float64Array = new Float64Array(32);

  #arena = new ByteArena();
  #closed = new Set<bigint>();
  #listeners: ((change: GraphChange) => void)[] = [];

  constructor(chainHash: ChainHash) {
    this.chainHash = chainHash;
  }

  /** Changes on every mutation (a cheap staleness check for caches). */
  get version(): number {
    return this.#version;
  }

  /** Calls `listener` after every change; returns a function that unsubscribes. */
  onChange(listener: (change: GraphChange) => void): () => void {
    this.#listeners.push(listener);
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  #changed(change: GraphChange): void {
    this.#version++;
    for (const l of this.#listeners) l(change);
  }

  // ---- Read access: nodes ------------------------------------------------

  /** Nodes in the graph. */
  get liveNodeCount(): number {
    return this.#nodeCount;
  }

  /** One more than the largest node index (iterate and skip vacant ones with {@link nodeExists}). */
  get nodeCount(): number {
    return this.#nodeSlots;
  }

  nodeExists(node: number): boolean {
    return node >= 0 && node < this.#nodeSlots && this.#nodeLive[node] === 1;
  }

  /** The index of a node id, or -1. */
  nodeIndex(nodeId: Uint8Array): number {
    return this.#nodeByKey.get(nodeKey(nodeId)) ?? -1;
  }

  /** The node's id (a view into the graph's storage: copy it to keep it). */
  nodeId(node: number): NodeId {
    return this.#nodeIds.subarray(33 * node, 33 * node + 33) as NodeId;
  }

  /** Number of channels at a node. */
  nodeChannelCount(node: number): number {
    return this.#adjacency[node]?.length ?? 0;
  }

  /** The `k`-th channel index at a node (0 <= k < nodeChannelCount). */
  nodeChannelAt(node: number, k: number): number {
    return this.#adjacency[node]![k]!;
  }

  /** The features of the node's node_announcement, empty if it has none (a view). */
  nodeFeatures(node: number): Uint8Array {
    const ann = this.nodeAnnouncement(node);
    if (ann === undefined) return EMPTY;
    const len = (ann[NODE_FEATURES_LEN_AT]! << 8) | ann[NODE_FEATURES_LEN_AT + 1]!;
    return ann.subarray(NODE_FEATURES_LEN_AT + 2, NODE_FEATURES_LEN_AT + 2 + len);
  }

  /** Timestamp of the node's last node_announcement (0 if none). */
  nodeAnnouncementTimestamp(node: number): number {
    return this.#nodeAnnTimestamp[node]!;
  }

  /** The raw node_announcement (type included), or undefined. A view: copy to keep. */
  nodeAnnouncement(node: number): Uint8Array | undefined {
    const len = this.#nodeAnnLength[node]!;
    return len === 0 ? undefined : this.#arena.view(this.#nodeAnnOffset[node]!, len);
  }

  // ---- Read access: channels ---------------------------------------------

  /** Channels in the graph. */
  get liveChannelCount(): number {
    return this.#chanCount;
  }

  /** One more than the largest channel index (vacant indexes: see {@link hasChannel}). */
  get channelCount(): number {
    return this.#chanSlots;
  }

  hasChannel(channel: number): boolean {
    return channel >= 0 && channel < this.#chanSlots && this.#node1[channel]! >= 0;
  }

  /** The index of a short channel id, or -1. */
  channelIndex(scid: ShortChannelId | bigint): number {
    return this.#chanByScid.get(scid) ?? -1;
  }

  channelScid(channel: number): ShortChannelId {
    return this.#scid[channel]! as ShortChannelId;
  }

  /** Index of node_id_1 (the lesser id). */
  channelNode1(channel: number): number {
    return this.#node1[channel]!;
  }

  channelNode2(channel: number): number {
    return this.#node2[channel]!;
  }

  /** The other end of a channel seen from `node`. */
  channelOtherEnd(channel: number, node: number): number {
    const a = this.#node1[channel]!;
    return a === node ? this.#node2[channel]! : a;
  }

  /** Capacity in satoshis (from the funding output), or -1 when unknown (no UtxoLookup). */
  channelCapacitySat(channel: number): number {
    return this.#capacitySat[channel]!;
  }

  /** The channel's feature bits (a view into the stored announcement). */
  channelFeatures(channel: number): Uint8Array {
    const ann = this.channelAnnouncement(channel);
    const len = (ann[ANN_FEATURES_LEN_AT]! << 8) | ann[ANN_FEATURES_LEN_AT + 1]!;
    return ann.subarray(ANN_FEATURES_LEN_AT + 2, ANN_FEATURES_LEN_AT + 2 + len);
  }

  /** The raw channel_announcement (type included). A view: copy to keep. */
  channelAnnouncement(channel: number): Uint8Array {
    return this.#arena.view(this.#annOffset[channel]!, this.#annLength[channel]!);
  }

  /** When the graph accepted the channel (seconds, from the clock the ingest was given). */
  channelAddedAt(channel: number): number {
    return this.#addedAt[channel]!;
  }

  // ---- Read access: directional policies (direction 0 = node_id_1's) ------

  hasPolicy(channel: number, direction: Direction): boolean {
    return (this.#flags[2 * channel + direction]! & POLICY_PRESENT) !== 0;
  }

  /** Present and not disabled. */
  policyEnabled(channel: number, direction: Direction): boolean {
    return (this.#flags[2 * channel + direction]! & (POLICY_PRESENT | POLICY_DISABLED)) === POLICY_PRESENT;
  }

  policyFlags(channel: number, direction: Direction): number {
    return this.#flags[2 * channel + direction]!;
  }

  /** The direction's last channel_update timestamp, 0 if none. */
  policyLastUpdate(channel: number, direction: Direction): number {
    return this.hasPolicy(channel, direction) ? this.#timestamp[2 * channel + direction]! : 0;
  }

  policyCltvExpiryDelta(channel: number, direction: Direction): number {
    return this.#cltv[2 * channel + direction]!;
  }

  policyFeeBaseMsat(channel: number, direction: Direction): number {
    return this.#feeBase[2 * channel + direction]!;
  }

  policyFeeProportionalMillionths(channel: number, direction: Direction): number {
    return this.#feeProp[2 * channel + direction]!;
  }

  /** htlc_minimum_msat as a number (clamped to 2^53 - 1, as the view contract says). */
  policyHtlcMinimumMsat(channel: number, direction: Direction): number {
    return this.#htlcMinNum[2 * channel + direction]!;
  }

  /** htlc_maximum_msat as a number (clamped to 2^53 - 1). */
  policyHtlcMaximumMsat(channel: number, direction: Direction): number {
    return this.#htlcMaxNum[2 * channel + direction]!;
  }

  /** The exact u64 htlc_minimum_msat. */
  policyHtlcMinimumMsatExact(channel: number, direction: Direction): bigint {
    return this.#htlcMin[2 * channel + direction]!;
  }

  /** The exact u64 htlc_maximum_msat. */
  policyHtlcMaximumMsatExact(channel: number, direction: Direction): bigint {
    return this.#htlcMax[2 * channel + direction]!;
  }

  /** The raw channel_update of a direction (type included), or undefined. A view: copy to keep. */
  channelUpdate(channel: number, direction: Direction): Uint8Array | undefined {
    const len = this.#updLength[2 * channel + direction]!;
    return len === 0 ? undefined : this.#arena.view(this.#updOffset[2 * channel + direction]!, len);
  }

  /** True if `scid` was closed (its funding spent) and must not come back. */
  isClosed(scid: bigint): boolean {
    return this.#closed.has(scid);
  }

  // ---- Mutators (called by the validated ingest path and by load) ---------

  #nodeFor(nodeId: Uint8Array): number {
    const key = nodeKey(nodeId);
    const known = this.#nodeByKey.get(key);
    if (known !== undefined) return known;
    const n = this.#nodeFree.pop() ?? this.#nodeSlots++;
    const cap = n + 1;
    this.#nodeIds = grow(this.#nodeIds, 33 * cap, Uint8Array);
    this.#nodeLive = grow(this.#nodeLive, cap, Uint8Array);
    this.#nodeAnnOffset = grow(this.#nodeAnnOffset, cap, Uint32Array);
    this.#nodeAnnLength = grow(this.#nodeAnnLength, cap, Uint32Array);
    this.#nodeAnnTimestamp = grow(this.#nodeAnnTimestamp, cap, Uint32Array);
    this.#nodeIds.set(nodeId, 33 * n);
    this.#nodeLive[n] = 1;
    this.#nodeAnnLength[n] = 0;
    this.#nodeAnnTimestamp[n] = 0;
    this.#adjacency[n] = [];
    this.#nodeByKey.set(key, n);
    this.#nodeCount++;
    return n;
  }

  #dropNodeIfUnused(n: number): void {
    if (this.#adjacency[n]!.length > 0) return;
    this.#nodeByKey.delete(nodeKey(this.nodeId(n)));
    this.#arena.release(this.#nodeAnnLength[n]!);
    this.#nodeAnnLength[n] = 0;
    this.#nodeAnnTimestamp[n] = 0;
    this.#nodeLive[n] = 0;
    this.#nodeFree.push(n);
    this.#nodeCount--;
  }

  /**
   * Adds a channel from a validated channel_announcement.
   * @throws GossipError `invalid_argument` if the scid is already present
   */
  addChannel(scid: ShortChannelId, nodeId1: NodeId, nodeId2: NodeId, capacitySat: number, rawAnnouncement: Uint8Array, addedAt: number): number {
    if (this.#chanByScid.has(scid)) throw new GossipError('invalid_argument', 'channel already in the graph');
    const c = this.#chanFree.pop() ?? this.#chanSlots++;
    this.#ensureChannelCapacity(c + 1);
    const n1 = this.#nodeFor(nodeId1);
    const n2 = this.#nodeFor(nodeId2);
    this.#scid[c] = scid;
    this.#node1[c] = n1;
    this.#node2[c] = n2;
    this.#capacitySat[c] = capacitySat;
    this.#addedAt[c] = addedAt;
    this.#annOffset[c] = this.#arena.add(rawAnnouncement);
    this.#annLength[c] = rawAnnouncement.length;
    for (const d of [0, 1]) {
      this.#flags[2 * c + d] = 0;
      this.#updLength[2 * c + d] = 0;
      this.#timestamp[2 * c + d] = 0;
    }
    this.#adjacency[n1]!.push(c);
    this.#adjacency[n2]!.push(c);
    this.#chanByScid.set(scid, c);
    this.#chanCount++;
    this.#changed({ kind: 'channel_added', channel: c });
    return c;
  }

  #ensureChannelCapacity(cap: number): void {
    if (this.#scid.length >= cap) return;
    this.#scid = grow(this.#scid, cap, BigUint64Array);
    const oldLen = this.#node1.length;
    this.#node1 = grow(this.#node1, cap, Int32Array);
    this.#node1.fill(-1, oldLen);
    this.#node2 = grow(this.#node2, cap, Int32Array);
    this.#node2.fill(-1, oldLen);
    this.#capacitySat = grow(this.#capacitySat, cap, Float64Array);
    this.#addedAt = grow(this.#addedAt, cap, Uint32Array);
    this.#annOffset = grow(this.#annOffset, cap, Uint32Array);
    this.#annLength = grow(this.#annLength, cap, Uint32Array);
    const dcap = 2 * this.#scid.length;
    this.#updOffset = grow(this.#updOffset, dcap, Uint32Array);
    this.#updLength = grow(this.#updLength, dcap, Uint32Array);
    this.#timestamp = grow(this.#timestamp, dcap, Uint32Array);
    this.#flags = grow(this.#flags, dcap, Uint8Array);
    this.#cltv = grow(this.#cltv, dcap, Uint16Array);
    this.#feeBase = grow(this.#feeBase, dcap, Uint32Array);
    this.#feeProp = grow(this.#feeProp, dcap, Uint32Array);
    this.#htlcMin = grow(this.#htlcMin, dcap, BigUint64Array);
    this.#htlcMax = grow(this.#htlcMax, dcap, BigUint64Array);
    this.#htlcMinNum = grow(this.#htlcMinNum, dcap, Float64Array);
    this.#htlcMaxNum = grow(this.#htlcMaxNum, dcap, Float64Array);
  }

  /** Sets a direction's policy from a validated channel_update. */
  updatePolicy(channel: number, direction: 0 | 1, p: PolicyFields, rawUpdate: Uint8Array): void {
    const i = 2 * channel + direction;
    this.#arena.release(this.#updLength[i]!);
    this.#updOffset[i] = this.#arena.add(rawUpdate);
    this.#updLength[i] = rawUpdate.length;
    this.#setPolicy(i, p);
    this.#maybeCompact();
    this.#changed({ kind: 'policy_updated', channel, direction });
  }

  #setPolicy(i: number, p: PolicyFields): void {
    this.#timestamp[i] = p.timestamp;
    this.#flags[i] = POLICY_PRESENT | (p.disabled ? POLICY_DISABLED : 0) | (p.dontForward ? POLICY_DONT_FORWARD : 0);
    this.#cltv[i] = p.cltvExpiryDelta;
    this.#feeBase[i] = p.feeBaseMsat;
    this.#feeProp[i] = p.feeProportionalMillionths;
    this.#htlcMin[i] = p.htlcMinimumMsat;
    this.#htlcMax[i] = p.htlcMaximumMsat;
    this.#htlcMinNum[i] = clampToNumber(p.htlcMinimumMsat);
    this.#htlcMaxNum[i] = clampToNumber(p.htlcMaximumMsat);
  }

  /** Sets a node's announcement (validated). */
  updateNodeAnnouncement(node: number, timestamp: number, raw: Uint8Array): void {
    this.#arena.release(this.#nodeAnnLength[node]!);
    this.#nodeAnnOffset[node] = this.#arena.add(raw);
    this.#nodeAnnLength[node] = raw.length;
    this.#nodeAnnTimestamp[node] = timestamp;
    this.#maybeCompact();
    this.#changed({ kind: 'node_updated', node });
  }

  /** Removes a channel (and nodes left without channels). Returns false if unknown. */
  removeChannel(scid: ShortChannelId | bigint): boolean {
    const c = this.#chanByScid.get(scid);
    if (c === undefined) return false;
    const n1 = this.#node1[c]!;
    const n2 = this.#node2[c]!;
    for (const n of [n1, n2]) {
      const adj = this.#adjacency[n]!;
      const k = adj.indexOf(c);
      adj[k] = adj[adj.length - 1]!;
      adj.pop();
    }
    this.#arena.release(this.#annLength[c]! + this.#updLength[2 * c]! + this.#updLength[2 * c + 1]!);
    this.#annLength[c] = 0;
    this.#updLength[2 * c] = 0;
    this.#updLength[2 * c + 1] = 0;
    this.#flags[2 * c] = 0;
    this.#flags[2 * c + 1] = 0;
    this.#node1[c] = -1;
    this.#node2[c] = -1;
    this.#chanByScid.delete(scid);
    this.#chanFree.push(c);
    this.#chanCount--;
    this.#dropNodeIfUnused(n1);
    if (n2 !== n1) this.#dropNodeIfUnused(n2);
    this.#maybeCompact();
    this.#changed({ kind: 'channel_removed', shortChannelId: scid as ShortChannelId });
    return true;
  }

  /**
   * The funding output of `scid` was spent: removes the channel and remembers
   * the id so a late announcement of it is refused. Call from block processing.
   */
  channelClosed(scid: ShortChannelId | bigint): boolean {
    this.#closed.add(scid);
    return this.removeChannel(scid);
  }

  /**
   * Removes channels with no update newer than two weeks in either direction
   * (a channel never updated counts from when it was added). Returns how many.
   */
  pruneStale(nowSeconds: number): number {
    const horizon = nowSeconds - TWO_WEEKS_SECONDS;
    const doomed: bigint[] = [];
    for (let c = 0; c < this.#chanSlots; c++) {
      if (this.#node1[c]! < 0) continue;
      const f0 = this.#flags[2 * c]! & POLICY_PRESENT;
      const f1 = this.#flags[2 * c + 1]! & POLICY_PRESENT;
      const latest = f0 === 0 && f1 === 0 ? this.#addedAt[c]! : Math.max(f0 ? this.#timestamp[2 * c]! : 0, f1 ? this.#timestamp[2 * c + 1]! : 0);
      if (latest < horizon) doomed.push(this.#scid[c]!);
    }
    for (const scid of doomed) this.removeChannel(scid);
    return doomed.length;
  }

  #maybeCompact(): void {
    if (!this.#arena.shouldCompact) return;
    const entries = this.#liveEntries();
    this.#arena.compact(entries, (slot, offset) => this.#setOffset(slot, offset));
  }

  // Slots: 3c = announcement, 3c+1+d = update; nodes after all channel slots.
  *#liveEntries(): Generator<readonly [number, number, number]> {
    for (let c = 0; c < this.#chanSlots; c++) {
      if (this.#node1[c]! < 0) continue;
      yield [3 * c, this.#annOffset[c]!, this.#annLength[c]!];
      for (const d of [0, 1]) if (this.#updLength[2 * c + d]! > 0) yield [3 * c + 1 + d, this.#updOffset[2 * c + d]!, this.#updLength[2 * c + d]!];
    }
    const base = 3 * this.#chanSlots;
    for (let n = 0; n < this.#nodeSlots; n++) if (this.#nodeLive[n] === 1 && this.#nodeAnnLength[n]! > 0) yield [base + n, this.#nodeAnnOffset[n]!, this.#nodeAnnLength[n]!];
  }

  #setOffset(slot: number, offset: number): void {
    const base = 3 * this.#chanSlots;
    if (slot >= base) this.#nodeAnnOffset[slot - base] = offset;
    else if (slot % 3 === 0) this.#annOffset[slot / 3] = offset;
    else this.#updOffset[2 * Math.floor(slot / 3) + (slot % 3) - 1] = offset;
  }

  // ---- Snapshot access for serialization ----------------------------------

  /** @internal Every live column entry, for the serializer. */
  snapshotColumns(): GraphColumns {
    return {
      nodeSlots: this.#nodeSlots,
      nodeLive: this.#nodeLive,
      nodeIds: this.#nodeIds,
      nodeAnnOffset: this.#nodeAnnOffset,
      nodeAnnLength: this.#nodeAnnLength,
      nodeAnnTimestamp: this.#nodeAnnTimestamp,
      chanSlots: this.#chanSlots,
      scid: this.#scid,
      node1: this.#node1,
      node2: this.#node2,
      capacitySat: this.#capacitySat,
      addedAt: this.#addedAt,
      annOffset: this.#annOffset,
      annLength: this.#annLength,
      updOffset: this.#updOffset,
      updLength: this.#updLength,
      timestamp: this.#timestamp,
      flags: this.#flags,
      cltv: this.#cltv,
      feeBase: this.#feeBase,
      feeProp: this.#feeProp,
      htlcMin: this.#htlcMin,
      htlcMax: this.#htlcMax,
      arena: this.#arena.contents(),
      closed: [...this.#closed],
    };
  }

  /** @internal Builds a graph from dense columns (no holes), as the loader produces them. */
  static fromColumns(chainHash: ChainHash, c: GraphColumns): NetworkGraph {
    const g = new NetworkGraph(chainHash);
    g.#nodeSlots = c.nodeSlots;
    g.#nodeCount = c.nodeSlots;
    g.#nodeLive = c.nodeLive;
    g.#nodeIds = c.nodeIds;
    g.#nodeAnnOffset = c.nodeAnnOffset;
    g.#nodeAnnLength = c.nodeAnnLength;
    g.#nodeAnnTimestamp = c.nodeAnnTimestamp;
    g.#adjacency = new Array<number[]>(c.nodeSlots);
    for (let n = 0; n < c.nodeSlots; n++) {
      g.#adjacency[n] = [];
      g.#nodeByKey.set(nodeKey(c.nodeIds.subarray(33 * n, 33 * n + 33)), n);
    }
    g.#chanSlots = c.chanSlots;
    g.#chanCount = c.chanSlots;
    g.#scid = c.scid;
    g.#node1 = c.node1;
    g.#node2 = c.node2;
    g.#capacitySat = c.capacitySat;
    g.#addedAt = c.addedAt;
    g.#annOffset = c.annOffset;
    g.#annLength = c.annLength;
    g.#updOffset = c.updOffset;
    g.#updLength = c.updLength;
    g.#timestamp = c.timestamp;
    g.#flags = c.flags;
    g.#cltv = c.cltv;
    g.#feeBase = c.feeBase;
    g.#feeProp = c.feeProp;
    g.#htlcMin = c.htlcMin;
    g.#htlcMax = c.htlcMax;
    g.#htlcMinNum = new Float64Array(c.htlcMin.length);
    g.#htlcMaxNum = new Float64Array(c.htlcMax.length);
    for (let i = 0; i < c.htlcMin.length; i++) {
      g.#htlcMinNum[i] = clampToNumber(c.htlcMin[i]!);
      g.#htlcMaxNum[i] = clampToNumber(c.htlcMax[i]!);
    }
    for (let ch = 0; ch < c.chanSlots; ch++) {
      const n1 = c.node1[ch]!;
      const n2 = c.node2[ch]!;
      if (n1 < 0 || n2 < 0 || n1 >= c.nodeSlots || n2 >= c.nodeSlots || n1 === n2) throw new GossipError('bad_serialization', `channel ${ch} has bad ends`);
      if (g.#chanByScid.has(c.scid[ch]!)) throw new GossipError('bad_serialization', `channel ${ch} repeats a short channel id`);
      g.#chanByScid.set(c.scid[ch]!, ch);
      g.#adjacency[n1]!.push(ch);
      g.#adjacency[n2]!.push(ch);
    }
    if (g.#nodeByKey.size !== c.nodeSlots) throw new GossipError('bad_serialization', 'repeated node ids');
    g.#arena = ByteArena.from(c.arena);
    for (const s of c.closed) g.#closed.add(s);
    return g;
  }
}

/** @internal The graph's columns (see {@link NetworkGraph.snapshotColumns}). */
export interface GraphColumns {
  nodeSlots: number;
  nodeLive: Uint8Array;
  nodeIds: Uint8Array;
  nodeAnnOffset: Uint32Array;
  nodeAnnLength: Uint32Array;
  nodeAnnTimestamp: Uint32Array;
  chanSlots: number;
  scid: BigUint64Array;
  node1: Int32Array;
  node2: Int32Array;
  capacitySat: Float64Array;
  addedAt: Uint32Array;
  annOffset: Uint32Array;
  annLength: Uint32Array;
  updOffset: Uint32Array;
  updLength: Uint32Array;
  timestamp: Uint32Array;
  flags: Uint8Array;
  cltv: Uint16Array;
  feeBase: Uint32Array;
  feeProp: Uint32Array;
  htlcMin: BigUint64Array;
  htlcMax: BigUint64Array;
  arena: Uint8Array;
  closed: bigint[];
}

function clampToNumber(v: bigint): number {
  return v > 9007199254740991n ? MAX_SAFE : Number(v);
}
