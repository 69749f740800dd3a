// Process 3 of the split demo: a wallet without the graph. It asks the
// routing server for routes (ln-router-client), then downloads an RGS snapshot,
// applies it to a local graph (ln-gossip) and finds the same routes locally.
// Prints one JSON line with every result and timing.
import { CHAIN_HASHES, fromHex, toHex } from 'ln-types';
import { NO_IN_FLIGHT_HTLCS, paymentParametersForNode, ROUTER_HTTP_PATHS } from 'ln-router-api';
import { RemoteRouter } from 'ln-router-client';
import { NetworkGraph, applyRgsSnapshot } from 'ln-gossip';
import { fastestBackend } from 'ln-gossip-generator';
import { DefaultRouter, ProbabilisticScorer } from 'ln-router';

const [baseUrl, pairsJson] = process.argv.slice(2);
const pairs = JSON.parse(pairsJson);
const remote = new RemoteRouter({ baseUrl, timeoutMs: 30_000 });
const paramsFor = (payee) => ({ paymentParams: paymentParametersForNode(fromHex(payee), 18), finalValueMsat: 100_000_000n });
const describe = (route) => route.paths.map((p) => ({ hops: p.hops.map((h) => ({ node: toHex(h.nodeId).slice(0, 12), scid: h.shortChannelId.toString(), feeMsat: h.feeMsat.toString(), cltv: h.cltvExpiryDelta })) }));

const results = [];
for (const { payer, payee } of pairs) {
  const t = performance.now();
  try {
    const route = await remote.findRoute(fromHex(payer), paramsFor(payee), undefined, NO_IN_FLIGHT_HTLCS);
    results.push({ payer, payee, remote: { ms: performance.now() - t, paths: describe(route) } });
  } catch (e) {
    results.push({ payer, payee, remote: { ms: performance.now() - t, error: e.code ?? String(e) } });
  }
}

let t = performance.now();
const response = await fetch(`${baseUrl}${ROUTER_HTTP_PATHS.rgsSnapshot}/0`, { headers: { 'accept-encoding': 'gzip' } });
const snapshot = new Uint8Array(await response.arrayBuffer());
const downloadMs = performance.now() - t;
t = performance.now();
const graph = new NetworkGraph(CHAIN_HASHES.bitcoin);
// Node ids new to the graph are checked to be curve points: the native backend keeps that cheap.
const applied = applyRgsSnapshot(graph, snapshot, { secp256k1: fastestBackend() });
const applyMs = performance.now() - t;
const local = new DefaultRouter(graph, new ProbabilisticScorer(graph));
for (const r of results) {
  const t0 = performance.now();
  try {
    const route = local.findRoute(fromHex(r.payer), paramsFor(r.payee), undefined, NO_IN_FLIGHT_HTLCS);
    r.local = { ms: performance.now() - t0, paths: describe(route) };
  } catch (e) {
    r.local = { ms: performance.now() - t0, error: e.code ?? String(e) };
  }
  r.same = JSON.stringify(r.local.paths ?? r.local.error) === JSON.stringify(r.remote.paths ?? r.remote.error);
}
process.stdout.write(JSON.stringify({ snapshotBytes: snapshot.length, downloadMs, applyMs, applied, results }) + '\n');
