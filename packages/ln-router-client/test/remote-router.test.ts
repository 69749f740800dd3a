import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fromHex, type NodeId, type ShortChannelId } from 'ln-types';
import {
  NO_IN_FLIGHT_HTLCS,
  ROUTER_HTTP_PATHS,
  RouteError,
  findRouteRequestCodec,
  findRouteResponseCodec,
  pathOutcomeReportCodec,
  paymentParametersForNode,
  type PathOutcomeReport,
  type RouteParameters,
} from 'ln-router-api';
import { DefaultRouter, FixedPenaltyScorer, buildTypedGraph } from 'ln-router';
import { RemoteRouter, RouterClientError, remoteScoreUpdate } from '../src/index.js';

// A three-node line a - b - c, so the route a -> c is known.
const ids = ['02' + '11'.repeat(32), '02' + '22'.repeat(32), '02' + '33'.repeat(32)].map((h) => fromHex(h) as NodeId);
const policy = { htlcMinimumMsat: 1n, htlcMaximumMsat: 1_000_000_000n, feeBaseMsat: 1000, feeProportionalMillionths: 100, cltvExpiryDelta: 40, disabled: false };
const graph = buildTypedGraph({
  nodes: ids.map((nodeId) => ({ nodeId })),
  channels: [
    { shortChannelId: 1n << 40n, node1: 0, node2: 1, capacitySat: 1_000_000n, policies: [policy, policy] },
    { shortChannelId: 2n << 40n, node1: 1, node2: 2, capacitySat: 1_000_000n, policies: [policy, policy] },
  ],
});
const local = new DefaultRouter(graph, new FixedPenaltyScorer(0));
const params = (amount: bigint, to = ids[2]!): RouteParameters => ({ paymentParams: paymentParametersForNode(to, 18), finalValueMsat: amount });

