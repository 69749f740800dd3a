// Several instances behind a load balancer: instances that loaded the same
// graph each on their own give byte-identical answers, whatever order and
// mix of queries each one saw before.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadMainnetGraph } from 'ln-mainnet-graph';
import { subgraph } from 'ln-gossip-generator';
import { TypedGraph } from 'ln-router';
import { findRouteRequestCodec, paymentParametersForNode, ROUTER_HTTP_PATHS } from 'ln-router-api';
import { CHAIN_HASHES, type NodeId } from 'ln-types';
import type { FastifyInstance } from 'fastify';
import { createHttpApp, GraphRoutingService } from '../src/index.js';

const MPP = Uint8Array.of(0x02, 0x42, 0x00);
const apps: FastifyInstance[] = [];
const bases: string[] = [];
let nodeIds: NodeId[] = [];

beforeAll(async () => {
  for (let i = 0; i < 2; i++) {
    // Each instance loads and builds its own copy, as separate processes would.
    const graph = new TypedGraph(subgraph(loadMainnetGraph(), 1500));
    if (i === 0) nodeIds = Array.from({ length: graph.nodeCount }, (_, n) => graph.nodeId(n));
    const service = new GraphRoutingService(graph, { chainHash: CHAIN_HASHES.bitcoin, now: () => 1_770_076_800_000 });
    const { app } = createHttpApp(service, { bodyLimit: 64 * 1024 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address() as { port: number };
    apps.push(app);
    bases.push(`http://127.0.0.1:${address.port}`);
  }
}, 60_000);
afterAll(async () => {
  for (const app of apps) await app.close();
});

/** A fixed pseudo-random sequence (xorshift), so the test asks the same pairs every run. */
function pairs(count: number): [NodeId, NodeId, bigint][] {
  let x = 20261124;
  const next = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) / 2 ** 32);
  return Array.from({ length: count }, () => [nodeIds[Math.floor(next() * nodeIds.length)]!, nodeIds[Math.floor(next() * nodeIds.length)]!, BigInt(1 + Math.floor(next() * 5_000_000)) * 1000n]);
}

async function ask(base: string, [payer, payee, amount]: [NodeId, NodeId, bigint]): Promise<string> {
  const body = findRouteRequestCodec.encode({ payer, params: { paymentParams: paymentParametersForNode(payee, 40, { features: MPP }), finalValueMsat: amount } });
  const res = await fetch(base + ROUTER_HTTP_PATHS.findRoute, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return `${res.status} ${await res.text()}`;
}

describe('stateless instances', () => {
  it('answer the same routes (and the same refusals), asked in different orders', async () => {
    const queries = pairs(40);
    const first = [];
    for (const q of queries) first.push(await ask(bases[0]!, q));
    const second = [];
    for (const q of [...queries].reverse()) second.push(await ask(bases[1]!, q));
    second.reverse();
    expect(second).toEqual(first);
    // Some routes and some refusals, so both kinds of answer were compared.
    expect(first.filter((a) => a.startsWith('200 ')).length).toBeGreaterThan(0);
    expect(first.filter((a) => !a.startsWith('200 ')).length).toBeGreaterThan(0);
  }, 60_000);

  it('serve byte-identical RGS snapshots', async () => {
    const snapshot = async (base: string) => new Uint8Array(await (await fetch(`${base}${ROUTER_HTTP_PATHS.rgsSnapshot}/0`)).arrayBuffer());
    const [a, b] = await Promise.all(bases.map(snapshot));
    expect(a!.length).toBeGreaterThan(1000);
    expect(b).toEqual(a);
  });
});
