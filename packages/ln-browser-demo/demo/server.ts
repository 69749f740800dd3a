import { Buffer } from 'node:buffer';
import type { NetworkGraph } from 'ln-gossip';
import { GraphRoutingService, createHttpApp } from 'ln-routing-server';
import { toHex, type NodeId } from 'ln-types';
import { startProxy } from 'ln-ws-proxy';
import { buildPage } from '../src/build-page.js';
import { CONFIG_PATH, type DemoConfig } from '../src/config.js';
import { pageHtml } from '../src/page-html.js';

/** Options of {@link startDemoServer}. */
export interface DemoServerOptions {
  /** The node the page syncs from (any BOLT 7 node reachable over TCP). */
  readonly source: { readonly nodeId: NodeId; readonly host: string; readonly port: number };
  /** The graph the routing server serves RGS snapshots of (the source's graph). */
  readonly graph: NetworkGraph;
  /** The page's clock, seconds (the gossip's generation time for generated gossip). */
  readonly clockSeconds: number;
  readonly host?: string;
  /** HTTP port of the page and the routing API (0 picks a free one). */
  readonly httpPort?: number;
  /** WebSocket proxy port (0 picks a free one). */
  readonly proxyPort?: number;
}

/** A running demo server. */
export interface DemoServer {
  /** The page's URL. */
  readonly url: string;
  readonly config: DemoConfig;
  close(): Promise<void>;
}

/**
 * Serves the demo: the page and its bundle, the routing server's HTTP API
 * (the RGS snapshot the page can load) on one origin, and a WebSocket-to-TCP
 * proxy allowed to reach only the source node.
 */
export async function startDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  const host = options.host ?? '127.0.0.1';
  const sourceTarget = `${options.source.host}:${options.source.port}`;
  const proxy = await startProxy({ host, port: options.proxyPort ?? 0, allow: [sourceTarget] });
  const { js } = await buildPage();
  const { app } = createHttpApp(new GraphRoutingService(options.graph, { chainHash: options.graph.chainHash }));
  const html = pageHtml('/demo/page.js');
  const partial = {
    chainHash: toHex(options.graph.chainHash),
    clockSeconds: options.clockSeconds,
    sourceNodeId: toHex(options.source.nodeId),
    sourceTarget,
    proxyUrl: `ws://${host}:${proxy.port}`,
    rgsPath: '/v1/rgs/snapshot/0',
  };
  app.get('/', (_req, reply) => reply.type('text/html; charset=utf-8').send(html));
  app.get('/demo/page.js', (_req, reply) => reply.type('text/javascript; charset=utf-8').send(Buffer.from(js.buffer, js.byteOffset, js.byteLength)));
  // The channel count is read per request: the source's graph may still grow.
  app.get(CONFIG_PATH, (_req, reply) => reply.send({ ...partial, expectedChannels: options.graph.liveChannelCount } satisfies DemoConfig));
  await app.listen({ host, port: options.httpPort ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://${host}:${port}/`,
    config: { ...partial, expectedChannels: options.graph.liveChannelCount },
    async close() {
      await app.close();
      await proxy.close();
    },
  };
}
