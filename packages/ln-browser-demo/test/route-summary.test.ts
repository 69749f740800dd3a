import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { GossipIngest, NetworkGraph, backendVerifier } from 'ln-gossip';
import { allMessages, fastestBackend, generateGossip, subgraph } from 'ln-gossip-generator';
import { loadMainnetGraph } from 'ln-mainnet-graph';
import { fromHex } from 'ln-types';
import { forwardingFeeMsat } from 'ln-router';
import { demoRoute, formatScid, nodeAlias, routePair, routerFor, seededPairs, timeRoutes } from '../src/index.js';

const backend = fastestBackend();
const gossip = generateGossip(subgraph(loadMainnetGraph(), 150), { backend });

async function graphOf(messages: Uint8Array[]): Promise<NetworkGraph> {
  const ingest = new GossipIngest(new NetworkGraph(gossip.chainHash), { clock: () => gossip.timestamp, verifier: backendVerifier(backend) });
  await ingest.ingest(messages);
  return ingest.graph;
}

describe('route helpers shared by the page and Node', () => {
  it('formatScid prints block x tx x output', () => {
    expect(formatScid((600000n << 40n) | (370n << 16n) | 1n)).toBe('600000x370x1');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffff }), fc.integer({ min: 0, max: 0xffffff }), fc.integer({ min: 0, max: 0xffff }), (b, t, o) => {
        expect(formatScid((BigInt(b) << 40n) | (BigInt(t) << 16n) | BigInt(o))).toBe(`${b}x${t}x${o}`);
      }),
    );
  });

  it('seeded pairs depend on the graph content, not on the order gossip arrived in', async () => {
    const messages = allMessages(gossip);
    const a = await graphOf(messages);
    // Reversed node_announcements and channels: other node and channel indices, same content.
    const reversed = [...gossip.channelAnnouncements].reverse();
    const b = await graphOf([...reversed, ...gossip.channelUpdates, ...gossip.nodeAnnouncements]);
    expect(seededPairs(a, 30)).toEqual(seededPairs(b, 30));
    expect(seededPairs(a, 30).every((p) => p.payer !== p.payee)).toBe(true);
    expect(seededPairs(a, 30, 1)).not.toEqual(seededPairs(a, 30, 2));
  });

  it('the demo route has two or more hops whose amounts compound each hop fee, and the aliases of node_announcements', async () => {
    const graph = await graphOf(allMessages(gossip));
    const view = demoRoute(graph)!;
    expect(view.hops.length).toBeGreaterThanOrEqual(2);
    const last = view.hops.at(-1)!;
    expect(last.feeMsat).toBe(0n);
    expect(view.amountMsat).toBe(50_000_000n);
    for (let i = 0; i + 1 < view.hops.length; i++) {
      const h = view.hops[i]!;
      const next = view.hops[i + 1]!;
      expect(h.amountMsat).toBe(next.amountMsat + h.feeMsat);
      // The fee h's node keeps is its policy on the next channel, applied to what it forwards.
      const c = graph.channelIndex(BigInt(`0x${scidHex(next.shortChannelId)}`));
      const from = graph.nodeIndex(fromHex(h.nodeId));
      const dir = graph.channelNode1(c) === from ? 0 : 1;
      expect(h.feeMsat).toBe(BigInt(forwardingFeeMsat(graph.policyFeeBaseMsat(c, dir), graph.policyFeeProportionalMillionths(c, dir), Number(next.amountMsat))));
    }
    expect(view.totalFeeMsat).toBe(view.hops.reduce((s, h) => s + h.feeMsat, 0n));
    for (const h of view.hops) expect(h.alias).toBe(nodeAlias(graph, fromHex(h.nodeId)));
    expect(view.hops.some((h) => h.alias !== undefined)).toBe(true);
  });

  it('without node_announcements (as after RGS) aliases are undefined and routes still found', async () => {
    const graph = await graphOf([...gossip.channelAnnouncements, ...gossip.channelUpdates]);
    const view = demoRoute(graph)!;
    expect(view.hops.every((h) => h.alias === undefined)).toBe(true);
    const pairs = seededPairs(graph, 20);
    const timed = timeRoutes(graph, pairs, () => performance.now());
    expect(timed.ms).toHaveLength(20);
    expect(timed.found).toBe(pairs.filter((p) => routePair(routerFor(graph), p) !== undefined).length);
    expect(timed.found).toBeGreaterThan(0);
  });

  it('an empty graph has no demo route and no pairs', () => {
    const graph = new NetworkGraph(gossip.chainHash);
    expect(seededPairs(graph, 5)).toEqual([]);
    expect(demoRoute(graph)).toBeUndefined();
  });
});

function scidHex(text: string): string {
  const [b, t, o] = text.split('x').map(BigInt) as [bigint, bigint, bigint];
  return ((b << 40n) | (t << 16n) | o).toString(16);
}
