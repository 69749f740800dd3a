import { equalBytes, type ChainHash, type KVStore } from 'ln-types';
import { GossipError } from './errors.js';
import { NetworkGraph, type GraphColumns } from './network-graph.js';

/**
 * Versioned binary format of a saved graph (all integers big-endian):
 *
 *   "LNGG" u16 version(=1) chain_hash[32]
 *   u32 nodes u32 channels u32 closed u32 arena_len
 *   nodes x (node_id[33] u32 ann_offset u32 ann_len u32 ann_timestamp)
 *   channels x (u64 scid u32 node1 u32 node2 f64 capacity_sat u32 added_at u32 ann_offset u32 ann_len
 *               2 x (u32 upd_offset u32 upd_len u32 timestamp u8 flags u16 cltv u32 fee_base u32 fee_prop u64 htlc_min u64 htlc_max))
 *   closed x u64 scid
 *   arena[arena_len]   (the raw announcements and updates, offsets above point into it)
 *
 * Saving renumbers live entries densely and copies only live raw bytes; loading
 * is column fills plus two maps, with every offset and index bounds-checked.
 */
const MAGIC = Uint8Array.of(0x4c, 0x4e, 0x47, 0x47);
export const GRAPH_FORMAT_VERSION = 1;
const HEADER = 4 + 2 + 32 + 16;
const NODE_BYTES = 33 + 12;
const DIR_BYTES = 4 + 4 + 4 + 1 + 2 + 4 + 4 + 8 + 8;
const CHANNEL_BYTES = 8 + 4 + 4 + 8 + 4 + 4 + 4 + 2 * DIR_BYTES;

/** Serializes the graph (live entries only). */
export function serializeGraph(graph: NetworkGraph): Uint8Array {
  const c = graph.snapshotColumns();
  const nodeMap = new Int32Array(c.nodeSlots).fill(-1);
  let nodes = 0;
  for (let n = 0; n < c.nodeSlots; n++) if (c.nodeLive[n] === 1) nodeMap[n] = nodes++;
  let channels = 0;
  let arenaLen = 0;
  for (let ch = 0; ch < c.chanSlots; ch++) {
    if (c.node1[ch]! < 0) continue;
    channels++;
    arenaLen += c.annLength[ch]! + c.updLength[2 * ch]! + c.updLength[2 * ch + 1]!;
  }
  for (let n = 0; n < c.nodeSlots; n++) if (c.nodeLive[n] === 1) arenaLen += c.nodeAnnLength[n]!;

  const total = HEADER + nodes * NODE_BYTES + channels * CHANNEL_BYTES + c.closed.length * 8 + arenaLen;
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  out.set(MAGIC, 0);
  v.setUint16(4, GRAPH_FORMAT_VERSION);
  out.set(graph.chainHash, 6);
  v.setUint32(38, nodes);
  v.setUint32(42, channels);
  v.setUint32(46, c.closed.length);
  v.setUint32(50, arenaLen);
  const arenaStart = total - arenaLen;
  let arenaAt = 0;
  const copyRaw = (offset: number, length: number): number => {
    out.set(c.arena.subarray(offset, offset + length), arenaStart + arenaAt);
    const at = arenaAt;
    arenaAt += length;
    return at;
  };

  let p = HEADER;
  for (let n = 0; n < c.nodeSlots; n++) {
    if (c.nodeLive[n] !== 1) continue;
    out.set(c.nodeIds.subarray(33 * n, 33 * n + 33), p);
    const len = c.nodeAnnLength[n]!;
    v.setUint32(p + 33, len === 0 ? 0 : copyRaw(c.nodeAnnOffset[n]!, len));
    v.setUint32(p + 37, len);
    v.setUint32(p + 41, c.nodeAnnTimestamp[n]!);
    p += NODE_BYTES;
  }
  for (let ch = 0; ch < c.chanSlots; ch++) {
    if (c.node1[ch]! < 0) continue;
    v.setBigUint64(p, c.scid[ch]!);
    v.setUint32(p + 8, nodeMap[c.node1[ch]!]!);
    v.setUint32(p + 12, nodeMap[c.node2[ch]!]!);
    v.setFloat64(p + 16, c.capacitySat[ch]!);
    v.setUint32(p + 24, c.addedAt[ch]!);
    v.setUint32(p + 28, copyRaw(c.annOffset[ch]!, c.annLength[ch]!));
    v.setUint32(p + 32, c.annLength[ch]!);
    p += 36;
    for (const d of [0, 1]) {
      const i = 2 * ch + d;
      const len = c.updLength[i]!;
      v.setUint32(p, len === 0 ? 0 : copyRaw(c.updOffset[i]!, len));
      v.setUint32(p + 4, len);
      v.setUint32(p + 8, c.timestamp[i]!);
      v.setUint8(p + 12, c.flags[i]!);
      v.setUint16(p + 13, c.cltv[i]!);
      v.setUint32(p + 15, c.feeBase[i]!);
      v.setUint32(p + 19, c.feeProp[i]!);
      v.setBigUint64(p + 23, c.htlcMin[i]!);
      v.setBigUint64(p + 31, c.htlcMax[i]!);
      p += DIR_BYTES;
    }
  }
  for (const s of c.closed) {
    v.setBigUint64(p, s);
    p += 8;
  }
  return out;
}

function bad(message: string): GossipError {
  return new GossipError('bad_serialization', message);
}

/**
 * Loads a serialized graph.
 * @throws GossipError `bad_serialization` for a wrong magic or version, a
 *   different chain, truncation, or any offset or index out of bounds
 */
