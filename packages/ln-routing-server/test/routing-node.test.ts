// The routing node: syncs a peer's graph over BOLT 8, serves it, saves graph
// and scores on close, and serves at once after a restart from its store.
import { describe, expect, it } from '@jest/globals';
import { loadMainnetGraph } from 'ln-mainnet-graph';
import { allMessages, fastestBackend, generateGossip, signChannelUpdate, subgraph } from 'ln-gossip-generator';
import { utxoFound, utxoMissing } from 'ln-chain-api';
import { backendVerifier, GossipIngest, NetworkGraph, saveGraph } from 'ln-gossip';
import { startGossipSource } from 'ln-gossip-source';
import { equalBytes, MemoryKVStore, silentLogger, toHex } from 'ln-types';
import { decodeMessage, type ChannelAnnouncementMessage, type ChannelUpdateMessage, type NodeAnnouncementMessage } from 'ln-wire';
import { decodeRgsSnapshot } from 'ln-rgs';
import { ROUTER_HTTP_PATHS } from 'ln-router-api';
import { resolveConfig, startRoutingNode } from '../src/index.js';

async function until(condition: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('startRoutingNode', () => {
  it('syncs from a peer, then restarts from its store ready to serve', async () => {
    const backend = fastestBackend();
    const gossip = generateGossip(subgraph(loadMainnetGraph(), 300), { backend, timestamp: Math.floor(Date.now() / 1000) - 600 });
    const source = await startGossipSource({ gossip, backend });
    const store = new MemoryKVStore();
    const base = { network: 'bitcoin', httpPort: 0, verifyWorkers: 0, secp256k1: 'native', logLevel: 'error' } as const;
    try {
      const node = await startRoutingNode(resolveConfig({ ...base, peers: [`${toHex(source.nodeId)}@127.0.0.1:${source.port}`] }), { store, logger: silentLogger });
      const url = `http://127.0.0.1:${node.httpPort}`;
      expect((await fetch(`${url}/ready`)).status).toBe(503);
      await until(async () => (await fetch(`${url}/ready`)).status === 200 && node.graph.liveChannelCount === 300);
      const stats = (await (await fetch(`${url}/v1/graph/stats`)).json()) as { channels: number; directions: number };
      expect(stats.channels).toBe(300);
      await node.close();

      const again = await startRoutingNode(resolveConfig(base), { store, logger: silentLogger });
      try {
        expect(again.graph.liveChannelCount).toBe(300);
        expect(toHex(again.nodeId)).toBe(toHex(node.nodeId));
        expect((await fetch(`http://127.0.0.1:${again.httpPort}/ready`)).status).toBe(200);
      } finally {
        await again.close();
      }
    } finally {
      await source.close();
    }
  }, 90_000);

  it('reports ready after a sync that ran to the end while nobody polled', async () => {
    // A small graph syncs in well under a second: the first /ready request comes after the sync ended.
    const backend = fastestBackend();
    const gossip = generateGossip(subgraph(loadMainnetGraph(), 60), { backend, timestamp: Math.floor(Date.now() / 1000) - 600 });
    const source = await startGossipSource({ gossip, backend });
    try {
      const config = resolveConfig({ network: 'bitcoin', httpPort: 0, verifyWorkers: 0, secp256k1: 'native', logLevel: 'error', peers: [`${toHex(source.nodeId)}@127.0.0.1:${source.port}`] });
      const node = await startRoutingNode(config, { store: new MemoryKVStore(), logger: silentLogger });
      try {
        await until(() => node.graph.liveChannelCount === 60);
        await new Promise((r) => setTimeout(r, 500));
        await until(async () => (await fetch(`http://127.0.0.1:${node.httpPort}/ready`)).status === 200, 10_000);
      } finally {
        await node.close();
      }
    } finally {
      await source.close();
    }
  }, 60_000);

  it('forwards gossip accepted from one peer to the others on its timer ticks', async () => {
    // Two sources with the same graph, except that the second has a newer update of one
    // channel direction. The server syncs from both and passes the newer update on to the first.
    const backend = fastestBackend();
    const gossip = generateGossip(subgraph(loadMainnetGraph(), 40), { backend, timestamp: Math.floor(Date.now() / 1000) - 600 });
    const old = decodeMessage(gossip.channelUpdates[0]!) as ChannelUpdateMessage;
    const direction = (old.channelFlags & 1) as 0 | 1;
    const announcement = gossip.channelAnnouncements.map((raw) => decodeMessage(raw) as ChannelAnnouncementMessage).find((a) => a.shortChannelId === old.shortChannelId)!;
    const signer = direction === 0 ? announcement.nodeId1 : announcement.nodeId2;
    const key = gossip.nodeKeys.find((k) => equalBytes(backend.publicKeyCreate(k), signer))!;
    const newer = signChannelUpdate(
      backend,
      gossip.chainHash,
      old.shortChannelId,
      {
        timestamp: old.timestamp + 1,
        direction,
        disabled: (old.channelFlags & 2) !== 0,
        cltvExpiryDelta: old.cltvExpiryDelta,
        htlcMinimumMsat: old.htlcMinimumMsat,
        htlcMaximumMsat: old.htlcMaximumMsat,
        feeBaseMsat: old.feeBaseMsat + 777,
        feeProportionalMillionths: old.feeProportionalMillionths,
      },
      key,
    );
    const first = await startGossipSource({ gossip, backend });
    const second = await startGossipSource({ gossip: { ...gossip, timestamp: old.timestamp + 1, channelUpdates: [newer, ...gossip.channelUpdates.slice(1)] }, backend, keyByte: 0x43 });
    const base = { network: 'bitcoin', httpPort: 0, verifyWorkers: 0, secp256k1: 'native', logLevel: 'error' } as const;
    try {
      const peers = [first, second].map((s) => `${toHex(s.nodeId)}@127.0.0.1:${s.port}`);
      const node = await startRoutingNode(resolveConfig({ ...base, peers }), { store: new MemoryKVStore(), logger: silentLogger });
      try {
        const c = first.graph.channelIndex(old.shortChannelId);
        await until(() => first.graph.policyFeeBaseMsat(c, direction) === old.feeBaseMsat + 777, 30_000);
        expect(node.graph.policyFeeBaseMsat(node.graph.channelIndex(old.shortChannelId), direction)).toBe(old.feeBaseMsat + 777);
      } finally {
        await node.close();
      }
    } finally {
      await first.close();
      await second.close();
    }
  }, 60_000);

  it('prunes channels with no update for two weeks from a saved graph when it starts', async () => {
    const backend = fastestBackend();
    const now = Math.floor(Date.now() / 1000);
    const savedAt = async (timestamp: number) => {
      const g = generateGossip(subgraph(loadMainnetGraph(), 30), { backend, timestamp });
      const ingest = new GossipIngest(new NetworkGraph(g.chainHash), {
        clock: () => g.timestamp,
        verifier: backendVerifier(backend),
        utxoLookup: { getUtxo: (_c, scid) => (g.fundingOutputs.has(scid) ? utxoFound(g.fundingOutputs.get(scid)!) : utxoMissing('unknown_tx')) },
      });
      await ingest.ingest(allMessages(g));
      expect(ingest.graph.liveChannelCount).toBe(30);
      const store = new MemoryKVStore();
      await saveGraph(store, ingest.graph);
      return store;
    };
    const base = { network: 'bitcoin', httpPort: 0, verifyWorkers: 0, secp256k1: 'native', logLevel: 'error' } as const;
    for (const [age, left] of [
      [15 * 86_400, 0],
      [3 * 86_400, 30],
    ] as const) {
      const node = await startRoutingNode(resolveConfig(base), { store: await savedAt(now - age), logger: silentLogger });
      try {
        expect(node.graph.liveChannelCount).toBe(left);
      } finally {
        await node.close();
      }
    }
  }, 60_000);

  it('serves RGS version 2 with the node announcements it synced', async () => {
    const backend = fastestBackend();
    const gossip = generateGossip(subgraph(loadMainnetGraph(), 40), { backend, timestamp: Math.floor(Date.now() / 1000) - 600 });
    const source = await startGossipSource({ gossip, backend });
    try {
      const config = resolveConfig({ network: 'bitcoin', httpPort: 0, verifyWorkers: 0, secp256k1: 'native', logLevel: 'error', peers: [`${toHex(source.nodeId)}@127.0.0.1:${source.port}`] });
      const node = await startRoutingNode(config, { store: new MemoryKVStore(), logger: silentLogger });
      try {
        const url = `http://127.0.0.1:${node.httpPort}`;
        await until(async () => (await fetch(`${url}/ready`)).status === 200 && node.graph.liveChannelCount === 40);
        await node.sync.idle();
        node.service.invalidate();
        const bytes = new Uint8Array(await (await fetch(`${url}${ROUTER_HTTP_PATHS.rgsSnapshotV2}/0`)).arrayBuffer());
        const snapshot = decodeRgsSnapshot(bytes);
        // Every node announcement the source had, with its features and addresses.
        const expected = new Map(
          gossip.nodeAnnouncements.map((raw) => {
            const m = decodeMessage(raw) as NodeAnnouncementMessage;
            return [toHex(m.nodeId), { features: toHex(m.features), addresses: m.addresses.length }];
          }),
        );
        expect(expected.size).toBeGreaterThan(0);
        const got = new Map(snapshot.nodes!.map((n) => [toHex(snapshot.nodeIds[n.node]!), { features: toHex(n.features ?? new Uint8Array(0)), addresses: n.addresses?.length ?? 0 }]));
        for (const [id, want] of expected) expect(got.get(id)).toEqual(want);
      } finally {
        await node.close();
      }
    } finally {
      await source.close();
    }
  }, 60_000);
});
