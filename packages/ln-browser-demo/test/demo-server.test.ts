import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NetworkGraph, applyRgsSnapshot } from 'ln-gossip';
import { chainHash, fromHex } from 'ln-types';
import { WebSocket } from 'ws';
import { startDemoNetwork, type DemoNetwork } from '../demo/network.js';
import { CONFIG_PATH, type DemoConfig } from '../src/index.js';

describe('the demo server', () => {
  let network: DemoNetwork;
  beforeAll(async () => {
    network = await startDemoNetwork({ channels: 120 });
  }, 60_000);
  afterAll(async () => {
    await network?.close();
  });

  it('serves the page, its bundle and the config on one origin', async () => {
    const html = await (await fetch(network.server.url)).text();
    expect(html).toContain('<script type="module" src="/demo/page.js">');
    const js = await fetch(new URL('/demo/page.js', network.server.url));
    expect(js.headers.get('content-type')).toContain('javascript');
    const text = await js.text();
    expect(text.length).toBeGreaterThan(10_000);
    // Browser code only: no Node built-in survives bundling.
    expect(text).not.toMatch(/from\s*["']node:/);
    const config = (await (await fetch(new URL(CONFIG_PATH, network.server.url))).json()) as DemoConfig;
    expect(config).toEqual(network.server.config);
    expect(config.expectedChannels).toBe(network.channels);
  });

  it('its RGS snapshot rebuilds every channel of the source', async () => {
    const { config } = network.server;
    const bytes = new Uint8Array(await (await fetch(new URL(config.rgsPath, network.server.url))).arrayBuffer());
    const graph = new NetworkGraph(chainHash(fromHex(config.chainHash)));
    const applied = applyRgsSnapshot(graph, bytes, { now: config.clockSeconds });
    expect(applied.announcementsSkipped).toBe(0);
    expect(graph.liveChannelCount).toBe(network.channels);
  });

  it('its proxy reaches the source and refuses any other destination', async () => {
    const { config } = network.server;
    const status = (target: string) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`${config.proxyUrl}/${target}`);
        ws.on('open', () => {
          ws.close();
          resolve('open');
        });
        ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
        ws.on('error', () => resolve('error'));
      });
    expect(await status(config.sourceTarget)).toBe('open');
    const [host, port] = config.sourceTarget.split(':') as [string, string];
    expect(await status(`${host}:${Number(port) === 1 ? 2 : Number(port) - 1}`)).toBe('403');
    expect(await status('example.com:9735')).toBe('403');
  });
});
