import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MemoryKVStore, shortChannelId } from 'ln-types';
import { NO_IN_FLIGHT_HTLCS, paymentParametersForNode, type Path } from 'ln-router-api';
import { DefaultRouter, ProbabilisticScorer, RouterDataError, persistScorer, readScorer } from '../src/index.js';
import { buildGraph, idOf, NO_MPP_FEATURES, type Chan } from './helpers/graph.js';

const HOUR = 3600_000;
const scid = (n: number) => shortChannelId(BigInt(n) << 40n);
// Two parallel 2-hop paths from 0 to 3: via 1 (scids 1, 2) and via 2 (scids 3, 4).
const chans: Chan[] = [
  { a: 0, b: 1, scid: scid(1), capSat: 1_000_000n, ab: { base: 0 }, ba: { base: 0 } },
  { a: 1, b: 3, scid: scid(2), capSat: 1_000_000n, ab: { base: 1000 }, ba: { base: 0 } },
  { a: 0, b: 2, scid: scid(3), capSat: 1_000_000n, ab: { base: 0 }, ba: { base: 0 } },
  { a: 2, b: 3, scid: scid(4), capSat: 1_000_000n, ab: { base: 1100 }, ba: { base: 0 } },
];
const graph = buildGraph(4, chans);
const CAP = 1_000_000_000; // msat

/** The path 0 -> 1 -> 3 carrying `amount` to 3 (fees ignored: the scorer reads amounts only). */
function pathVia1(amount: bigint): Path {
  const hop = (node: number, s: number) => ({
    nodeId: idOf(node), nodeFeatures: new Uint8Array(0), shortChannelId: scid(s), channelFeatures: new Uint8Array(0),
    amountMsat: amount, feeMsat: 0n, cltvExpiryDelta: 18, announced: true,
  });
  return { hops: [hop(1, 1), hop(3, 2)] };
}
// Direction of 1 -> 3 on scid 2: idOf(1) < idOf(3), so direction 0.
const D13 = 0;

