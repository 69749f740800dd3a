// The routing node: syncs a peer's graph over BOLT 8, serves it, saves graph
// and scores on close, and serves at once after a restart from its store.
import { describe, expect, it } from '@jest/globals';
import { loadMainnetGraph } from 'ln-mainnet-graph';
import { fastestBackend, generateGossip, subgraph } from 'ln-gossip-generator';
import { startGossipSource } from 'ln-gossip-source';
import { MemoryKVStore, silentLogger, toHex } from 'ln-types';
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
});
