// Load: 50 concurrent HTTP clients asking for routes on the mainnet graph for
// 10 s (3 s with BENCH_QUICK=1): routes per second, latency percentiles, memory.
// The server and the clients share this process (and its two cores).
import { loadMainnetGraph } from 'ln-mainnet-graph';
import { TypedGraph } from 'ln-router';
import { findRouteRequestCodec, paymentParametersForNode } from 'ln-router-api';
import { CHAIN_HASHES } from 'ln-types';
import { quantile, quick, reportValue } from 'ln-bench';
import { createHttpApp, GraphRoutingService } from '../src/index.js';

const CLIENTS = 50;
const SECONDS = quick ? 3 : 10;
const graph = new TypedGraph(loadMainnetGraph());
const service = new GraphRoutingService(graph, { chainHash: CHAIN_HASHES.bitcoin });
const { app } = createHttpApp(service);
await app.listen({ port: 0, host: '127.0.0.1' });
const { port } = app.server.address() as { port: number };
const url = `http://127.0.0.1:${port}/v1/route`;

// Fixed pseudo-random pairs among nodes with channels (a route may or may not exist: both are answers).
let seed = 7;
const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
const withChannels = Array.from({ length: graph.nodeCount }, (_, n) => n).filter((n) => graph.nodeChannelCount(n) > 0);
const bodies = Array.from({ length: 500 }, () => {
  const payer = graph.nodeId(withChannels[Math.floor(random() * withChannels.length)]!);
  const payee = graph.nodeId(withChannels[Math.floor(random() * withChannels.length)]!);
  return JSON.stringify(findRouteRequestCodec.encode({ payer, params: { paymentParams: paymentParametersForNode(payee, 18), finalValueMsat: 100_000_000n } }));
});

const latencies: number[] = [];
const statuses = new Map<number, number>();
const rssBefore = process.memoryUsage().rss;
let rssPeak = rssBefore;
const end = performance.now() + SECONDS * 1000;
let next = 0;
async function client(): Promise<void> {
  while (performance.now() < end) {
    const body = bodies[next++ % bodies.length]!;
    const t = performance.now();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await res.arrayBuffer();
    latencies.push(performance.now() - t);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }
}
const started = performance.now();
await Promise.all(Array.from({ length: CLIENTS }, client));
const elapsed = (performance.now() - started) / 1000;
await app.close();

const PKG = 'ln-routing-server';
const n = latencies.length;
reportValue(PKG, `route queries, ${CLIENTS} concurrent clients`, n / elapsed, 'queries/s', { n });
reportValue(PKG, 'route query latency p50', quantile(latencies, 0.5), 'ms', { n });
reportValue(PKG, 'route query latency p99', quantile(latencies, 0.99), 'ms', { n });
reportValue(PKG, 'RSS growth under load', (rssPeak - rssBefore) / 1e6, 'MB', { n });
const serverErrors = [...statuses].filter(([s]) => s >= 500).reduce((a, [, c]) => a + c, 0);
console.error(`statuses: ${JSON.stringify(Object.fromEntries(statuses))}`);
if (serverErrors > 0) throw new Error(`${serverErrors} server errors under load`);
