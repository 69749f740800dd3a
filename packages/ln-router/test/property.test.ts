import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { equalBytes } from 'ln-types';
import { NO_IN_FLIGHT_HTLCS, RouteError, paymentParametersForNode, routeFeeMsat, type Route, type RouteParameters } from 'ln-router-api';
import { DefaultRouter, FixedPenaltyScorer, ProbabilisticScorer } from '../src/index.js';
import { buildGraph, checkRoute, fee, idOf, MPP_FEATURES, NO_MPP_FEATURES, type Chan, type Pol } from './helpers/graph.js';

const runs = process.env.LN_LONG_TESTS === '1' ? 5000 : 300;

const arbPol: fc.Arbitrary<Pol | null> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  {
    weight: 9,
    arbitrary: fc.record({
      base: fc.nat({ max: 2000 }),
      prop: fc.nat({ max: 5000 }),
      cltv: fc.nat({ max: 100 }),
      disabled: fc.boolean().map((b) => b && Math.random() < 0.4),
      maxFraction: fc.integer({ min: 1, max: 100 }),
    }).map(({ maxFraction, ...p }) => ({ ...p, maxFraction }) as Pol & { maxFraction: number }),
  },
);

const arbGraph = fc.integer({ min: 3, max: 7 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    chans: fc.array(
      fc.record({
        a: fc.nat({ max: n - 1 }),
        b: fc.nat({ max: n - 1 }),
        capSat: fc.integer({ min: 1000, max: 100_000 }).map(BigInt),
        ab: arbPol,
        ba: arbPol,
      }),
      { minLength: 2, maxLength: 14 },
    ),
    amount: fc.integer({ min: 1000, max: 60_000_000 }).map(BigInt),
  }),
);

function toChans(raw: { a: number; b: number; capSat: bigint; ab: Pol | null; ba: Pol | null }[]): Chan[] {
  const withMax = (p: Pol | null, capSat: bigint): Pol | null => {
    if (p === null) return null;
    const { maxFraction, ...rest } = p as Pol & { maxFraction: number };
    return { ...rest, max: (capSat * 1000n * BigInt(maxFraction)) / 100n };
  };
  return raw
    .filter((c) => c.a !== c.b)
    .map((c, i) => ({ a: c.a, b: c.b, capSat: c.capSat, scid: BigInt(i + 1) << 40n, ab: withMax(c.ab, c.capSat), ba: withMax(c.ba, c.capSat) }));
}

/** The cheapest fee of any simple path from 0 to n-1 that can deliver `amount`, by enumeration. */
function bruteForce(n: number, chans: Chan[], amount: bigint, finalCltv: number, maxCltv: number): bigint | undefined {
  const edges: { from: number; to: number; pol: Pol; capSat: bigint }[] = [];
  for (const c of chans) {
    if (c.ab !== null && c.ab.disabled !== true) edges.push({ from: c.a, to: c.b, pol: c.ab, capSat: c.capSat });
    if (c.ba !== null && c.ba.disabled !== true) edges.push({ from: c.b, to: c.a, pol: c.ba, capSat: c.capSat });
  }
  let best: bigint | undefined;
  const path: typeof edges = [];
  const visited = new Set<number>([0]);
  const evaluate = (): void => {
    let a = amount;
    let cltv = finalCltv;
    let total = 0n;
    for (let i = path.length - 1; i >= 0; i--) {
      const e = path[i]!;
      if (a < (e.pol.min ?? 0n) || a > (e.pol.max ?? 0n) || a > e.capSat * 1000n) return;
      if (i > 0) {
        const f = fee(e.pol, a);
        a += f;
        total += f;
        cltv += e.pol.cltv ?? 0;
      }
    }
    if (cltv > maxCltv) return;
    if (best === undefined || total < best) best = total;
  };
  const dfs = (u: number): void => {
    if (u === n - 1) return evaluate();
    for (const e of edges) {
      if (e.from !== u || visited.has(e.to)) continue;
      visited.add(e.to);
      path.push(e);
      dfs(e.to);
      path.pop();
      visited.delete(e.to);
    }
  };
  dfs(0);
  return best;
}

