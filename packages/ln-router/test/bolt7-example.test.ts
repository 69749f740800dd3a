import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { NO_IN_FLIGHT_HTLCS, paymentParametersForNode, type RouteParameters } from 'ln-router-api';
import { DefaultRouter, FixedPenaltyScorer } from '../src/index.js';
import { buildGraph, checkRoute, idOf, NO_MPP_FEATURES, type Chan, type Pol } from './helpers/graph.js';

// BOLT 7 "Routing Example" (lightning/bolts 07-routing-gossip.md, see the
// fixture's `source`): A, B, C, D in a square A-B, B-C, C-D, D-A, each node
// with its own fees and cltv delta; C requires min_final_cltv_expiry_delta 18
// and the payer adds a shadow route of 42 blocks.
const vectors = JSON.parse(readFileSync(new URL('./fixtures/bolt07-examples.json', import.meta.url), 'utf8'));
const ex = vectors.routing_example;
const index: Record<string, number> = { A: 0, B: 1, C: 2, D: 3 };

function pol(from: string, to: string): Pol {
  const u = ex.channel_updates.find((x: { from: string; to: string }) => x.from === from && x.to === to);
  return { base: u.fee_base_msat, prop: u.fee_proportional_millionths, cltv: u.cltv_expiry_delta };
}
const pairs = [['A', 'B'], ['B', 'C'], ['C', 'D'], ['D', 'A']] as const;
const chans: Chan[] = pairs.map(([a, b], i) => ({
  a: index[a]!,
  b: index[b]!,
  scid: BigInt(i + 1) << 40n,
  capSat: 1_000_000n,
  ab: pol(a, b),
  ba: pol(b, a),
}));
const graph = buildGraph(4, chans);
const router = new DefaultRouter(graph, new FixedPenaltyScorer());
const finalCltv = ex.min_final_cltv_expiry_delta_C + ex.shadow_route_extra_cltv;

function params(failed: bigint[] = []): RouteParameters {
  const pp = paymentParametersForNode(idOf(index.C!), finalCltv, { features: NO_MPP_FEATURES });
  return { paymentParams: { ...pp, previouslyFailedChannels: failed.map((s) => s as never) }, finalValueMsat: 4_999_999n };
}

describe('BOLT 7 routing example', () => {
  const payment = (route: string) => ex.payments.find((p: { route: string }) => p.route === route);

  it('B->C: the payee gets the amount and the final cltv', () => {
    const r = router.findRoute(idOf(index.B!), params(), undefined, NO_IN_FLIGHT_HTLCS);
    const want = payment('B->C');
    expect(r.paths).toHaveLength(1);
    const hops = r.paths[0]!.hops;
    expect(hops).toHaveLength(1);
    expect(hops[0]!.amountMsat).toBe(BigInt(want.update_add_htlc.amount_msat));
    expect(hops[0]!.cltvExpiryDelta).toBe(want.update_add_htlc.cltv_expiry.relative_to_current_block_height);
  });

  it('A->B->C: the cheaper path, with B fee and delta added', () => {
    const p = params();
    const r = router.findRoute(idOf(index.A!), p, undefined, NO_IN_FLIGHT_HTLCS);
    const want = payment('A->B->C');
    const hops = r.paths[0]!.hops;
    expect(hops.map((h) => h.nodeId[1])).toEqual([index.B, index.C]);
    expect(hops[0]!.amountMsat).toBe(BigInt(want.update_add_htlc.amount_msat));
    expect(hops[0]!.cltvExpiryDelta).toBe(want.update_add_htlc.cltv_expiry.relative_to_current_block_height);
    expect(hops[0]!.feeMsat).toBe(BigInt(want.fee_msat_B));
    expect(hops[1]!.amountMsat).toBe(BigInt(want.update_add_htlc.onion.amt_to_forward));
    expect(hops[1]!.cltvExpiryDelta).toBe(want.update_add_htlc.onion.outgoing_cltv_value.relative_to_current_block_height);
    expect(checkRoute(chans, idOf(index.A!), r, p)).toBeUndefined();
  });

  it('A->D->C when A-B has failed before', () => {
    const p = params([chans[0]!.scid]);
    const r = router.findRoute(idOf(index.A!), p, undefined, NO_IN_FLIGHT_HTLCS);
    const want = payment('A->D->C');
    const hops = r.paths[0]!.hops;
    expect(hops.map((h) => h.nodeId[1])).toEqual([index.D, index.C]);
    expect(hops[0]!.amountMsat).toBe(BigInt(want.update_add_htlc.amount_msat));
    expect(hops[0]!.cltvExpiryDelta).toBe(want.update_add_htlc.cltv_expiry.relative_to_current_block_height);
    expect(checkRoute(chans, idOf(index.A!), r, p)).toBeUndefined();
    // The router reuses its buffers: the ban does not leak into the next query.
    const again = router.findRoute(idOf(index.A!), params(), undefined, NO_IN_FLIGHT_HTLCS);
    expect(again.paths[0]!.hops.map((h) => h.nodeId[1])).toEqual([index.B, index.C]);
  });
});
