export { GossipError, type GossipErrorCode } from './errors.js';
export { type RefusalReason, type IngestOutcome } from './refusal.js';
export { NetworkGraph, TWO_WEEKS_SECONDS, POLICY_PRESENT, POLICY_DISABLED, POLICY_DONT_FORWARD, type PolicyFields, type GraphChange } from './network-graph.js';
export { serializeGraph, deserializeGraph, saveGraph, loadGraph, GRAPH_FORMAT_VERSION, GRAPH_STORE_KEY } from './graph-serialization.js';
export { GossipIngest, type GossipIngestOptions, type IngestStats } from './gossip-ingest.js';
export { backendVerifier, verifyRange, SignatureBatchBuilder, type GossipVerifier, type SignatureBatch } from './verifier.js';
export { fundingScript, MAX_FUTURE_SECONDS } from './rules.js';
export { P2PGossipSync, type P2PGossipSyncOptions, type SyncProgress } from './sync/p2p-gossip-sync.js';
export { channelRangeReplies, REPLY_TARGET_IDS, REPLY_MAX_IDS } from './sync/range-replies.js';
