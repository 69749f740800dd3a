import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseGossmap, type Gossmap } from './gossmap.js';
import { orientGraph, type MainnetGraph } from './graph.js';
import { parseNodeMap, type NodeMapEntry } from './node-map.js';

const dataDir = new URL('../data/', import.meta.url);

/** Paths of the bundled data files. */
export const MAINNET_GRAPH_FILES = {
  gossmap: new URL('mainnet-graph-2026-02-03.gossmap.gz', dataDir),
  nodeMap: new URL('mainnet-graph-2026-02-03.node-map.gz', dataDir),
} as const;

/** Reads and parses the bundled gossmap (Node only: reads the file, gunzips with zlib). */
export function loadMainnetGossmap(): Gossmap {
  return parseGossmap(new Uint8Array(gunzipSync(readFileSync(MAINNET_GRAPH_FILES.gossmap))));
}

/** Reads and parses the bundled node map (node ids and aliases by index). */
export function loadMainnetNodeMap(): NodeMapEntry[] {
  return parseNodeMap(new TextDecoder().decode(gunzipSync(readFileSync(MAINNET_GRAPH_FILES.nodeMap))));
}

/** The 2026-02-03 mainnet graph, oriented, as plain data (about 0.3 s). */
export function loadMainnetGraph(): MainnetGraph {
  return orientGraph(loadMainnetGossmap(), loadMainnetNodeMap());
}
