import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { allMessages } from 'ln-gossip-generator';
import type { NetworkGraphView } from 'ln-router-api';
import { equalBytes, MemoryKVStore, toHex, type ShortChannelId } from 'ln-types';
import { decodeMessage, type ChannelUpdateMessage } from 'ln-wire';
import { deserializeGraph, GossipError, GossipIngest, loadGraph, NetworkGraph, saveGraph, serializeGraph, TWO_WEEKS_SECONDS } from '../src/index.js';
import { canonicalDump, fastVerifier, freshIngest, gossipFixture } from './helpers.js';

describe('NetworkGraph from generated gossip', () => {
  const g = gossipFixture(300);

  it('applies every generated message and exposes the policies through the view', async () => {
    const ingest = freshIngest(g);
    const outcomes = await ingest.ingest(allMessages(g));
    expect(outcomes.filter((o) => o.status !== 'applied')).toEqual([]);
    const graph = ingest.graph;
    expect(graph.liveChannelCount).toBe(300);
    expect(graph.liveNodeCount).toBe(g.nodeAnnouncements.length);
    for (const raw of g.channelUpdates) {
      const u = decodeMessage(raw) as ChannelUpdateMessage;
      const c = graph.channelIndex(u.shortChannelId);
      const d = (u.channelFlags & 1) as 0 | 1;
      expect(graph.policyFeeBaseMsat(c, d)).toBe(u.feeBaseMsat);
      expect(graph.policyFeeProportionalMillionths(c, d)).toBe(u.feeProportionalMillionths);
      expect(graph.policyCltvExpiryDelta(c, d)).toBe(u.cltvExpiryDelta);
      expect(graph.policyHtlcMinimumMsatExact(c, d)).toBe(u.htlcMinimumMsat);
      expect(graph.policyHtlcMaximumMsatExact(c, d)).toBe(u.htlcMaximumMsat);
      expect(graph.policyEnabled(c, d)).toBe((u.channelFlags & 2) === 0);
      expect(graph.policyLastUpdate(c, d)).toBe(u.timestamp);
      expect(graph.channelUpdate(c, d)).toEqual(raw);
      expect(BigInt(graph.channelCapacitySat(c))).toBe(g.fundingOutputs.get(u.shortChannelId)!.valueSat);
    }
    // The router's read-only view contract.
    const view: NetworkGraphView = graph;
    for (let n = 0; n < view.nodeCount; n++) expect(toHex(view.nodeFeatures(n))).toBe('08a0000a69a2');
    for (let c = 0; c < view.channelCount; c++) {
      expect(view.policyHtlcMaximumMsat(c, 0)).toBe(Number(graph.policyHtlcMaximumMsatExact(c, 0)));
      expect(view.policyHtlcMinimumMsat(c, 1)).toBe(Number(graph.policyHtlcMinimumMsatExact(c, 1)));
      expect(view.channelIndex(view.channelScid(c))).toBe(c);
    }
    // Adjacency: every channel appears at both its ends.
    for (let c = 0; c < graph.channelCount; c++) {
      for (const n of [graph.channelNode1(c), graph.channelNode2(c)]) {
        const seen = Array.from({ length: graph.nodeChannelCount(n) }, (_, k) => graph.nodeChannelAt(n, k));
        expect(seen).toContain(c);
      }
      expect(graph.channelOtherEnd(c, graph.channelNode1(c))).toBe(graph.channelNode2(c));
      expect(graph.channelFeatures(c)).toEqual(new Uint8Array(0));
    }
  });

  it('the default verifier (noble, in this thread) accepts generated gossip and refuses a forged signature', async () => {
    const small = gossipFixture(3);
    const ingest = new GossipIngest(new NetworkGraph(small.chainHash), { clock: () => small.timestamp });
    const outcomes = await ingest.ingest(allMessages(small));
    expect(outcomes.every((o) => o.status === 'applied')).toBe(true);
    const forged = small.channelAnnouncements[0]!.slice();
    forged[2 + 10]! ^= 1;
    const other = new GossipIngest(new NetworkGraph(small.chainHash), { clock: () => small.timestamp });
    expect(await other.handle(forged)).toEqual({ status: 'refused', reason: 'bad_node_signature' });
  });

  it('serializes and loads back to the same graph (also through a KVStore)', async () => {
    const ingest = freshIngest(g);
    await ingest.ingest(allMessages(g));
    ingest.graph.channelClosed(g.channelAnnouncements.length > 0 ? (decodeMessage(g.channelAnnouncements[5]!) as { shortChannelId: ShortChannelId }).shortChannelId : (0n as ShortChannelId));
    const bytes = serializeGraph(ingest.graph);
    const loaded = deserializeGraph(bytes, g.chainHash);
    expect(canonicalDump(loaded)).toBe(canonicalDump(ingest.graph));
    expect(serializeGraph(loaded)).toEqual(bytes);
    expect(loaded.isClosed((decodeMessage(g.channelAnnouncements[5]!) as { shortChannelId: ShortChannelId }).shortChannelId)).toBe(true);
    const store = new MemoryKVStore();
    expect(await loadGraph(store)).toBeUndefined();
    await saveGraph(store, ingest.graph);
    expect(canonicalDump((await loadGraph(store, g.chainHash))!)).toBe(canonicalDump(ingest.graph));
    // A loaded graph keeps accepting gossip.
    const again = new GossipIngest(loaded, { clock: () => g.timestamp, verifier: fastVerifier });
    const outcomes = await again.ingest(g.channelUpdates.slice(0, 10));
    expect(outcomes.every((o) => o.status === 'refused' && (o.reason === 'duplicate' || o.reason === 'channel_closed'))).toBe(true);
  });

  it('refuses damaged serializations with a typed error, never another exception', async () => {
    const ingest = freshIngest(gossipFixture(20));
    await ingest.ingest(allMessages(gossipFixture(20)));
    const bytes = serializeGraph(ingest.graph);
    expect(() => deserializeGraph(bytes.subarray(0, 10))).toThrow(GossipError);
    expect(() => deserializeGraph(bytes, new Uint8Array(32) as never)).toThrow(expect.objectContaining({ code: 'bad_serialization' }));
    const wrongVersion = bytes.slice();
    wrongVersion[5] = 9;
    expect(() => deserializeGraph(wrongVersion)).toThrow(expect.objectContaining({ code: 'bad_serialization' }));
    fc.assert(
      fc.property(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 }), fc.nat(bytes.length), (at, xor, cut) => {
        const damaged = bytes.slice(0, Math.max(cut, at + 1));
        damaged[at]! ^= xor;
        try {
          deserializeGraph(damaged);
        } catch (e) {
          expect(e).toBeInstanceOf(GossipError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('prunes channels without an update for two weeks, and closed channels', async () => {
    const small = gossipFixture(20);
    const T = small.timestamp;
    let now = T - 7200;
    const ingest = freshIngest(small, { clock: () => now });
    await ingest.ingest(small.channelAnnouncements);
    now = T;
    // Updates only for the first 5 channels.
    const firstFive = new Set(small.channelAnnouncements.slice(0, 5).map((r) => (decodeMessage(r) as { shortChannelId: bigint }).shortChannelId));
    await ingest.ingest(small.channelUpdates.filter((r) => firstFive.has((decodeMessage(r) as ChannelUpdateMessage).shortChannelId)));
    const graph = ingest.graph;
    expect(graph.pruneStale(now)).toBe(0);
    // Channels without updates count from when they were added (T - 7200).
    expect(graph.pruneStale(T - 7200 + TWO_WEEKS_SECONDS)).toBe(0);
    expect(graph.pruneStale(T - 7200 + TWO_WEEKS_SECONDS + 1)).toBe(15);
    expect(graph.liveChannelCount).toBe(5);
    expect(graph.pruneStale(T - 3600 + TWO_WEEKS_SECONDS)).toBe(0);
    expect(graph.pruneStale(T + TWO_WEEKS_SECONDS + 1)).toBe(5);
    expect(graph.liveChannelCount).toBe(0);
    expect(graph.liveNodeCount).toBe(0);
    const fresh = freshIngest(small);
    await fresh.ingest(small.channelAnnouncements);
    const scid = [...firstFive][0]! as ShortChannelId;
    const version = fresh.graph.version;
    expect(fresh.graph.channelClosed(scid)).toBe(true);
    expect(fresh.graph.version).toBeGreaterThan(version);
    expect(fresh.graph.channelIndex(scid)).toBe(-1);
    expect(fresh.graph.channelClosed(scid)).toBe(false);
  });

  it('reuses freed slots and keeps the raw bytes intact across arena compaction', async () => {
    const graph = new NetworkGraph(new Uint8Array(32) as never);
    const node = (b: number) => Uint8Array.of(2, ...new Uint8Array(32).fill(b)) as never;
    const ann = (i: number) => {
      const raw = new Uint8Array(432);
      raw[0] = 1;
      raw.fill(i & 0xff, 2);
      raw[258] = 0;
      raw[259] = 0;
      return raw;
    };
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 400; i++) graph.addChannel(BigInt(i) as ShortChannelId, node(1), node(2 + (i % 5)), 1000, ann(i), 0);
      for (let i = 0; i < 400; i += 2) graph.removeChannel(BigInt(i));
      for (let i = 1; i < 400; i += 2) expect(equalBytes(graph.channelAnnouncement(graph.channelIndex(BigInt(i))), ann(i))).toBe(true);
      for (let i = 1; i < 400; i += 2) graph.removeChannel(BigInt(i));
      expect(graph.liveChannelCount).toBe(0);
      expect(graph.liveNodeCount).toBe(0);
    }
    expect(graph.channelCount).toBe(400);
    expect(() => {
      graph.addChannel(1n as ShortChannelId, node(1), node(2), 1, ann(1), 0);
      graph.addChannel(1n as ShortChannelId, node(1), node(2), 1, ann(1), 0);
    }).toThrow(GossipError);
  });
});
