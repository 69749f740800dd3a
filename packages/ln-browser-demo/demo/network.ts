// The demo's network: signed gossip generated for a piece of the mainnet
// topology, served over BOLT 8 by a gossip source node, plus the demo server
// (page, routing API with RGS, WebSocket proxy). Shared by `pnpm demo:browser`,
// the browser test and the bench.
import { fastestBackend, generateGossip, subgraph } from 'ln-gossip-generator';
import { startGossipSource } from 'ln-gossip-source';
import { loadMainnetGraph } from 'ln-mainnet-graph';
import { startDemoServer, type DemoServer } from './server.js';

/** Channels in the demo graph by default: noble checks their ~4 signatures each in a few seconds. */
export const DEMO_CHANNELS = 500;

/** Everything the demo runs. */
export interface DemoNetwork {
  readonly server: DemoServer;
  readonly channels: number;
  close(): Promise<void>;
}

/** Generates the gossip, starts the source node and the demo server. */
export async function startDemoNetwork(options: { channels?: number; httpPort?: number; proxyPort?: number } = {}): Promise<DemoNetwork> {
  const backend = fastestBackend();
  const gossip = generateGossip(subgraph(loadMainnetGraph(), options.channels ?? DEMO_CHANNELS), { backend });
  const source = await startGossipSource({ gossip, backend, tickMs: 500 });
  const server = await startDemoServer({
    source,
    graph: source.graph,
    clockSeconds: gossip.timestamp,
    ...(options.httpPort === undefined ? {} : { httpPort: options.httpPort }),
    ...(options.proxyPort === undefined ? {} : { proxyPort: options.proxyPort }),
  });
  return {
    server,
    channels: source.graph.liveChannelCount,
    async close() {
      await server.close();
      await source.close();
    },
  };
}
