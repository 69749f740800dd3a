// Shared test fixtures: signed gossip generated from a piece of the mainnet topology.
import { utxoFound, utxoMissing, type UtxoLookup, type UtxoResult } from 'ln-chain-api';
import { fastestBackend, generateGossip, subgraph, type GeneratedGossip } from 'ln-gossip-generator';
import { loadMainnetGraph, type MainnetGraph } from 'ln-mainnet-graph';
import { toHex } from 'ln-types';
import { backendVerifier, GossipIngest, NetworkGraph, type GossipIngestOptions } from '../src/index.js';

export const signer = fastestBackend();
/** Native (or WebAssembly) verification keeps the tests fast; the noble default is tested separately. */
export const fastVerifier = backendVerifier(signer);

let mainnet: MainnetGraph | undefined;
const generated = new Map<number, GeneratedGossip>();

/** Signed gossip for the first `channels` channels of a breadth-first walk of mainnet (cached per size). */
export function gossipFixture(channels: number): GeneratedGossip {
  let g = generated.get(channels);
  if (g === undefined) {
    mainnet ??= loadMainnetGraph();
    g = generateGossip(subgraph(mainnet, channels), { backend: signer });
    generated.set(channels, g);
  }
  return g;
}

/** A UtxoLookup answering from the generated funding outputs, synchronously. */
export function syncUtxo(g: GeneratedGossip): UtxoLookup {
  return { getUtxo: (_c, scid) => lookup(g, scid) };
}

/** The same answers, each after a random number of macrotask turns. */
export function asyncUtxo(g: GeneratedGossip, delays: () => number = () => Math.floor(Math.random() * 3)): UtxoLookup {
  return {
    getUtxo: (_c, scid) =>
      new Promise<UtxoResult>((resolve) => {
        let turns = delays();
        const tick = () => (turns-- <= 0 ? resolve(lookup(g, scid)) : setImmediate(tick));
        tick();
      }),
  };
}

function lookup(g: GeneratedGossip, scid: bigint): UtxoResult {
  const out = g.fundingOutputs.get(scid);
  return out === undefined ? utxoMissing('unknown_tx') : utxoFound(out);
}

/** A fresh graph and ingest for the generated chain, clock at the generation time. */
export function freshIngest(g: GeneratedGossip, options: Partial<GossipIngestOptions> = {}): GossipIngest {
  return new GossipIngest(new NetworkGraph(g.chainHash), { clock: () => g.timestamp, verifier: fastVerifier, utxoLookup: syncUtxo(g), ...options });
}

/** A canonical text of the graph's content, independent of slot numbering. */
export function canonicalDump(graph: NetworkGraph): string {
  const lines: string[] = [];
  for (let c = 0; c < graph.channelCount; c++) {
    if (!graph.hasChannel(c)) continue;
    const parts = [graph.channelScid(c).toString(), toHex(graph.nodeId(graph.channelNode1(c))), toHex(graph.nodeId(graph.channelNode2(c))), String(graph.channelCapacitySat(c)), toHex(graph.channelAnnouncement(c))];
    for (const d of [0, 1] as const) parts.push(graph.hasPolicy(c, d) ? toHex(graph.channelUpdate(c, d)!) : '-');
    lines.push(parts.join(' '));
  }
  for (let n = 0; n < graph.nodeCount; n++) {
    if (!graph.nodeExists(n)) continue;
    const ann = graph.nodeAnnouncement(n);
    lines.push(`node ${toHex(graph.nodeId(n))} ${graph.nodeChannelCount(n)} ${ann === undefined ? '-' : toHex(ann)}`);
  }
  return lines.sort().join('\n');
}
