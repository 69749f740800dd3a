import { gzipSync } from 'node:zlib';
import { toHex, type NodeId } from 'ln-types';
import {
  NO_IN_FLIGHT_HTLCS,
  ROUTER_HTTP_PATHS,
  RouteError,
  findRouteRequestCodec,
  findRouteResponseCodec,
  pathOutcomeReportCodec,
  type JsonSchema,
} from 'ln-router-api';
import type { RoutingService } from '../service.js';
import type { ServerMetrics } from './server-metrics.js';
import { ApiError } from './errors.js';

/** What a handler gets. */
export interface HandlerContext {
  readonly service: RoutingService;
  readonly metrics: ServerMetrics;
  readonly body: unknown;
  readonly params: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** A handler's answer: JSON, raw bytes, or plain text, with a status. */
export type HandlerResult =
  | { readonly status: number; readonly json: unknown }
  | { readonly status: number; readonly bytes: Uint8Array; readonly contentType: string; readonly headers?: Readonly<Record<string, string>> }
  | { readonly status: number; readonly text: string; readonly contentType: string }
  | { readonly status: 204 };

/** One endpoint: how it is served and how the OpenAPI document describes it. */
export interface ApiRoute {
  readonly method: 'GET' | 'POST';
  /** Fastify path syntax (`:name` parameters). */
  readonly url: string;
  readonly summary: string;
  readonly body?: JsonSchema;
  readonly params?: JsonSchema;
  readonly responses: Readonly<Record<number, { readonly description: string; readonly schema?: JsonSchema; readonly contentType?: string }>>;
  handle(ctx: HandlerContext): Promise<HandlerResult> | HandlerResult;
}

const errorSchema: JsonSchema = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] } },
  required: ['error'],
};
const error = (description: string) => ({ description, schema: errorSchema });

function requireKnownNode(service: RoutingService, id: NodeId, role: string): void {
  if (service.graph().nodeIndex(id) < 0) throw new ApiError(422, 'unknown_node', `${role} ${toHex(id)} is not in the graph`);
}

function outcomeRoute(url: string, summary: string, apply: (ctx: HandlerContext, report: ReturnType<typeof pathOutcomeReportCodec.decode>) => void): ApiRoute {
  return {
    method: 'POST',
    url,
    summary,
    body: pathOutcomeReportCodec.schema,
    responses: { 204: { description: 'recorded' }, 400: error('malformed report') },
    handle(ctx) {
      const report = pathOutcomeReportCodec.decode(ctx.body);
      apply(ctx, report);
      ctx.metrics.scoreReports.inc({ kind: url.slice(url.lastIndexOf('/') + 1) });
      return { status: 204 };
    },
  };
}

function requireScid(report: { shortChannelId?: bigint }): bigint {
  if (report.shortChannelId === undefined) throw new RouteError('invalid_json', 'shortChannelId: expected the channel where the path failed');
  return report.shortChannelId;
}