function tryRoute(router: DefaultRouter, params: RouteParameters): Route | RouteError {
  try {
    return router.findRoute(idOf(0), params, undefined, NO_IN_FLIGHT_HTLCS);
  } catch (e) {
    if (e instanceof RouteError) return e;
    throw e;
  }
}

describe('random graphs against brute force', () => {
  it('single path: finds a route exactly when one exists, valid and cheapest (zero penalty)', () => {
    fc.assert(
      fc.property(arbGraph, ({ n, chans: raw, amount }) => {
        const chans = toChans(raw);
        const router = new DefaultRouter(buildGraph(n, chans), new FixedPenaltyScorer());
        const params: RouteParameters = { paymentParams: paymentParametersForNode(idOf(n - 1), 18, { features: NO_MPP_FEATURES }), finalValueMsat: amount };
        const best = bruteForce(n, chans, amount, 18, params.paymentParams.maxTotalCltvExpiryDelta);
        const got = tryRoute(router, params);
        if (best === undefined) {
          expect(got).toBeInstanceOf(RouteError);
          return;
        }
        expect(got).not.toBeInstanceOf(RouteError);
        const route = got as Route;
        expect(checkRoute(chans, idOf(0), route, params)).toBeUndefined();
        expect(routeFeeMsat(route)).toBe(best);
      }),
      { numRuns: runs },
    );
  });

  // With penalties the search is no longer exact (a costlier label may carry a
  // smaller amount), so only validity is a law here.
  it('probabilistic scorer: every route is valid', () => {
    fc.assert(
      fc.property(arbGraph, ({ n, chans: raw, amount }) => {
        const chans = toChans(raw);
        const g = buildGraph(n, chans);
        const router = new DefaultRouter(g, new ProbabilisticScorer(g));
        const params: RouteParameters = { paymentParams: paymentParametersForNode(idOf(n - 1), 18, { features: NO_MPP_FEATURES }), finalValueMsat: amount };
        const got = tryRoute(router, params);
        if (bruteForce(n, chans, amount, 18, params.paymentParams.maxTotalCltvExpiryDelta) === undefined) expect(got).toBeInstanceOf(RouteError);
        if (!(got instanceof RouteError)) expect(checkRoute(chans, idOf(0), got, params)).toBeUndefined();
      }),
      { numRuns: runs },
    );
  });

  it('multi-path: routes are valid, sum exactly, never overuse a channel, and exist when a single path does', () => {
    fc.assert(
      fc.property(arbGraph, ({ n, chans: raw, amount }) => {
        const chans = toChans(raw);
        const router = new DefaultRouter(buildGraph(n, chans), new FixedPenaltyScorer());
        const params: RouteParameters = {
          paymentParams: { ...paymentParametersForNode(idOf(n - 1), 18, { features: MPP_FEATURES }), maxPathCount: 4, maxChannelSaturationPowerOfHalf: 0 },
          finalValueMsat: amount,
        };
        const got = tryRoute(router, params);
        if (bruteForce(n, chans, amount, 18, 1008) !== undefined) expect(got).not.toBeInstanceOf(RouteError);
        if (got instanceof RouteError) return;
        expect(checkRoute(chans, idOf(0), got, params)).toBeUndefined();
        const used = new Map<string, bigint>();
        for (const path of got.paths) {
          let from = idOf(0);
          for (const h of path.hops) {
            const key = `${h.shortChannelId}:${equalBytes(from, h.nodeId) ? '' : from[1]}`;
            used.set(key, (used.get(key) ?? 0n) + h.amountMsat);
            const c = chans.find((x) => x.scid === h.shortChannelId)!;
            expect(used.get(key)!).toBeLessThanOrEqual(c.capSat * 1000n);
            from = h.nodeId;
          }
        }
      }),
      { numRuns: runs },
    );
  });
});
