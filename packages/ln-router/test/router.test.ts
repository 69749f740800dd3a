import { describe, expect, it } from '@jest/globals';
import { nodeId, shortChannelId } from 'ln-types';
import {
  NO_IN_FLIGHT_HTLCS,
  RouteError,
  addPathToInFlight,
  paymentParametersForBlinded,
  paymentParametersForNode,
  routeFeeMsat,
  routeFinalValueMsat,
  type BlindedPaymentPath,
  type FirstHop,
  type RouteParameters,
} from 'ln-router-api';
import { DefaultRouter, FixedPenaltyScorer, ProbabilisticScorer, forwardingFeeMsat, maxRouteHops, FINAL_PAYLOAD_BYTES } from '../src/index.js';
import { buildGraph, checkRoute, idOf, MPP_FEATURES, NO_MPP_FEATURES, type Chan } from './helpers/graph.js';

const zero = new FixedPenaltyScorer();
const scid = (n: number) => BigInt(n) << 40n;

function single(payee: number, amount: bigint, extra: Partial<RouteParameters['paymentParams']> = {}, cltv = 18): RouteParameters {
  return { paymentParams: { ...paymentParametersForNode(idOf(payee), cltv, { features: NO_MPP_FEATURES }), ...extra }, finalValueMsat: amount };
}

function expectNoRoute(fn: () => unknown, code = 'no_route'): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(RouteError);
  expect((err as RouteError).code).toBe(code);
}

describe('fees', () => {
  it('rounds the proportional part down, exactly, for any amount below 2^53', () => {
    const cases: [number, number, number][] = [
      [0, 1, 999_999],
      [1000, 1, 1_000_000],
      [200, 2000, 4_999_999],
      [0, 4_294_967_295, 2_000_000_000_000],
      [7, 3_000_000, 3_000_000_000_000],
      [5, 999_999, 1_000_001],
    ];
    for (const [base, prop, amount] of cases) {
      const want = BigInt(base) + (BigInt(amount) * BigInt(prop)) / 1_000_000n;
      expect(BigInt(forwardingFeeMsat(base, prop, amount))).toBe(want);
    }
    for (let i = 0; i < 2000; i++) {
      const amount = Math.floor(Math.random() * 2 ** 40);
      const prop = Math.floor(Math.random() * 5000);
      expect(BigInt(forwardingFeeMsat(1, prop, amount))).toBe(1n + (BigInt(amount) * BigInt(prop)) / 1_000_000n);
    }
  });
});

