import type { ChainHash } from 'ln-types';
import type { NetworkGraphView } from 'ln-router-api';
import { DefaultRouter, ProbabilisticScorer } from 'ln-router';
import { buildRgsSnapshot, encodeRgsSnapshot, type RgsNodeState } from 'ln-rgs';
import { rgsChannelsFromView } from './rgs-from-view.js';
import { graphStatsOf, type GraphStats, type RoutingService, type SyncStatus } from './service.js';

/** Options of {@link GraphRoutingService}. */
export interface GraphRoutingServiceOptions {
  readonly chainHash: ChainHash;
  /** The scorer (default: a new ProbabilisticScorer). */
  readonly scorer?: ProbabilisticScorer;
  /** Wall clock in ms (default Date.now). */
  readonly now?: () => number;
  /** Sync state to report (default: synced with no peers: a graph given whole). */
  readonly syncStatus?: () => SyncStatus;
  /**
   * The nodes' announcement data for version 2 snapshots (the graph view has
   * node features but no addresses or timestamps). Without it, version 2
   * snapshots carry channels only.
   */
  readonly nodes?: () => Iterable<RgsNodeState>;
}

/**
 * A routing service over a graph view that the caller replaces as it changes
 * (`setGraph`): DefaultRouter + ProbabilisticScorer, statistics and RGS
 * snapshots computed from the view (cached until the next `setGraph`). Queries
 * read only the view and the scorer, so instances fed the same graph answer the
 * same.
 */
export class GraphRoutingService implements RoutingService {
  readonly router: DefaultRouter;
  readonly scorer: ProbabilisticScorer;
  readonly #chainHash: ChainHash;
  readonly #now: () => number;
  readonly #syncStatus: (() => SyncStatus) | undefined;
  readonly #nodes: (() => Iterable<RgsNodeState>) | undefined;
  #view: NetworkGraphView;
  #stats: GraphStats | undefined;
  readonly #snapshots = new Map<string, Uint8Array>();

  constructor(view: NetworkGraphView, options: GraphRoutingServiceOptions) {
    this.#view = view;
    this.#chainHash = options.chainHash;
    this.#now = options.now ?? Date.now;
    this.#syncStatus = options.syncStatus;
    this.#nodes = options.nodes;
    this.scorer = options.scorer ?? new ProbabilisticScorer(view, {}, this.#now());
    this.router = new DefaultRouter(view, this.scorer);
  }

  /** Serves a new graph from now on. */
  setGraph(view: NetworkGraphView): void {
    this.#view = view;
    this.invalidate();
    this.router.setGraph(view);
    this.scorer.setGraph(view);
  }

  /** Forgets cached statistics and snapshots: call when the graph changed in place (live gossip). */
  invalidate(): void {
    this.#stats = undefined;
    this.#snapshots.clear();
  }

  graph(): NetworkGraphView {
    return this.#view;
  }

  graphStats(): GraphStats {
    return (this.#stats ??= graphStatsOf(this.#view));
  }

  syncStatus(): SyncStatus {
    return this.#syncStatus?.() ?? { state: 'synced', peers: 0, channelsKnown: this.graphStats().channels, pendingMessages: 0 };
  }

  ready(): boolean {
    return this.syncStatus().state === 'synced';
  }

  rgsSnapshot(since: number, version: 1 | 2 = 1): Uint8Array {
    const key = `${version}:${since}`;
    let bytes = this.#snapshots.get(key);
    if (bytes === undefined) {
      const channels = rgsChannelsFromView(this.#view, { withCapacity: version === 2 });
      const nodes = version === 2 ? (this.#nodes?.() ?? []) : undefined;
      bytes = encodeRgsSnapshot(buildRgsSnapshot(this.#chainHash, channels, since, nodes), { version });
      // A handful of "since" values are requested in practice (clients' last sync times); keep the cache bounded.
      if (this.#snapshots.size >= 64) this.#snapshots.delete(this.#snapshots.keys().next().value!);
      this.#snapshots.set(key, bytes);
    }
    return bytes;
  }

  now(): number {
    return this.#now();
  }
}