/** Every endpoint of the API. */
export const API_ROUTES: readonly ApiRoute[] = [
  {
    method: 'POST',
    url: ROUTER_HTTP_PATHS.findRoute,
    summary: 'Find a route (the arguments of Router.findRoute in, a Route out)',
    body: findRouteRequestCodec.schema,
    responses: {
      200: { description: 'a route paying exactly finalValueMsat', schema: findRouteResponseCodec.schema },
      400: error('malformed request or invalid parameters'),
      422: error('no route, unknown node, fee limit or unsupported payee'),
      503: error('the graph is not synced yet'),
    },
    async handle({ service, metrics, body }) {
      if (!service.ready()) throw new ApiError(503, 'not_ready', 'the graph is still syncing');
      const request = findRouteRequestCodec.decode(body);
      const payee = request.params.paymentParams.payee;
      if (request.firstHops === undefined || request.firstHops.length === 0) requireKnownNode(service, request.payer, 'payer');
      if (payee.kind === 'clear' && payee.routeHints.length === 0) requireKnownNode(service, payee.nodeId, 'payee');
      const started = performance.now();
      try {
        const route = await service.router.findRoute(request.payer, request.params, request.firstHops, request.inFlightHtlcs ?? NO_IN_FLIGHT_HTLCS);
        metrics.routeQueries.inc({ result: 'found' });
        return { status: 200, json: findRouteResponseCodec.encode({ route }) };
      } catch (e) {
        if (e instanceof RouteError) metrics.routeQueries.inc({ result: e.code });
        throw e;
      } finally {
        metrics.routeSeconds.observe((performance.now() - started) / 1000);
      }
    },
  },
  outcomeRoute(ROUTER_HTTP_PATHS.pathFailed, 'Report a payment path that failed at a channel', ({ service }, r) => service.scorer.paymentPathFailed(r.path, requireScid(r) as never, service.now())),
  outcomeRoute(ROUTER_HTTP_PATHS.pathSucceeded, 'Report a payment path that succeeded', ({ service }, r) => service.scorer.paymentPathSuccessful(r.path, service.now())),
  outcomeRoute(ROUTER_HTTP_PATHS.probeFailed, 'Report a probe that failed at a channel', ({ service }, r) => service.scorer.probeFailed(r.path, requireScid(r) as never, service.now())),
  outcomeRoute(ROUTER_HTTP_PATHS.probeSucceeded, 'Report a probe that went through', ({ service }, r) => service.scorer.probeSuccessful(r.path, service.now())),
  {
    method: 'GET',
    url: ROUTER_HTTP_PATHS.graphStats,
    summary: 'Graph statistics and gossip sync status',
    responses: {
      200: {
        description: 'statistics',
        schema: {
          type: 'object',
          properties: {
            nodes: { type: 'integer' },
            channels: { type: 'integer' },
            directions: { type: 'integer' },
            latestUpdate: { type: 'integer' },
            sync: { type: 'object', properties: { state: { type: 'string' }, peers: { type: 'integer' }, channelsKnown: { type: 'integer' }, pendingMessages: { type: 'integer' } } },
          },
        },
      },
    },
    handle: ({ service }) => ({ status: 200, json: { ...service.graphStats(), sync: service.syncStatus() } }),
  },
  rgsRoute(1),
  rgsRoute(2),
  {
    method: 'GET',
    url: ROUTER_HTTP_PATHS.health,
    summary: 'Liveness: the process answers',
    responses: { 200: { description: 'alive', schema: { type: 'object', properties: { status: { const: 'ok' } } } } },
    handle: () => ({ status: 200, json: { status: 'ok' } }),
  },
  {
    method: 'GET',
    url: ROUTER_HTTP_PATHS.ready,
    summary: 'Readiness: the graph is synced and routes can be served',
    responses: { 200: { description: 'ready' }, 503: error('still syncing') },
    handle: ({ service }) => (service.ready() ? { status: 200, json: { status: 'ready' } } : { status: 503, json: { error: { code: 'not_ready', message: 'the graph is still syncing' } } }),
  },
  {
    method: 'GET',
    url: ROUTER_HTTP_PATHS.metrics,
    summary: 'Prometheus metrics',
    responses: { 200: { description: 'Prometheus text exposition format', contentType: 'text/plain; version=0.0.4' } },
    handle: ({ metrics }) => ({ status: 200, text: metrics.registry.render(), contentType: 'text/plain; version=0.0.4' }),
  },
];

/** GET a snapshot of one RGS version: version 1 at the base path, version 2 under `/v2` (as LDK's snapshot URLs). */
function rgsRoute(version: 1 | 2): ApiRoute {
  return {
    method: 'GET',
    url: `${version === 1 ? ROUTER_HTTP_PATHS.rgsSnapshot : ROUTER_HTTP_PATHS.rgsSnapshotV2}/:since`,
    summary:
      version === 1
        ? 'A rapid gossip sync snapshot (RGS v1) of what changed after `since` (Unix seconds; 0 for everything)'
        : 'A rapid gossip sync snapshot, version 2 (adds node features and addresses, and channel capacities when known), of what changed after `since`',
    params: { type: 'object', properties: { since: { type: 'string', pattern: '^[0-9]{1,10}$' } }, required: ['since'] },
    responses: {
      200: { description: 'the snapshot (gzip-encoded when the client accepts it)', contentType: 'application/octet-stream' },
      400: error('since is not a u32'),
      503: error('the graph is not synced yet'),
    },
    handle({ service, params, headers, metrics }) {
      const since = Number(params.since);
      if (!Number.isSafeInteger(since) || since > 0xffffffff) throw new RouteError('invalid_params', 'since must be a u32 of Unix seconds');
      if (!service.ready()) throw new ApiError(503, 'not_ready', 'the graph is still syncing');
      const snapshot = service.rgsSnapshot(since, version);
      metrics.rgsSnapshots.inc({ kind: since === 0 ? 'full' : 'incremental' });
      const accept = String(headers['accept-encoding'] ?? '');
      return /\bgzip\b/.test(accept)
        ? { status: 200, bytes: gzipSync(snapshot), contentType: 'application/octet-stream', headers: { 'content-encoding': 'gzip', vary: 'accept-encoding' } }
        : { status: 200, bytes: snapshot, contentType: 'application/octet-stream', headers: { vary: 'accept-encoding' } };
    },
  };
}
