import { Counter, Gauge, Histogram, Registry } from '../metrics.js';
import type { RoutingService } from '../service.js';

/** The service's metrics. */
export interface ServerMetrics {
  readonly registry: Registry;
  readonly httpRequests: Counter;
  readonly routeQueries: Counter;
  readonly routeSeconds: Histogram;
  readonly scoreReports: Counter;
  readonly rgsSnapshots: Counter;
}

export function createServerMetrics(service: RoutingService): ServerMetrics {
  const registry = new Registry();
  const m: ServerMetrics = {
    registry,
    httpRequests: registry.register(new Counter('ln_http_requests_total', 'HTTP requests by route and status')),
    routeQueries: registry.register(new Counter('ln_route_queries_total', 'Route queries by result')),
    routeSeconds: registry.register(new Histogram('ln_route_query_seconds', 'Time to find a route', [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5])),
    scoreReports: registry.register(new Counter('ln_score_reports_total', 'Payment outcome reports by kind')),
    rgsSnapshots: registry.register(new Counter('ln_rgs_snapshots_total', 'RGS snapshots served by kind')),
  };
  registry.register(new Gauge('ln_graph_nodes', 'Nodes in the graph', () => service.graph().nodeCount));
  registry.register(new Gauge('ln_graph_channels', 'Channels in the graph', () => service.graphStats().channels));
  registry.register(new Gauge('ln_sync_peers', 'Connected gossip peers', () => service.syncStatus().peers));
  registry.register(new Gauge('ln_ready', '1 when routes are served', () => (service.ready() ? 1 : 0)));
  registry.register(new Gauge('process_resident_memory_bytes', 'Resident memory', () => process.memoryUsage().rss));
  registry.register(new Gauge('nodejs_heap_used_bytes', 'V8 heap in use', () => process.memoryUsage().heapUsed));
  return m;
}
