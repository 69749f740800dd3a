// Routing on the real mainnet graph (ln-mainnet-graph, 2026-02-03): 50 fixed
// random (payer, payee) pairs, 100,000 sat, single-path and multi-path, with
// a zero-penalty scorer and the ProbabilisticScorer; median and p90 ms per
// route and success rate, side by side with LDK in WebAssembly on the same
// pairs in the same run. LDK_PEER=0 skips the peer.
import { median, quantile, quick, reportValue, timeRuns } from 'ln-bench';
import { loadMainnetGraph, type MainnetGraph } from 'ln-mainnet-graph';
import { NO_IN_FLIGHT_HTLCS, paymentParametersForNode, type RouteParameters, type ScoreLookUp } from 'ln-router-api';
import { DefaultRouter, FixedPenaltyScorer, ProbabilisticScorer, TypedGraph } from '../src/index.js';
import { buildLdkGraph, initLdk, ldkRouter, type LdkGraph } from './ldk-peer.js';
import { randomPairs } from './pairs.js';

const PKG = 'ln-router';
const AMOUNT_MSAT = 100_000_000n;
const PAIRS = quick ? 20 : 50;
const SEED = 20260203;
const MPP_FEATURES = Uint8Array.of(0x02, 0x42, 0x00);
const SINGLE_FEATURES = Uint8Array.of(0x42, 0x00);
const withPeer = process.env.LDK_PEER !== '0';
/** Each pair is timed this many times; its time is the median (the machine is shared and noisy). */
const REPS = quick ? 1 : 3;

let data: MainnetGraph | undefined;
const fromFile = await timeRuns(() => {
  data = loadMainnetGraph();
  return new TypedGraph(data);
});
reportValue(PKG, 'graph view build from the data file', fromFile.median, 'ms');
const build = await timeRuns(() => new TypedGraph(data!));
const graph = new TypedGraph(data!);
const pairs = randomPairs(graph, PAIRS, SEED);

let ldkGraph: LdkGraph | undefined;
if (withPeer) {
  await initLdk();
  const t0 = performance.now();
  ldkGraph = buildLdkGraph(data!, false);
  const ldkBuild = performance.now() - t0;
  reportValue(PKG, 'graph build from plain data', build.median, 'ms', { vs: 'ldk-wasm', ratio: ldkBuild / build.median });
  console.error(`LDK graph: ${ldkBuild.toFixed(0)} ms, ${ldkGraph.rejected} messages refused`);
} else {
  reportValue(PKG, 'graph build from plain data', build.median, 'ms');
}

function params(payee: number, mpp: boolean): RouteParameters {
  return {
    paymentParams: paymentParametersForNode(graph.nodeId(payee), 18, { features: mpp ? MPP_FEATURES : SINGLE_FEATURES }),
    finalValueMsat: AMOUNT_MSAT,
  };
}

interface Run {
  times: number[];
  ok: number;
  fees: (bigint | undefined)[];
}

function runOurs(scorer: ScoreLookUp, mpp: boolean): Run {
  const router = new DefaultRouter(graph, scorer);
  const once = (): Run => {
    const run: Run = { times: [], ok: 0, fees: [] };
    for (const [a, b] of pairs) {
      const p = params(b, mpp);
      const times: number[] = [];
      let fee: bigint | undefined;
      for (let r = 0; r < REPS; r++) {
        const t = performance.now();
        try {
          const route = router.findRoute(graph.nodeId(a), p, undefined, NO_IN_FLIGHT_HTLCS);
          fee = route.paths.reduce((sum, path) => sum + path.hops[0]!.amountMsat, 0n) - AMOUNT_MSAT;
        } catch {
          fee = undefined;
        }
        times.push(performance.now() - t);
      }
      if (fee !== undefined) run.ok++;
      run.times.push(median(times));
      run.fees.push(fee);
    }
    return run;
  };
  once(); // warm-up
  return once();
}

function runLdk(kind: 'zero' | 'probabilistic', mpp: boolean): Run {
  const route = ldkRouter(ldkGraph!, kind);
  route(graph.nodeId(pairs[0]![0]), graph.nodeId(pairs[0]![1]), AMOUNT_MSAT, mpp); // warm-up
  const run: Run = { times: [], ok: 0, fees: [] };
  for (const [a, b] of pairs) {
    const times: number[] = [];
    let fee: bigint | undefined;
    for (let r = 0; r < REPS; r++) {
      const t = performance.now();
      fee = route(graph.nodeId(a), graph.nodeId(b), AMOUNT_MSAT, mpp);
      times.push(performance.now() - t);
    }
    run.times.push(median(times));
    run.fees.push(fee);
    if (fee !== undefined) run.ok++;
  }
  return run;
}

for (const mpp of [false, true]) {
  for (const kind of ['zero', 'probabilistic'] as const) {
    const scorer = kind === 'zero' ? new FixedPenaltyScorer() : new ProbabilisticScorer(graph);
    const ours = runOurs(scorer, mpp);
    const label = `route ${mpp ? 'MPP' : 'single-path'} ${kind === 'zero' ? 'zero-penalty' : 'probabilistic'} 100k sat`;
    const m = median(ours.times);
    const p90 = quantile(ours.times, 0.9);
    const rate = (100 * ours.ok) / pairs.length;
    if (ldkGraph !== undefined) {
      const peer = runLdk(kind, mpp);
      const pm = median(peer.times);
      const pp90 = quantile(peer.times, 0.9);
      reportValue(PKG, `${label} median`, m, 'ms', { vs: 'ldk-wasm', ratio: pm / m, n: pairs.length });
      reportValue(PKG, `${label} p90`, p90, 'ms', { vs: 'ldk-wasm', ratio: pp90 / p90, n: pairs.length });
      reportValue(PKG, `${label} success rate`, rate, '%', { vs: 'ldk-wasm', ratio: rate / Math.max(1e-9, (100 * peer.ok) / pairs.length), n: pairs.length });
      const bothFound = ours.fees.filter((f, i) => f !== undefined && peer.fees[i] !== undefined).length;
      const cheaperOrEqual = ours.fees.filter((f, i) => f !== undefined && peer.fees[i] !== undefined && f <= peer.fees[i]!).length;
      console.error(
        `${label}: ours median ${m.toFixed(2)} ms p90 ${p90.toFixed(2)} ms ok ${ours.ok}/${pairs.length}; ` +
          `LDK median ${pm.toFixed(2)} ms p90 ${pp90.toFixed(2)} ms ok ${peer.ok}/${pairs.length}; ` +
          `fee <= LDK's on ${cheaperOrEqual}/${bothFound} pairs both routed`,
      );
    } else {
      reportValue(PKG, `${label} median`, m, 'ms', { n: pairs.length });
      reportValue(PKG, `${label} p90`, p90, 'ms', { n: pairs.length });
      reportValue(PKG, `${label} success rate`, rate, '%', { n: pairs.length });
    }
  }
}
