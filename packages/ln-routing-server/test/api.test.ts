import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { gunzipSync } from 'node:zlib';
import { Validator } from '@seriousme/openapi-schema-validator';
import { toHex } from 'ln-types';
import { NO_IN_FLIGHT_HTLCS, ROUTER_HTTP_PATHS, findRouteRequestCodec, paymentParametersForNode, routeFromJson, type Json } from 'ln-router-api';
import { decodeRgsSnapshot, rgsSnapshotVersion } from 'ln-rgs';
import type { FastifyInstance } from 'fastify';
import { createHttpApp, GraphRoutingService } from '../src/index.js';
import { chainHash, graph, ids } from './fixture-graph.js';

let app: FastifyInstance;
let service: GraphRoutingService;
let ready = true;
let base: string;

/** A real HTTP exchange (fetch against the listening server), shaped for the assertions below. */
interface Answer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  rawPayload: Uint8Array;
  json(): unknown;
}
async function request(method: string, url: string, payload?: string, headers: Record<string, string> = {}): Promise<Answer> {
  // Node's fetch would gunzip transparently; ask for bytes as sent with a raw accept-encoding only when given.
  const res = await fetch(base + url, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
  const rawPayload = new Uint8Array(await res.arrayBuffer());
  const body = new TextDecoder().decode(rawPayload);
  const headerMap: Record<string, string> = {};
  res.headers.forEach((value, key) => (headerMap[key] = value));
  return { statusCode: res.status, headers: headerMap, body, rawPayload, json: () => JSON.parse(body) };
}
const get = (url: string, headers: Record<string, string> = {}) => request('GET', url, undefined, headers);

beforeAll(async () => {
  service = new GraphRoutingService(graph, {
    chainHash,
    now: () => 1_700_000_000_000,
    syncStatus: () => ({ state: ready ? 'synced' : 'syncing', peers: 1, channelsKnown: 4, pendingMessages: 0 }),
  });
  app = createHttpApp(service, { bodyLimit: 64 * 1024 }).app;
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
});
afterAll(() => app.close());

const body = (to = ids[3]!, amount = 100_000n): Json =>
  findRouteRequestCodec.encode({ payer: ids[0]!, params: { paymentParams: paymentParametersForNode(to, 18), finalValueMsat: amount } });
const post = (url: string, payload: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  request('POST', url, typeof payload === 'string' ? payload : JSON.stringify(payload), headers);
const errorOf = (res: { json(): unknown }) => (res.json() as { error: { code: string; message: string } }).error;

describe('POST /v1/route', () => {
  it('answers the route the local router finds', async () => {
    const res = await post(ROUTER_HTTP_PATHS.findRoute, body());
    expect(res.statusCode).toBe(200);
    const route = routeFromJson((res.json() as { route: unknown }).route);
    const local = service.router.findRoute(ids[0]!, { paymentParams: paymentParametersForNode(ids[3]!, 18), finalValueMsat: 100_000n }, undefined, NO_IN_FLIGHT_HTLCS);
    expect(route).toEqual(local);
    expect(route.paths[0]!.hops.map((h) => toHex(h.nodeId))).toEqual([toHex(ids[1]!), toHex(ids[2]!), toHex(ids[3]!)]);
  });

  it.each([
    ['malformed JSON', '{"payer": ', 400, 'invalid_json'],
    ['not an object', '[]', 400, 'invalid_json'],
    ['missing field', { payer: toHex(ids[0]!) }, 400, 'invalid_json'],
    ['a number where a decimal string goes', { ...(body() as object), params: { ...((body() as { params: object }).params), finalValueMsat: 5 } }, 400, 'invalid_json'],
    ['a bad node id', { ...(body() as object), payer: '04' + '11'.repeat(32) }, 400, 'invalid_json'],
  ])('refuses %s with 400', async (_what, payload, status, code) => {
    const res = await post(ROUTER_HTTP_PATHS.findRoute, payload);
    expect(res.statusCode).toBe(status);
    expect(errorOf(res).code).toBe(code);
    expect(errorOf(res).message.length).toBeGreaterThan(0);
  });

  it('refuses absurd amounts', async () => {
    const zero = await post(ROUTER_HTTP_PATHS.findRoute, body(ids[3], 0n));
    expect(zero.statusCode).toBe(400);
    expect(errorOf(zero).code).toBe('invalid_params');
    const huge = await post(ROUTER_HTTP_PATHS.findRoute, body(ids[3], 2n ** 60n));
    expect(huge.statusCode).toBe(400);
    const tooMuch = await post(ROUTER_HTTP_PATHS.findRoute, body(ids[3], 900_000_000n));
    expect(tooMuch.statusCode).toBe(422);
    expect(errorOf(tooMuch).code).toBe('no_route');
  });

  it('says which node is unknown', async () => {
    const res = await post(ROUTER_HTTP_PATHS.findRoute, { ...(body() as object), payer: '02' + 'ab'.repeat(32) });
    expect(res.statusCode).toBe(422);
    expect(errorOf(res)).toEqual({ code: 'unknown_node', message: `payer 02${'ab'.repeat(32)} is not in the graph` });
    const unreachable = await post(ROUTER_HTTP_PATHS.findRoute, body(ids[5]));
    expect(unreachable.statusCode).toBe(422);
    expect(errorOf(unreachable).code).toBe('no_route');
  });

  it('refuses oversized bodies and other media types', async () => {
    const big = await post(ROUTER_HTTP_PATHS.findRoute, { ...(body() as object), padding: 'x'.repeat(70_000) });
    expect(big.statusCode).toBe(413);
    expect(errorOf(big).code).toBe('payload_too_large');
    const text = await post(ROUTER_HTTP_PATHS.findRoute, 'hello', { 'content-type': 'text/plain' });
    expect(text.statusCode).toBe(415);
  });

  it('answers 503 until the graph is synced', async () => {
    ready = false;
    const res = await post(ROUTER_HTTP_PATHS.findRoute, body());
    ready = true;
    expect(res.statusCode).toBe(503);
    expect(errorOf(res).code).toBe('not_ready');
  });

  it('never answers 5xx to random JSON', async () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    const mutated = fc.tuple(fc.constantFrom('payer', 'params', 'firstHops', 'inFlightHtlcs', 'extra'), json).map(([k, v]) => ({ ...(body() as object), [k]: v }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(json, mutated), async (payload) => {
        const res = await post(ROUTER_HTTP_PATHS.findRoute, payload);
        expect(res.statusCode).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
  });
});

describe('scores', () => {
  it('records outcomes and refuses incomplete reports', async () => {
    const route = routeFromJson((((await post(ROUTER_HTTP_PATHS.findRoute, body())).json()) as { route: unknown }).route);
    const path = (routeFromJson as unknown as (j: unknown) => typeof route) && route.paths[0]!;
    const { pathCodec } = await import('ln-router-api');
    const before = service.scorer.successProbability(2n << 40n as never, 0, 100_000);
    const failed = await post(ROUTER_HTTP_PATHS.pathFailed, { path: pathCodec.encode(path), shortChannelId: String(2n << 40n) });
    expect(failed.statusCode).toBe(204);
    expect(service.scorer.successProbability(2n << 40n as never, 0, 100_000)).toBeLessThan(before);
    expect((await post(ROUTER_HTTP_PATHS.pathSucceeded, { path: pathCodec.encode(path) })).statusCode).toBe(204);
    const missing = await post(ROUTER_HTTP_PATHS.probeFailed, { path: pathCodec.encode(path) });
    expect(missing.statusCode).toBe(400);
    expect((await post(ROUTER_HTTP_PATHS.probeSucceeded, { path: 'nope' })).statusCode).toBe(400);
  });
});

describe('graph, health, metrics, OpenAPI', () => {
  it('reports graph statistics and sync status', async () => {
    const res = await get(ROUTER_HTTP_PATHS.graphStats);
    expect(res.json()).toEqual({ nodes: 6, channels: 4, directions: 7, latestUpdate: 300, sync: { state: 'synced', peers: 1, channelsKnown: 4, pendingMessages: 0 } });
  });

  it('health and readiness', async () => {
    expect((await get(ROUTER_HTTP_PATHS.health)).statusCode).toBe(200);
    expect((await get(ROUTER_HTTP_PATHS.ready)).statusCode).toBe(200);
    ready = false;
    expect((await get(ROUTER_HTTP_PATHS.ready)).statusCode).toBe(503);
    ready = true;
  });

  it('exposes Prometheus metrics', async () => {
    const text = (await get(ROUTER_HTTP_PATHS.metrics)).body;
    expect(text).toContain('# TYPE ln_route_queries_total counter');
    expect(text).toMatch(/ln_route_queries_total\{result="found"\} \d+/);
    expect(text).toMatch(/ln_route_query_seconds_count \d+/);
    expect(text).toContain('ln_graph_channels 4');
  });

  it('publishes a valid OpenAPI 3.1 document generated from the schemas', async () => {
    const doc = (await get(ROUTER_HTTP_PATHS.openapi)).json() as { paths: Record<string, unknown> };
    const result = await new Validator().validate(doc as never);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([ROUTER_HTTP_PATHS.findRoute, `${ROUTER_HTTP_PATHS.rgsSnapshot}/{since}`]));
  });

  it('answers unknown endpoints with 404 JSON', async () => {
    const res = await get('/nope');
    expect(res.statusCode).toBe(404);
    expect(errorOf(res).code).toBe('not_found');
  });
});

describe('RGS snapshots', () => {
  it('serves full and incremental snapshots, gzipped on request', async () => {
    const full = await get(`${ROUTER_HTTP_PATHS.rgsSnapshot}/0`);
    expect(full.statusCode).toBe(200);
    const s = decodeRgsSnapshot(full.rawPayload);
    expect(s.announcements).toHaveLength(4);
    expect(s.updates).toHaveLength(7);
    expect(s.latestSeenTimestamp).toBe(300);
    // fetch decodes gzip itself, so check the bytes on the wire with node:http.
    const { request: httpRequest } = await import('node:http');
    const gz = await new Promise<{ encoding: string | undefined; bytes: Uint8Array }>((resolve, reject) => {
      httpRequest(`${base}${ROUTER_HTTP_PATHS.rgsSnapshot}/0`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Uint8Array[] = [];
        res.on('data', (c: Uint8Array) => chunks.push(c));
        res.on('end', () => resolve({ encoding: res.headers['content-encoding'], bytes: new Uint8Array(Buffer.concat(chunks)) }));
      })
        .on('error', reject)
        .end();
    });
    expect(gz.encoding).toBe('gzip');
    expect(new Uint8Array(gunzipSync(gz.bytes))).toEqual(full.rawPayload);
    const inc = decodeRgsSnapshot((await get(`${ROUTER_HTTP_PATHS.rgsSnapshot}/250`)).rawPayload);
    expect(inc.updates.map((u) => u.shortChannelId)).toEqual([3n << 40n, 4n << 40n, 4n << 40n]);
  });

  it('refuses a bad since', async () => {
    for (const path of [ROUTER_HTTP_PATHS.rgsSnapshot, ROUTER_HTTP_PATHS.rgsSnapshotV2]) {
      for (const since of ['abc', '-1', '99999999999']) {
        const res = await get(`${path}/${since}`);
        expect(res.statusCode).toBe(400);
      }
    }
  });

  it('serves version 2 under /v2: the same channels, with capacities (this service has no node data)', async () => {
    const v1 = decodeRgsSnapshot((await get(`${ROUTER_HTTP_PATHS.rgsSnapshot}/0`)).rawPayload);
    const res = await get(`${ROUTER_HTTP_PATHS.rgsSnapshotV2}/0`);
    expect(res.statusCode).toBe(200);
    expect(rgsSnapshotVersion(res.rawPayload)).toBe(2);
    const v2 = decodeRgsSnapshot(res.rawPayload);
    expect(v2.updates).toEqual(v1.updates);
    expect(v2.announcements.map((a) => a.fundingSatoshis)).toEqual([1_000_000n, 1_000_000n, 1_000_000n, 1_000_000n]);
    expect(v2.nodes).toEqual([]);
  });
});
