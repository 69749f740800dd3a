import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { compareBytes, equalBytes, shortChannelId, type ShortChannelId } from 'ln-types';
import { loadMainnetGraph, type GraphPolicy } from 'ln-mainnet-graph';
import { NO_IN_FLIGHT_HTLCS, paymentParametersForNode, type Path } from 'ln-router-api';
import { DefaultRouter, ProbabilisticScorer, RouterDataError, TypedGraph } from '../src/index.js';
import { idOf, MPP_FEATURES, NO_MPP_FEATURES } from './helpers/graph.js';
import { randomPairs } from '../bench/pairs.js';

describe('TypedGraph from plain data', () => {
  it('answers every accessor as the data says, with consistent adjacency', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }).chain((n) =>
          fc.tuple(
            fc.constant(n),
            fc.array(fc.tuple(fc.nat({ max: n - 1 }), fc.nat({ max: n - 1 }), fc.bigInt({ min: 1n, max: 1n << 60n }), fc.boolean()), { maxLength: 20 }),
          ),
        ),
        ([n, raw]) => {
          const chans = raw.filter(([a, b]) => a !== b);
          const nodes = Array.from({ length: n }, (_, i) => ({ nodeId: idOf(i) }));
          const channels = chans.map(([a, b, cap, dis], i) => ({
            shortChannelId: BigInt(i + 1),
            node1: Math.min(a, b),
            node2: Math.max(a, b),
            capacitySat: cap,
            policies: [
              { htlcMinimumMsat: 1n, htlcMaximumMsat: cap * 1000n, feeBaseMsat: i, feeProportionalMillionths: 2 * i, cltvExpiryDelta: 40 + i, disabled: dis, lastUpdate: 1000 + i },
              null,
            ] as const,
          }));
          const g = new TypedGraph({ nodes, channels });
          expect(g.nodeCount).toBe(n);
          expect(g.channelCount).toBe(channels.length);
          let adjacency = 0;
          for (let v = 0; v < n; v++) {
            expect(g.nodeIndex(idOf(v))).toBe(v);
            for (let k = 0; k < g.nodeChannelCount(v); k++) {
              const c = g.nodeChannelAt(v, k);
              expect(g.channelNode1(c) === v || g.channelNode2(c) === v).toBe(true);
              adjacency++;
            }
          }
          expect(adjacency).toBe(2 * channels.length);
          channels.forEach((c, i) => {
            expect(g.channelIndex(shortChannelId(c.shortChannelId))).toBe(i);
            expect(g.channelScid(i)).toBe(c.shortChannelId);
            expect(g.hasPolicy(i, 0)).toBe(true);
            expect(g.hasPolicy(i, 1)).toBe(false);
            expect(g.policyEnabled(i, 0)).toBe(!c.policies[0].disabled);
            expect(g.policyEnabled(i, 1)).toBe(false);
            expect(g.policyFeeBaseMsat(i, 0)).toBe(i);
            expect(g.policyCltvExpiryDelta(i, 0)).toBe(40 + i);
            expect(g.policyLastUpdate(i, 0)).toBe(1000 + i);
            const max = c.capacitySat * 1000n;
            expect(g.policyHtlcMaximumMsat(i, 0)).toBe(max > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(max));
          });
          expect(g.nodeIndex(idOf(200))).toBe(-1);
          expect(g.channelIndex(shortChannelId(999n))).toBe(-1);
        },
      ),
    );
  });

  it('refuses bad data with a typed error', () => {
    const p = { htlcMinimumMsat: 0n, htlcMaximumMsat: 1n, feeBaseMsat: 0, feeProportionalMillionths: 0, cltvExpiryDelta: 0, disabled: false };
    const bad = [
      { nodes: [{ nodeId: idOf(0) }, { nodeId: idOf(0) }], channels: [] },
      { nodes: [{ nodeId: new Uint8Array(32) }], channels: [] },
      { nodes: [{ nodeId: idOf(0) }], channels: [{ shortChannelId: 1n, node1: 0, node2: 1, policies: [p, p] as const }] },
      { nodes: [{ nodeId: idOf(0) }, { nodeId: idOf(1) }], channels: [{ shortChannelId: 1n, node1: 0, node2: 0, policies: [p, p] as const }] },
      {
        nodes: [{ nodeId: idOf(0) }, { nodeId: idOf(1) }],
        channels: [
          { shortChannelId: 1n, node1: 0, node2: 1, policies: [p, p] as const },
          { shortChannelId: 1n, node1: 0, node2: 1, policies: [p, p] as const },
        ],
      },
    ];
    for (const data of bad) expect(() => new TypedGraph(data)).toThrow(RouterDataError);
  });
});

