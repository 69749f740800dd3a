export { MainnetGraphError, type MainnetGraphErrorCode } from './errors.js';
export { GOSSMAP_HEADER, type Gossmap, parseGossmap } from './gossmap.js';
export { type NodeMapEntry, parseNodeMap } from './node-map.js';
export {
  type GraphNode,
  type GraphPolicy,
  type GraphChannel,
  type MainnetGraph,
  orientGraph,
  syntheticShortChannelId,
} from './graph.js';
export { MAINNET_GRAPH_FILES, loadMainnetGossmap, loadMainnetNodeMap, loadMainnetGraph } from './load.js';
