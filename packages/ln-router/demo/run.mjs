// `pnpm demo`, routing part: loads the 2026-02-03 mainnet graph, finds routes
// for a handful of random payments and prints them hop by hop with aliases
// and timings. Runs on the built dist of ln-router and ln-mainnet-graph.
import { toHex } from 'ln-types';
import { loadMainnetGraph } from 'ln-mainnet-graph';
import { NO_IN_FLIGHT_HTLCS, paymentParametersForNode, routeFeeMsat } from 'ln-router-api';
import { DefaultRouter, ProbabilisticScorer, TypedGraph } from '../dist/index.js';

const MPP_FEATURES = Uint8Array.of(0x02, 0x42, 0x00); // var_onion_optin, payment_secret, basic_mpp

let t = performance.now();
const data = loadMainnetGraph();
const graph = new TypedGraph(data);
console.log(`mainnet graph 2026-02-03: ${graph.nodeCount} nodes, ${graph.channelCount} channels, loaded in ${(performance.now() - t).toFixed(0)} ms`);

const alias = (id) => {
  const n = graph.nodeIndex(id);
  const name = n >= 0 ? data.nodes[n].alias : '';
  return name === '' ? toHex(id).slice(0, 16) + '…' : name;
};
const sats = (msat) => (Number(msat) / 1000).toLocaleString('en-US', { maximumFractionDigits: 3 });
const scidText = (scid) => `${scid >> 40n}x${(scid >> 16n) & 0xffffffn}x${scid & 0xffffn}`;

// Payers with an enabled outgoing channel, payees with an enabled incoming one.
const senders = [];
const receivers = [];
for (let n = 0; n < graph.nodeCount; n++) {
  let out = false;
  let inc = false;
  for (let k = 0; k < graph.nodeChannelCount(n); k++) {
    const c = graph.nodeChannelAt(n, k);
    const d = graph.channelNode1(c) === n ? 0 : 1;
    out ||= graph.policyEnabled(c, d);
    inc ||= graph.policyEnabled(c, 1 - d);
  }
  if (out) senders.push(n);
  if (inc) receivers.push(n);
}
let seed = 42;
const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);

const router = new DefaultRouter(graph, new ProbabilisticScorer(graph));
const amounts = [10_000n, 100_000n, 250_000n, 1_000_000n, 5_000_000n, 20_000n];
let shown = 0;
let tries = 0;
const deadline = performance.now() + 15_000;
while (shown < 5 && tries < 40 && performance.now() < deadline) {
  tries++;
  const payer = senders[Math.floor(random() * senders.length)];
  const payee = receivers[Math.floor(random() * receivers.length)];
  if (payer === payee) continue;
  const amountSat = amounts[shown % amounts.length];
  const params = { paymentParams: paymentParametersForNode(graph.nodeId(payee), 18, { features: MPP_FEATURES }), finalValueMsat: amountSat * 1000n };
  t = performance.now();
  let route;
  try {
    route = router.findRoute(graph.nodeId(payer), params, undefined, NO_IN_FLIGHT_HTLCS);
  } catch (e) {
    console.log(`\n${alias(graph.nodeId(payer))} -> ${alias(graph.nodeId(payee))}, ${sats(amountSat * 1000n)} sat: ${e.code} (${(performance.now() - t).toFixed(1)} ms)`);
    continue;
  }
  const ms = performance.now() - t;
  shown++;
  console.log(
    `\n${alias(graph.nodeId(payer))} -> ${alias(graph.nodeId(payee))}, ${sats(amountSat * 1000n)} sat: ` +
      `${route.paths.length} path(s), fee ${sats(routeFeeMsat(route))} sat, found in ${ms.toFixed(1)} ms`,
  );
  route.paths.forEach((path, i) => {
    if (route.paths.length > 1) console.log(`  path ${i + 1}:`);
    for (const hop of path.hops) {
      console.log(
        `    -> ${alias(hop.nodeId).padEnd(32).slice(0, 32)} via ${scidText(hop.shortChannelId).padEnd(14)} ` +
          `amount ${sats(hop.amountMsat).padStart(12)} sat  fee ${sats(hop.feeMsat).padStart(8)} sat  cltv +${hop.cltvExpiryDelta}`,
      );
    }
  });
}
