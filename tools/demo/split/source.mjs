// Process 1 of the split demo: a Lightning node of ours holding signed gossip
// for the mainnet topology (fresh keys), serving it over BOLT 8 on loopback.
// Prints one JSON line {nodeId, port, channels} when ready; runs until killed.
import { loadMainnetGraph } from 'ln-mainnet-graph';
import { fastestBackend, generateGossip, subgraph } from 'ln-gossip-generator';
import { startGossipSource } from 'ln-gossip-source';
import { toHex } from 'ln-types';
import { DefaultRouter, FixedPenaltyScorer } from 'ln-router';
import { NO_IN_FLIGHT_HTLCS, paymentParametersForNode } from 'ln-router-api';

const channels = Number(process.argv[2] ?? 0);
const started = performance.now();
const mainnet = loadMainnetGraph();
const topology = channels > 0 ? subgraph(mainnet, channels) : mainnet;
const backend = fastestBackend();
// Dated now: nodes refuse channel_updates older than two weeks.
const gossip = generateGossip(topology, { backend, timestamp: Math.floor(Date.now() / 1000) - 600 });
const generatedMs = performance.now() - started;
const source = await startGossipSource({ gossip, backend, verifySignatures: false });

// Payment pairs for the wallet, from a fixed seed: payers with an enabled
// outgoing channel, payees with an enabled incoming one.
const g = source.graph;
const sends = [];
const receives = [];
for (let n = 0; n < g.nodeCount; n++) {
  if (!g.nodeExists(n)) continue;
  let out = false;
  let inn = false;
  for (let k = 0; k < g.nodeChannelCount(n); k++) {
    const c = g.nodeChannelAt(n, k);
    const d = g.channelNode1(c) === n ? 0 : 1;
    if (g.hasPolicy(c, d) && g.policyEnabled(c, d)) out = true;
    if (g.hasPolicy(c, 1 - d) && g.policyEnabled(c, 1 - d)) inn = true;
  }
  if (out) sends.push(n);
  if (inn) receives.push(n);
}
let seed = 0x5eed;
const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
// Half the snapshot's directions are disabled or never updated, so most random
// pairs have no route: keep pairs the source's own graph can route (so the
// wallet's comparison is about real routes), plus one it cannot (to compare a refusal too).
const wanted = Number(process.argv[3] ?? 8);
const router = new DefaultRouter(g, new FixedPenaltyScorer());
const routable = [];
const unroutable = [];
for (let tries = 0; tries < 2000 && (routable.length < wanted - 1 || unroutable.length < 1); tries++) {
  const payer = sends[Math.floor(random() * sends.length)];
  const payee = receives[Math.floor(random() * receives.length)];
  if (payer === payee) continue;
  const pair = { payer: toHex(g.nodeId(payer)), payee: toHex(g.nodeId(payee)) };
  try {
    router.findRoute(g.nodeId(payer), { paymentParams: paymentParametersForNode(g.nodeId(payee), 18), finalValueMsat: 100_000_000n }, undefined, NO_IN_FLIGHT_HTLCS);
    if (routable.length < wanted - 1) routable.push(pair);
  } catch {
    if (unroutable.length < 1) unroutable.push(pair);
  }
}
const pairs = [...routable, ...unroutable];
process.stdout.write(
  JSON.stringify({ nodeId: toHex(source.nodeId), port: source.port, channels: g.liveChannelCount, nodes: g.liveNodeCount, generatedMs: Math.round(generatedMs), backend: backend.name, pairs }) + '\n',
);
const stop = () => void source.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
