import type { ScoreUpdate, NetworkGraphView, Router } from 'ln-router-api';

/** Graph figures for /v1/graph/stats and the metrics. */
export interface GraphStats {
  readonly nodes: number;
  readonly channels: number;
  /** Channel directions with a channel_update. */
  readonly directions: number;
  /** Newest channel_update timestamp (seconds), 0 when none. */
  readonly latestUpdate: number;
}

/** Gossip sync state for /v1/sync and readiness. */
export interface SyncStatus {
  readonly state: 'starting' | 'syncing' | 'synced';
  readonly peers: number;
  readonly channelsKnown: number;
  /** Gossip messages received and not yet processed (e.g. waiting for signature checks). */
  readonly pendingMessages: number;
}

/**
 * What the HTTP layer serves: a router over the current graph, the scorer it
 * learns with, and the graph and sync state. The service wiring (P2P gossip,
 * persistence) implements it; tests implement it over a fixed graph.
 */
export interface RoutingService {
  readonly router: Router;
  readonly scorer: ScoreUpdate;
  /** The graph the router currently uses. */
  graph(): NetworkGraphView;
  graphStats(): GraphStats;
  syncStatus(): SyncStatus;
  /** True once the service can answer route queries with a synced graph. */
  ready(): boolean;
  /**
   * An RGS snapshot of what changed after `since` (seconds; 0 = full), in
   * version 1 (the default) or 2 (with node features and addresses).
   */
  rgsSnapshot(since: number, version?: 1 | 2): Uint8Array;
  /** Wall-clock milliseconds (the scorer's time base). */
  now(): number;
}

/** Graph statistics computed from any graph view. */
export function graphStatsOf(view: NetworkGraphView): GraphStats {
  let channels = 0;
  let directions = 0;
  let latestUpdate = 0;
  for (let c = 0; c < view.channelCount; c++) {
    if (!view.hasChannel(c)) continue;
    channels++;
    for (const d of [0, 1] as const) {
      if (!view.hasPolicy(c, d)) continue;
      directions++;
      latestUpdate = Math.max(latestUpdate, view.policyLastUpdate(c, d));
    }
  }
  return { nodes: view.nodeCount, channels, directions, latestUpdate };
}
