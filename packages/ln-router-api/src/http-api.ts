import type { NodeId, ShortChannelId } from 'ln-types';
import type { FirstHop } from './first-hop.js';
import type { InFlightHtlcs } from './in-flight.js';
import { arrayCodec, objectCodec, type Codec } from './json-codec.js';
import { firstHopCodec, inFlightHtlcsCodec, nodeIdCodec, pathCodec, routeCodec, routeParametersCodec, scidCodec } from './json.js';
import type { RouteParameters } from './params.js';
import type { Path, Route } from './route.js';

// The HTTP contract between a remote router client and a routing server: the
// paths and the JSON bodies, as codecs both sides use, so a client and a server
// built from the same version of this package cannot disagree.

/** Paths of the routing server's HTTP API (all under one base URL). */
export const ROUTER_HTTP_PATHS = {
  findRoute: '/v1/route',
  pathFailed: '/v1/score/path-failed',
  pathSucceeded: '/v1/score/path-succeeded',
  probeFailed: '/v1/score/probe-failed',
  probeSucceeded: '/v1/score/probe-succeeded',
  graphStats: '/v1/graph/stats',
  rgsSnapshot: '/v1/rgs/snapshot',
  /** RGS version 2 (node features and addresses, channel capacities), as LDK's `snapshot/v2/` URLs. */
  rgsSnapshotV2: '/v1/rgs/snapshot/v2',
  health: '/health',
  ready: '/ready',
  metrics: '/metrics',
  openapi: '/openapi.json',
} as const;

/** Body of POST /v1/route: the arguments of Router.findRoute. */
export interface FindRouteRequest {
  readonly payer: NodeId;
  readonly params: RouteParameters;
  readonly firstHops?: readonly FirstHop[];
  readonly inFlightHtlcs?: InFlightHtlcs;
}

/** Body of a 200 answer to POST /v1/route. */
export interface FindRouteResponse {
  readonly route: Route;
}

/** Body of POST /v1/score/path-failed and /probe-failed (shortChannelId: where it failed), and of the success reports. */
export interface PathOutcomeReport {
  readonly path: Path;
  readonly shortChannelId?: ShortChannelId;
}

/** Body of every 4xx/5xx answer. `code` is a RouteErrorCode for routing failures. */
export interface HttpErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}

export const findRouteRequestCodec: Codec<FindRouteRequest> = objectCodec<FindRouteRequest>(
  { payer: nodeIdCodec, params: routeParametersCodec, firstHops: arrayCodec(firstHopCodec, 1000), inFlightHtlcs: inFlightHtlcsCodec },
  ['firstHops', 'inFlightHtlcs'],
);

export const findRouteResponseCodec: Codec<FindRouteResponse> = objectCodec<FindRouteResponse>({ route: routeCodec });

export const pathOutcomeReportCodec: Codec<PathOutcomeReport> = objectCodec<PathOutcomeReport>({ path: pathCodec, shortChannelId: scidCodec }, ['shortChannelId']);