describe('ProbabilisticScorer', () => {
  it('starts from a uniform prior over the capacity', () => {
    const s = new ProbabilisticScorer(graph);
    expect(s.successProbability(scid(2), D13, CAP / 4)).toBeCloseTo(0.75);
    expect(s.successProbability(scid(2), D13, CAP)).toBe(0);
  });

  it('after a failure for A, amounts at or above A become unlikely; below A they are not affected more', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: CAP - 1 }), (a) => {
        const s = new ProbabilisticScorer(graph);
        const before = s.successProbability(scid(2), D13, a);
        s.paymentPathFailed(pathVia1(BigInt(a)), scid(2), 0);
        expect(s.successProbability(scid(2), D13, a)).toBe(0);
        expect(s.successProbability(scid(2), D13, a)).toBeLessThan(before);
        // The hop before the failure carried A: amounts up to A are certain there.
        expect(s.successProbability(scid(1), 0, a)).toBe(1);
      }),
      { numRuns: 100 },
    );
  });

  it('after a success for A, the probability of A rises', () => {
    const s = new ProbabilisticScorer(graph);
    const a = CAP / 2;
    const before = s.successProbability(scid(2), D13, a);
    s.paymentPathSuccessful(pathVia1(BigInt(a)), 0);
    expect(s.successProbability(scid(2), D13, a)).toBeGreaterThan(before);
    expect(s.successProbability(scid(2), D13, a)).toBe(1);
  });

  it('decays learned bounds back over the half-life', () => {
    const s = new ProbabilisticScorer(graph, { liquidityOffsetHalfLifeMs: HOUR });
    const a = CAP / 2;
    s.paymentPathFailed(pathVia1(BigInt(a)), scid(2), 0);
    const atA = (t: number) => {
      s.timePassed(t);
      return s.successProbability(scid(2), D13, a * 0.9);
    };
    const p0 = atA(0);
    const p1 = atA(HOUR);
    const p10 = atA(10 * HOUR);
    expect(p0).toBeLessThan(p1);
    expect(p1).toBeLessThan(p10);
    // After one half-life the upper bound is halfway back to the capacity.
    expect(p1).toBeCloseTo((0.75 * CAP - 0.45 * CAP) / (0.75 * CAP), 6);
    expect(p10).toBeCloseTo(1 - 0.45, 2);
  });

  it('keeps historical buckets after the bounds have decayed', () => {
    const s = new ProbabilisticScorer(graph, { liquidityOffsetHalfLifeMs: HOUR });
    for (let i = 0; i < 5; i++) s.paymentPathFailed(pathVia1(BigInt(CAP / 10)), scid(2), i * 1000);
    s.timePassed(48 * HOUR);
    expect(s.successProbability(scid(2), D13, CAP / 2)).toBeCloseTo(0.5, 3);
    const hist = s.historicalSuccessProbability(scid(2), D13, CAP / 2)!;
    expect(hist).toBeLessThan(0.1);
    expect(s.historicalSuccessProbability(scid(2), D13, CAP / 100)!).toBeGreaterThan(hist);
  });

  it('steers the router away from a channel that failed', () => {
    const s = new ProbabilisticScorer(graph);
    const router = new DefaultRouter(graph, s);
    const params = { paymentParams: paymentParametersForNode(idOf(3), 18, { features: NO_MPP_FEATURES }), finalValueMsat: 400_000_000n };
    const first = router.findRoute(idOf(0), params, undefined, NO_IN_FLIGHT_HTLCS);
    expect(first.paths[0]!.hops[0]!.shortChannelId).toBe(scid(1));
    s.paymentPathFailed(first.paths[0]!, scid(2), 1000);
    const second = router.findRoute(idOf(0), params, undefined, NO_IN_FLIGHT_HTLCS);
    expect(second.paths[0]!.hops[0]!.shortChannelId).toBe(scid(3));
  });

  it('serializes, loads through a KVStore, and merges', async () => {
    const s = new ProbabilisticScorer(graph);
    s.paymentPathFailed(pathVia1(300_000_000n), scid(2), 5000);
    const store = new MemoryKVStore();
    await persistScorer(store, s);
    const loaded = await readScorer(store, graph);
    for (const amount of [1, 100_000_000, 299_999_999, 300_000_000, 900_000_000]) {
      expect(loaded.successProbability(scid(2), D13, amount)).toBe(s.successProbability(scid(2), D13, amount));
      expect(loaded.historicalSuccessProbability(scid(2), D13, amount)).toBe(s.historicalSuccessProbability(scid(2), D13, amount));
    }
    expect(loaded.serialize()).toEqual(s.serialize());
    const fresh = await readScorer(new MemoryKVStore(), graph);
    expect(fresh.size).toBe(0);

    const other = new ProbabilisticScorer(graph);
    other.paymentPathSuccessful({ hops: [pathVia1(1n).hops[0]!, { ...pathVia1(1n).hops[1]!, shortChannelId: scid(99) }] }, 9000);
    other.paymentPathFailed(pathVia1(100_000_000n), scid(2), 9000);
    const merged = ProbabilisticScorer.deserialize(s.serialize(), graph);
    merged.merge(other);
    // The newer bound (100M at t=9000) wins; the old knowledge of scid 2 stays in the history.
    expect(merged.successProbability(scid(2), D13, 100_000_000)).toBe(0);
    expect(merged.size).toBe(2);
  });

  it('refuses corrupt data with a typed error', () => {
    const good = new TextDecoder().decode(new ProbabilisticScorer(graph).serialize());
    for (const text of ['', 'null', '{"version":2}', '{"version":1,"nowMs":0,"channels":[["x",0,0,0,0,0,[],[]]]}', good.replace('"nowMs":0', '"nowMs":-1')]) {
      expect(() => ProbabilisticScorer.deserialize(new TextEncoder().encode(text), graph)).toThrow(RouterDataError);
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          ProbabilisticScorer.deserialize(bytes, graph);
        } catch (e) {
          expect(e).toBeInstanceOf(RouterDataError);
        }
      }),
    );
  });
});