export function deserializeGraph(bytes: Uint8Array, expectedChain?: ChainHash): NetworkGraph {
  if (bytes.length < HEADER) throw bad('shorter than the header');
  if (!equalBytes(bytes.subarray(0, 4), MAGIC)) throw bad('not a serialized graph');
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = v.getUint16(4);
  if (version !== GRAPH_FORMAT_VERSION) throw bad(`unknown format version ${version}`);
  const chainHash = bytes.slice(6, 38) as ChainHash;
  if (expectedChain !== undefined && !equalBytes(chainHash, expectedChain)) throw bad('saved for another chain');
  const nodes = v.getUint32(38);
  const channels = v.getUint32(42);
  const closedCount = v.getUint32(46);
  const arenaLen = v.getUint32(50);
  const expected = HEADER + nodes * NODE_BYTES + channels * CHANNEL_BYTES + closedCount * 8 + arenaLen;
  if (bytes.length !== expected) throw bad(`length ${bytes.length}, expected ${expected}`);
  const arenaStart = bytes.length - arenaLen;
  const checkSpan = (offset: number, length: number, what: string) => {
    if (offset + length > arenaLen) throw bad(`${what} points outside the stored bytes`);
  };

  const dcap = 2 * channels;
  const c: GraphColumns = {
    nodeSlots: nodes,
    nodeLive: new Uint8Array(nodes).fill(1),
    nodeIds: new Uint8Array(33 * nodes),
    nodeAnnOffset: new Uint32Array(nodes),
    nodeAnnLength: new Uint32Array(nodes),
    nodeAnnTimestamp: new Uint32Array(nodes),
    chanSlots: channels,
    scid: new BigUint64Array(channels),
    node1: new Int32Array(channels),
    node2: new Int32Array(channels),
    capacitySat: new Float64Array(channels),
    addedAt: new Uint32Array(channels),
    annOffset: new Uint32Array(channels),
    annLength: new Uint32Array(channels),
    updOffset: new Uint32Array(dcap),
    updLength: new Uint32Array(dcap),
    timestamp: new Uint32Array(dcap),
    flags: new Uint8Array(dcap),
    cltv: new Uint16Array(dcap),
    feeBase: new Uint32Array(dcap),
    feeProp: new Uint32Array(dcap),
    htlcMin: new BigUint64Array(dcap),
    htlcMax: new BigUint64Array(dcap),
    arena: bytes.subarray(arenaStart),
    closed: [],
  };
  let p = HEADER;
  for (let n = 0; n < nodes; n++) {
    const id = bytes.subarray(p, p + 33);
    if (id[0] !== 2 && id[0] !== 3) throw bad(`node ${n} id is not a compressed point`);
    c.nodeIds.set(id, 33 * n);
    c.nodeAnnOffset[n] = v.getUint32(p + 33);
    c.nodeAnnLength[n] = v.getUint32(p + 37);
    c.nodeAnnTimestamp[n] = v.getUint32(p + 41);
    checkSpan(c.nodeAnnOffset[n]!, c.nodeAnnLength[n]!, `node ${n} announcement`);
    p += NODE_BYTES;
  }
  for (let ch = 0; ch < channels; ch++) {
    c.scid[ch] = v.getBigUint64(p);
    const n1 = v.getUint32(p + 8);
    const n2 = v.getUint32(p + 12);
    if (n1 >= nodes || n2 >= nodes) throw bad(`channel ${ch} refers to a missing node`);
    c.node1[ch] = n1;
    c.node2[ch] = n2;
    c.capacitySat[ch] = v.getFloat64(p + 16);
    c.addedAt[ch] = v.getUint32(p + 24);
    c.annOffset[ch] = v.getUint32(p + 28);
    c.annLength[ch] = v.getUint32(p + 32);
    if (c.annLength[ch]! < 2 + 256 + 2) throw bad(`channel ${ch} announcement is too short`);
    checkSpan(c.annOffset[ch]!, c.annLength[ch]!, `channel ${ch} announcement`);
    p += 36;
    for (const d of [0, 1]) {
      const i = 2 * ch + d;
      c.updOffset[i] = v.getUint32(p);
      c.updLength[i] = v.getUint32(p + 4);
      checkSpan(c.updOffset[i]!, c.updLength[i]!, `channel ${ch} update`);
      c.timestamp[i] = v.getUint32(p + 8);
      c.flags[i] = v.getUint8(p + 12);
      c.cltv[i] = v.getUint16(p + 13);
      c.feeBase[i] = v.getUint32(p + 15);
      c.feeProp[i] = v.getUint32(p + 19);
      c.htlcMin[i] = v.getBigUint64(p + 23);
      c.htlcMax[i] = v.getBigUint64(p + 31);
      p += DIR_BYTES;
    }
  }
  for (let k = 0; k < closedCount; k++) {
    c.closed.push(v.getBigUint64(p));
    p += 8;
  }
  return NetworkGraph.fromColumns(chainHash, c);
}

/** Where {@link saveGraph} writes in the KVStore. */
export const GRAPH_STORE_KEY = { primaryNamespace: 'ln-gossip', secondaryNamespace: '', key: 'network_graph' } as const;

/** Saves the graph through the KVStore contract (durable when the promise resolves). */
export async function saveGraph(store: KVStore, graph: NetworkGraph): Promise<void> {
  await store.write(GRAPH_STORE_KEY.primaryNamespace, GRAPH_STORE_KEY.secondaryNamespace, GRAPH_STORE_KEY.key, serializeGraph(graph));
}

/** Loads a saved graph, or returns undefined when none was saved. */
export async function loadGraph(store: KVStore, expectedChain?: ChainHash): Promise<NetworkGraph | undefined> {
  const bytes = await store.read(GRAPH_STORE_KEY.primaryNamespace, GRAPH_STORE_KEY.secondaryNamespace, GRAPH_STORE_KEY.key);
  return bytes === undefined ? undefined : deserializeGraph(bytes, expectedChain);
}