describe('single path on hand-built graphs', () => {
  // 0 -> 1 -> 2 -> 3 (fees compound), and an expensive shortcut 0 -> 4 -> 3.
  const chans: Chan[] = [
    { a: 0, b: 1, scid: scid(1), capSat: 1_000_000n, ab: { base: 1000, prop: 100, cltv: 10 }, ba: null },
    { a: 1, b: 2, scid: scid(2), capSat: 1_000_000n, ab: { base: 1000, prop: 1000, cltv: 40 }, ba: null },
    { a: 2, b: 3, scid: scid(3), capSat: 1_000_000n, ab: { base: 500, prop: 2000, cltv: 30 }, ba: null },
    { a: 0, b: 4, scid: scid(4), capSat: 1_000_000n, ab: { base: 0, prop: 0, cltv: 10 }, ba: null },
    { a: 4, b: 3, scid: scid(5), capSat: 1_000_000n, ab: { base: 50_000, prop: 0, cltv: 10 }, ba: null },
  ];
  const g = buildGraph(5, chans);
  const router = new DefaultRouter(g, zero);

  it('compounds fees and cltv over three hops and picks the cheapest path', () => {
    const p = single(3, 10_000_000n);
    const r = router.findRoute(idOf(0), p, undefined, NO_IN_FLIGHT_HTLCS);
    const hops = r.paths[0]!.hops;
    expect(hops.map((h) => h.nodeId[1])).toEqual([1, 2, 3]);
    const fee2 = 500n + (10_000_000n * 2000n) / 1_000_000n; // node 2 forwards to 3
    const amt2 = 10_000_000n + fee2;
    const fee1 = 1000n + (amt2 * 1000n) / 1_000_000n;
    expect(hops[2]!.amountMsat).toBe(10_000_000n);
    expect(hops[1]!.amountMsat).toBe(amt2);
    expect(hops[0]!.amountMsat).toBe(amt2 + fee1);
    expect(hops.map((h) => h.cltvExpiryDelta)).toEqual([18 + 30 + 40, 18 + 30, 18]);
    expect(routeFeeMsat(r)).toBe(fee1 + fee2);
    expect(checkRoute(chans, idOf(0), r, p)).toBeUndefined();
  });

  it('respects the max total cltv', () => {
    const p = single(3, 10_000_000n, { maxTotalCltvExpiryDelta: 60 });
    const r = router.findRoute(idOf(0), p, undefined, NO_IN_FLIGHT_HTLCS);
    expect(r.paths[0]!.hops.map((h) => h.nodeId[1])).toEqual([4, 3]);
    expectNoRoute(() => router.findRoute(idOf(0), single(3, 10_000_000n, { maxTotalCltvExpiryDelta: 20 }), undefined, NO_IN_FLIGHT_HTLCS));
  });

  it('respects the max fee', () => {
    expectNoRoute(() => router.findRoute(idOf(0), { ...single(3, 10_000_000n), maxTotalRoutingFeeMsat: 1000n }, undefined, NO_IN_FLIGHT_HTLCS));
    const r = router.findRoute(idOf(0), { ...single(3, 10_000_000n), maxTotalRoutingFeeMsat: 60_000n }, undefined, NO_IN_FLIGHT_HTLCS);
    expect(routeFeeMsat(r)).toBeLessThanOrEqual(60_000n);
  });

  it('avoids disabled directions and channels without updates', () => {
    const disabled = chans.map((c) => (c.scid === scid(2) ? { ...c, ab: { ...c.ab!, disabled: true } } : c));
    const r = new DefaultRouter(buildGraph(5, disabled), zero).findRoute(idOf(0), single(3, 10_000_000n), undefined, NO_IN_FLIGHT_HTLCS);
    expect(r.paths[0]!.hops.map((h) => h.nodeId[1])).toEqual([4, 3]);
    // Only the reverse direction exists: no route from 3 to 0.
    expectNoRoute(() => router.findRoute(idOf(3), single(0, 1000n), undefined, NO_IN_FLIGHT_HTLCS));
  });

  it('respects htlc minimum, htlc maximum and capacity', () => {
    const limited = chans.map((c) => (c.scid === scid(2) ? { ...c, ab: { ...c.ab!, min: 20_000_000n } } : c));
    let r = new DefaultRouter(buildGraph(5, limited), zero).findRoute(idOf(0), single(3, 10_000_000n), undefined, NO_IN_FLIGHT_HTLCS);
    expect(r.paths[0]!.hops.map((h) => h.nodeId[1])).toEqual([4, 3]);
    const capped = chans.map((c) => (c.scid === scid(2) ? { ...c, ab: { ...c.ab!, max: 5_000_000n } } : c));
    r = new DefaultRouter(buildGraph(5, capped), zero).findRoute(idOf(0), single(3, 10_000_000n), undefined, NO_IN_FLIGHT_HTLCS);
    expect(r.paths[0]!.hops.map((h) => h.nodeId[1])).toEqual([4, 3]);
    // 1,000,000 sat channels cannot carry 1,000,001 sat.
    expectNoRoute(() => router.findRoute(idOf(0), single(3, 1_000_001_000n), undefined, NO_IN_FLIGHT_HTLCS));
  });

  it('subtracts in-flight HTLCs from the liquidity', () => {
    const first = router.findRoute(idOf(0), single(3, 600_000_000n), undefined, NO_IN_FLIGHT_HTLCS);
    const inFlight = addPathToInFlight(NO_IN_FLIGHT_HTLCS, idOf(0), first.paths[0]!);
    const second = router.findRoute(idOf(0), single(3, 600_000_000n), undefined, inFlight);
    expect(second.paths[0]!.hops.map((h) => h.shortChannelId)).not.toEqual(first.paths[0]!.hops.map((h) => h.shortChannelId));
    // Nothing of the previous query's usage stays in the router's reused buffers.
    const third = router.findRoute(idOf(0), single(3, 600_000_000n), undefined, NO_IN_FLIGHT_HTLCS);
    expect(third).toEqual(first);
  });

  it('uses route hints for a private payee', () => {
    const priv = nodeId(Uint8Array.of(3, ...new Uint8Array(32).fill(0xee)));
    const pp = paymentParametersForNode(priv, 18, {
      features: NO_MPP_FEATURES,
      routeHints: [[{ sourceNodeId: idOf(2), shortChannelId: shortChannelId(scid(99)), feeBaseMsat: 7, feeProportionalMillionths: 0, cltvExpiryDelta: 12 }]],
    });
    const r = router.findRoute(idOf(0), { paymentParams: pp, finalValueMsat: 1_000_000n }, undefined, NO_IN_FLIGHT_HTLCS);
    const hops = r.paths[0]!.hops;
    expect(hops.map((h) => h.shortChannelId)).toEqual([scid(1), scid(2), scid(99)]);
    expect(hops[2]!.announced).toBe(false);
    expect(hops[1]!.feeMsat).toBe(7n);
    expect(hops[1]!.cltvExpiryDelta).toBe(18 + 12);
  });

  it('leaves the payer through first hops only, with their real limits', () => {
    const fh = (n: number, limit: bigint): FirstHop => ({
      counterpartyNodeId: idOf(n),
      shortChannelId: shortChannelId(scid(50 + n)),
      nextOutboundHtlcLimitMsat: limit,
      nextOutboundHtlcMinimumMsat: 1n,
      counterpartyFeatures: Uint8Array.of(0x02, 0x00),
      channelFeatures: new Uint8Array(0),
    });
    const r = router.findRoute(idOf(0), single(3, 10_000_000n), [fh(1, 100_000_000n)], NO_IN_FLIGHT_HTLCS);
    expect(r.paths[0]!.hops[0]!.shortChannelId).toBe(scid(51));
    expect(r.paths[0]!.hops[0]!.nodeFeatures).toEqual(Uint8Array.of(0x02, 0x00));
    // The first hop to 1 is too small now: the graph's channel 0->4 is not used either.
    expectNoRoute(() => router.findRoute(idOf(0), single(3, 10_000_000n), [fh(1, 1_000_000n)], NO_IN_FLIGHT_HTLCS));
    const via4 = router.findRoute(idOf(0), single(3, 10_000_000n), [fh(1, 1_000_000n), fh(4, 100_000_000n)], NO_IN_FLIGHT_HTLCS);
    expect(via4.paths[0]!.hops.map((h) => h.shortChannelId)).toEqual([scid(54), scid(5)]);
  });

  it('routes to a blinded path through its introduction node', () => {
    const bp: BlindedPaymentPath = {
      introductionNodeId: idOf(2),
      blindingPoint: Uint8Array.of(2, ...new Uint8Array(32).fill(5)),
      hops: [
        { blindedNodeId: Uint8Array.of(2, ...new Uint8Array(32).fill(6)), encryptedPayload: new Uint8Array(50) },
        { blindedNodeId: Uint8Array.of(2, ...new Uint8Array(32).fill(7)), encryptedPayload: new Uint8Array(30) },
      ],
      feeBaseMsat: 100,
      feeProportionalMillionths: 1000,
      cltvExpiryDelta: 144,
      htlcMinimumMsat: 1n,
      htlcMaximumMsat: 1_000_000_000n,
      features: new Uint8Array(0),
    };
    const pp = paymentParametersForBlinded([bp], { features: NO_MPP_FEATURES });
    const r = router.findRoute(idOf(0), { paymentParams: pp, finalValueMsat: 1_000_000n }, undefined, NO_IN_FLIGHT_HTLCS);
    const path = r.paths[0]!;
    expect(path.hops.map((h) => h.nodeId[1])).toEqual([1, 2]);
    expect(path.blindedTail?.finalValueMsat).toBe(1_000_000n);
    expect(path.blindedTail?.hops).toHaveLength(2);
    expect(path.hops[1]!.amountMsat).toBe(1_000_000n + 100n + 1000n);
    expect(path.hops[1]!.feeMsat).toBe(1100n);
    expect(path.hops[1]!.cltvExpiryDelta).toBe(144);
    expect(routeFinalValueMsat(r)).toBe(1_000_000n);
    // A failed blinded path is not used again.
    expectNoRoute(() =>
      router.findRoute(idOf(0), { paymentParams: { ...pp, previouslyFailedBlindedPathIdxs: [0] }, finalValueMsat: 1_000_000n }, undefined, NO_IN_FLIGHT_HTLCS),
    );
  });

  it('refuses bad parameters with typed errors', () => {
    expectNoRoute(() => router.findRoute(idOf(0), single(0, 1000n), undefined, NO_IN_FLIGHT_HTLCS), 'payer_is_payee');
    expectNoRoute(() => router.findRoute(idOf(0), single(3, 0n), undefined, NO_IN_FLIGHT_HTLCS), 'invalid_params');
    expectNoRoute(() => router.findRoute(idOf(0), single(3, 1n << 60n), undefined, NO_IN_FLIGHT_HTLCS), 'invalid_params');
    expectNoRoute(() => router.findRoute(idOf(0), single(3, 1000n, { maxPathCount: 0 }), undefined, NO_IN_FLIGHT_HTLCS), 'invalid_params');
    const legacy = { paymentParams: paymentParametersForNode(idOf(3), 18, { features: Uint8Array.of(0x40, 0x00) }), finalValueMsat: 1000n };
    expectNoRoute(() => router.findRoute(idOf(0), legacy, undefined, NO_IN_FLIGHT_HTLCS), 'payee_unsupported');
    // An unknown payee without hints.
    const stranger = { paymentParams: paymentParametersForNode(nodeId(Uint8Array.of(3, ...new Uint8Array(32))), 18), finalValueMsat: 1000n };
    expectNoRoute(() => router.findRoute(idOf(0), stranger, undefined, NO_IN_FLIGHT_HTLCS));
  });
});