describe('the mainnet graph', () => {
  const data = loadMainnetGraph();
  const graph = new TypedGraph(data);
  const byScid = new Map<bigint, (typeof data.channels)[number]>(data.channels.map((c) => [c.shortChannelId, c]));

  function policyFrom(scid: ShortChannelId, from: Uint8Array): GraphPolicy {
    const c = byScid.get(scid)!;
    const d = equalBytes(data.nodes[c.node1]!.nodeId, from) ? 0 : 1;
    return c.policies[d];
  }

  /** Checks a path against the source data (not the view). */
  function checkMainnetPath(payer: Uint8Array, path: Path): void {
    let from = payer;
    path.hops.forEach((hop, i) => {
      const c = byScid.get(hop.shortChannelId)!;
      const ends = [data.nodes[c.node1]!.nodeId, data.nodes[c.node2]!.nodeId];
      expect(ends.some((e) => equalBytes(e, from)) && ends.some((e) => equalBytes(e, hop.nodeId))).toBe(true);
      const pol = policyFrom(hop.shortChannelId, from);
      expect(pol.disabled).toBe(false);
      expect(hop.amountMsat >= pol.htlcMinimumMsat && hop.amountMsat <= pol.htlcMaximumMsat).toBe(true);
      expect(hop.amountMsat <= c.capacitySat * 1000n).toBe(true);
      const next = path.hops[i + 1];
      if (next !== undefined) {
        const np = policyFrom(next.shortChannelId, hop.nodeId);
        const fee = BigInt(np.feeBaseMsat) + (next.amountMsat * BigInt(np.feeProportionalMillionths)) / 1_000_000n;
        expect(hop.amountMsat).toBe(next.amountMsat + fee);
        expect(hop.cltvExpiryDelta).toBe(next.cltvExpiryDelta + np.cltvExpiryDelta);
      }
      from = hop.nodeId;
    });
  }

  it('has BOLT 7 orientation in the view', () => {
    for (let c = 0; c < graph.channelCount; c += 97) {
      expect(compareBytes(graph.nodeId(graph.channelNode1(c)), graph.nodeId(graph.channelNode2(c)))).toBeLessThan(0);
    }
  });

  it('finds valid single-path and multi-path routes for random payments', () => {
    const router = new DefaultRouter(graph, new ProbabilisticScorer(graph));
    let found = 0;
    for (const [a, b] of randomPairs(graph, 12, 7)) {
      for (const features of [NO_MPP_FEATURES, MPP_FEATURES]) {
        const params = { paymentParams: paymentParametersForNode(graph.nodeId(b), 18, { features }), finalValueMsat: 100_000_000n };
        try {
          const route = router.findRoute(graph.nodeId(a), params, undefined, NO_IN_FLIGHT_HTLCS);
          found++;
          let total = 0n;
          for (const path of route.paths) {
            checkMainnetPath(graph.nodeId(a), path);
            total += path.hops[path.hops.length - 1]!.amountMsat;
            expect(equalBytes(path.hops[path.hops.length - 1]!.nodeId, graph.nodeId(b))).toBe(true);
          }
          expect(total).toBe(100_000_000n);
        } catch (e) {
          expect((e as { code?: string }).code).toBe('no_route');
        }
      }
    }
    expect(found).toBeGreaterThan(6);
  });
});