/** A minimal server speaking the contract, with switches to misbehave. */
let mode: 'ok' | 'fail-once' | 'slow' | 'garbage' = 'ok';
let attempts = 0;
const reports: PathOutcomeReport[] = [];
let server: Server;
let base: string;

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function send(res: ServerResponse, status: number, json?: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(json === undefined ? undefined : JSON.stringify(json));
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    attempts++;
    if (mode === 'slow') return void setTimeout(() => send(res, 200, {}), 500);
    if (mode === 'garbage') return void res.writeHead(200).end('<html>');
    if (mode === 'fail-once' && attempts === 1) return send(res, 503, { error: { code: 'unavailable', message: 'warming up' } });
    const json = await body(req);
    if (req.url === ROUTER_HTTP_PATHS.findRoute) {
      try {
        const r = findRouteRequestCodec.decode(json);
        const route = local.findRoute(r.payer, r.params, r.firstHops, r.inFlightHtlcs ?? NO_IN_FLIGHT_HTLCS);
        return send(res, 200, findRouteResponseCodec.encode({ route }));
      } catch (e) {
        if (e instanceof RouteError) return send(res, 422, { error: { code: e.code, message: e.message } });
        throw e;
      }
    }
    if (req.url === ROUTER_HTTP_PATHS.pathFailed || req.url === ROUTER_HTTP_PATHS.pathSucceeded || req.url === ROUTER_HTTP_PATHS.probeSucceeded) {
      reports.push(pathOutcomeReportCodec.decode(json));
      return send(res, 204);
    }
    send(res, 404, { error: { code: 'not_found', message: 'no such path' } });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('RemoteRouter', () => {
  it('gives exactly the route a local router gives', async () => {
    mode = 'ok';
    const remote = new RemoteRouter({ baseUrl: base });
    const expected = local.findRoute(ids[0]!, params(50_000n), undefined, NO_IN_FLIGHT_HTLCS);
    const got = await remote.findRoute(ids[0]!, params(50_000n), undefined, NO_IN_FLIGHT_HTLCS);
    expect(got).toEqual(expected);
    expect(got.paths[0]!.hops.map((h) => h.shortChannelId)).toEqual([1n << 40n, 2n << 40n]);
  });

  it('passes routing failures through as the same RouteError codes', async () => {
    mode = 'ok';
    const remote = new RemoteRouter({ baseUrl: base });
    await expect(remote.findRoute(ids[0]!, params(10n ** 13n), undefined, NO_IN_FLIGHT_HTLCS)).rejects.toMatchObject({ name: 'RouteError', code: expect.any(String) });
    await expect(remote.findRoute(ids[0]!, params(1000n, ids[0]!), undefined, NO_IN_FLIGHT_HTLCS)).rejects.toThrow(RouteError);
  });

  it('retries a 5xx and then succeeds', async () => {
    mode = 'fail-once';
    attempts = 0;
    const remote = new RemoteRouter({ baseUrl: base, retryDelayMs: 1 });
    await expect(remote.findRoute(ids[0]!, params(1000n), undefined, NO_IN_FLIGHT_HTLCS)).resolves.toBeDefined();
    expect(attempts).toBe(2);
  });

  it('times out, retrying, with a typed error', async () => {
    mode = 'slow';
    attempts = 0;
    const remote = new RemoteRouter({ baseUrl: base, timeoutMs: 50, retries: 1, retryDelayMs: 1 });
    await expect(remote.findRoute(ids[0]!, params(1000n), undefined, NO_IN_FLIGHT_HTLCS)).rejects.toMatchObject({ code: 'timeout' });
    expect(attempts).toBe(2);
  });

  it('reports an unreachable server after its retries', async () => {
    const remote = new RemoteRouter({ baseUrl: 'http://127.0.0.1:1', retries: 2, retryDelayMs: 1 });
    const err = await remote.findRoute(ids[0]!, params(1000n), undefined, NO_IN_FLIGHT_HTLCS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RouterClientError);
    expect((err as RouterClientError).code).toBe('unreachable');
  });

  it('refuses an answer that is not the API', async () => {
    mode = 'garbage';
    const remote = new RemoteRouter({ baseUrl: base });
    await expect(remote.findRoute(ids[0]!, params(1000n), undefined, NO_IN_FLIGHT_HTLCS)).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('reports payment outcomes to the server', async () => {
    mode = 'ok';
    const remote = new RemoteRouter({ baseUrl: base });
    const route = await remote.findRoute(ids[0]!, params(1000n), undefined, NO_IN_FLIGHT_HTLCS);
    await remote.reportPathFailed(route.paths[0]!, (2n << 40n) as ShortChannelId);
    await remote.reportPathSucceeded(route.paths[0]!);
    expect(reports).toEqual([{ path: route.paths[0], shortChannelId: 2n << 40n }, { path: route.paths[0] }]);
  });

  it('remoteScoreUpdate passes a payment logic ScoreUpdate calls to the server, and failed reports to onError', async () => {
    mode = 'ok';
    reports.length = 0;
    const remote = new RemoteRouter({ baseUrl: base });
    const route = await remote.findRoute(ids[0]!, params(1000n), undefined, NO_IN_FLIGHT_HTLCS);
    const score = remoteScoreUpdate(remote);
    score.paymentPathFailed(route.paths[0]!, (1n << 40n) as ShortChannelId, 0);
    score.probeSuccessful(route.paths[0]!, 0);
    score.timePassed(0);
    await score.settled();
    expect(reports).toHaveLength(2);
    expect(reports).toEqual(expect.arrayContaining([{ path: route.paths[0], shortChannelId: 1n << 40n }, { path: route.paths[0] }]));
    const errors: unknown[] = [];
    const dead = remoteScoreUpdate(new RemoteRouter({ baseUrl: 'http://127.0.0.1:1', retries: 0, timeoutMs: 500 }), (e) => errors.push(e));
    dead.paymentPathSuccessful(route.paths[0]!, 0);
    await dead.settled();
    expect(errors).toEqual([expect.objectContaining({ code: 'unreachable' })]);
  });
});