describe('onion size limit', () => {
  it('allows the longest path whose payloads fit in 1300 bytes and no longer', () => {
    const limit = maxRouteHops(FINAL_PAYLOAD_BYTES);
    expect(limit).toBe(21);
    const chain = (n: number): Chan[] =>
      Array.from({ length: n }, (_, i) => ({ a: i, b: i + 1, scid: scid(i + 1), capSat: 1_000_000n, ab: { base: 1, cltv: 1 }, ba: null }));
    const ok = new DefaultRouter(buildGraph(limit + 1, chain(limit)), zero);
    expect(ok.findRoute(idOf(0), single(limit, 1000n), undefined, NO_IN_FLIGHT_HTLCS).paths[0]!.hops).toHaveLength(limit);
    const tooLong = new DefaultRouter(buildGraph(limit + 2, chain(limit + 1)), zero);
    expectNoRoute(() => tooLong.findRoute(idOf(0), single(limit + 1, 1000n), undefined, NO_IN_FLIGHT_HTLCS));
  });
});

describe('multi-path payments', () => {
  // Three disjoint 2-hop paths from 0 to 4 of 400k, 300k and 300k sat.
  const chans: Chan[] = [
    { a: 0, b: 1, scid: scid(1), capSat: 400_000n, ab: { base: 1000, prop: 10 }, ba: null },
    { a: 1, b: 4, scid: scid(2), capSat: 400_000n, ab: { base: 1000, prop: 10 }, ba: null },
    { a: 0, b: 2, scid: scid(3), capSat: 300_000n, ab: { base: 1000, prop: 10 }, ba: null },
    { a: 2, b: 4, scid: scid(4), capSat: 300_000n, ab: { base: 1000, prop: 10 }, ba: null },
    { a: 0, b: 3, scid: scid(5), capSat: 300_000n, ab: { base: 1000, prop: 10 }, ba: null },
    { a: 3, b: 4, scid: scid(6), capSat: 300_000n, ab: { base: 1000, prop: 10 }, ba: null },
  ];
  const router = new DefaultRouter(buildGraph(5, chans), zero);
  const mpp = (amount: bigint, extra: Partial<RouteParameters['paymentParams']> = {}): RouteParameters => ({
    paymentParams: { ...paymentParametersForNode(idOf(4), 18, { features: MPP_FEATURES }), maxChannelSaturationPowerOfHalf: 0, ...extra },
    finalValueMsat: amount,
  });

  it('splits when no single path can carry the amount, and sums exactly', () => {
    const p = mpp(900_000_000n);
    const r = router.findRoute(idOf(0), p, undefined, NO_IN_FLIGHT_HTLCS);
    expect(r.paths.length).toBeGreaterThan(1);
    expect(routeFinalValueMsat(r)).toBe(900_000_000n);
    expect(checkRoute(chans, idOf(0), r, p)).toBeUndefined();
    // No channel carries more than its capacity across paths.
    const used = new Map<bigint, bigint>();
    for (const path of r.paths) for (const h of path.hops) used.set(h.shortChannelId, (used.get(h.shortChannelId) ?? 0n) + h.amountMsat);
    for (const c of chans) expect(used.get(c.scid) ?? 0n).toBeLessThanOrEqual(c.capSat * 1000n);
  });

  it('does not split for a payee without basic_mpp, nor beyond maxPathCount', () => {
    const noMpp = { ...mpp(900_000_000n), paymentParams: { ...mpp(900_000_000n).paymentParams, payee: { ...mpp(0n).paymentParams.payee, features: NO_MPP_FEATURES } } };
    expectNoRoute(() => router.findRoute(idOf(0), noMpp as RouteParameters, undefined, NO_IN_FLIGHT_HTLCS));
    expectNoRoute(() => router.findRoute(idOf(0), mpp(900_000_000n, { maxPathCount: 2 }), undefined, NO_IN_FLIGHT_HTLCS));
    // basic_mpp (17) without payment_secret (14), which it depends on: one path only.
    const mppNoSecret = { ...noMpp, paymentParams: { ...noMpp.paymentParams, payee: { ...noMpp.paymentParams.payee, features: Uint8Array.of(0x02, 0x02, 0x00) } } };
    expectNoRoute(() => router.findRoute(idOf(0), mppNoSecret as RouteParameters, undefined, NO_IN_FLIGHT_HTLCS));
    expectNoRoute(() => router.findRoute(idOf(0), mpp(1_000_000_001n), undefined, NO_IN_FLIGHT_HTLCS));
  });

  it('splits when halves cost less than one path, and not when they do not', () => {
    // 0 -> 1 -> 9 is cheap but carries only 600,000 sat; 0 -> 2 -> 9 carries all at 50x the fee rate.
    const two: Chan[] = [
      { a: 0, b: 1, scid: scid(21), capSat: 600_000n, ab: { base: 0, prop: 0 }, ba: null },
      { a: 1, b: 9, scid: scid(22), capSat: 600_000n, ab: { base: 0, prop: 100 }, ba: null },
      { a: 0, b: 2, scid: scid(23), capSat: 2_000_000n, ab: { base: 0, prop: 0 }, ba: null },
      { a: 2, b: 9, scid: scid(24), capSat: 2_000_000n, ab: { base: 0, prop: 5000 }, ba: null },
    ];
    const r2 = new DefaultRouter(buildGraph(10, two), zero);
    const params = (amount: bigint): RouteParameters => ({
      paymentParams: { ...paymentParametersForNode(idOf(9), 18, { features: MPP_FEATURES }), maxChannelSaturationPowerOfHalf: 0 },
      finalValueMsat: amount,
    });
    // 1,000,000 sat: one path must take the dear channel for all of it (5,000,000 msat of fees);
    // halves pay 50,000 + 2,500,000; filling the cheap path first (599,940,006 msat, the most
    // whose amount plus node 1's fee fits its 600,000 sat) pays 59,994 + 2,000,299.
    const p = params(1_000_000_000n);
    const split = r2.findRoute(idOf(0), p, undefined, NO_IN_FLIGHT_HTLCS);
    expect(split.paths.length).toBe(2);
    expect(routeFinalValueMsat(split)).toBe(1_000_000_000n);
    expect(routeFeeMsat(split)).toBe(2_060_293n);
    expect(split.paths.map((path) => path.hops[1]!.amountMsat).sort()).toEqual([400_059_994n, 599_940_006n]);
    expect(checkRoute(two, idOf(0), split, p)).toBeUndefined();
    // 500,000 sat fits the cheap path alone: halves would only add a hop's fees on the dear one.
    const single = r2.findRoute(idOf(0), params(500_000_000n), undefined, NO_IN_FLIGHT_HTLCS);
    expect(single.paths.length).toBe(1);
    expect(routeFeeMsat(single)).toBe(50_000n);
  });

  it('with the probabilistic scorer, splits an amount near both channels\' capacity over the two', () => {
    const twin: Chan[] = [
      { a: 0, b: 1, scid: scid(31), capSat: 1_100_000n, ab: { base: 0, prop: 1 }, ba: null },
      { a: 1, b: 9, scid: scid(32), capSat: 1_100_000n, ab: { base: 0, prop: 1 }, ba: null },
      { a: 0, b: 2, scid: scid(33), capSat: 1_100_000n, ab: { base: 0, prop: 1 }, ba: null },
      { a: 2, b: 9, scid: scid(34), capSat: 1_100_000n, ab: { base: 0, prop: 1 }, ba: null },
    ];
    const g = buildGraph(10, twin);
    const p: RouteParameters = {
      paymentParams: { ...paymentParametersForNode(idOf(9), 18, { features: MPP_FEATURES }), maxChannelSaturationPowerOfHalf: 0 },
      finalValueMsat: 1_000_000_000n,
    };
    const r = new DefaultRouter(g, new ProbabilisticScorer(g)).findRoute(idOf(0), p, undefined, NO_IN_FLIGHT_HTLCS);
    expect(r.paths.length).toBe(2);
    expect(new Set(r.paths.map((path) => path.hops[1]!.shortChannelId))).toEqual(new Set([scid(32), scid(34)]));
    expect(routeFinalValueMsat(r)).toBe(1_000_000_000n);
    // A small amount is safe on one path: no split.
    const small = new DefaultRouter(g, new ProbabilisticScorer(g)).findRoute(idOf(0), { ...p, finalValueMsat: 10_000_000n }, undefined, NO_IN_FLIGHT_HTLCS);
    expect(small.paths.length).toBe(1);
  });

  it('keeps each path within the channel saturation limit', () => {
    const p = mpp(450_000_000n, { maxChannelSaturationPowerOfHalf: 1 });
    const r = router.findRoute(idOf(0), p, undefined, NO_IN_FLIGHT_HTLCS);
    expect(routeFinalValueMsat(r)).toBe(450_000_000n);
    for (const path of r.paths) {
      for (const h of path.hops) {
        const c = chans.find((x) => x.scid === h.shortChannelId)!;
        expect(h.amountMsat).toBeLessThanOrEqual((c.capSat * 1000n) / 2n);
      }
    }
    expect(checkRoute(chans, idOf(0), r, p)).toBeUndefined();
  });
});
