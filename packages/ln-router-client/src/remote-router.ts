import type { NodeId, ShortChannelId } from 'ln-types';
import {
  RouteError,
  ROUTER_HTTP_PATHS,
  findRouteRequestCodec,
  findRouteResponseCodec,
  pathOutcomeReportCodec,
  type FirstHop,
  type InFlightHtlcs,
  type Json,
  type Path,
  type Route,
  type RouteErrorCode,
  type RouteParameters,
  type Router,
} from 'ln-router-api';
import { RouterClientError } from './errors.js';

/** Options of {@link RemoteRouter}. */
export interface RemoteRouterOptions {
  /** The server's base URL, e.g. `https://router.example.com`. */
  readonly baseUrl: string;
  /** The fetch to use (default: the global one; works in browsers, workers and Node 18+). */
  readonly fetch?: typeof globalThis.fetch;
  /** Per-attempt timeout in ms (default 10,000). */
  readonly timeoutMs?: number;
  /** Extra attempts after a network error, timeout or 5xx (default 2). 4xx answers are never retried. */
  readonly retries?: number;
  /** Delay before the first retry in ms, doubled each time (default 200). */
  readonly retryDelayMs?: number;
  /** Headers sent with every request (e.g. an API key). */
  readonly headers?: Readonly<Record<string, string>>;
}

const ROUTE_ERROR_CODES: ReadonlySet<string> = new Set<RouteErrorCode>(['no_route', 'invalid_params', 'payer_is_payee', 'payee_unsupported', 'fee_limit', 'invalid_json']);

/**
 * A Router that asks a routing server. Callers cannot tell it from a local
 * router except that `findRoute` answers with a promise: "no route" and invalid
 * parameters come back as the same RouteError codes; a server that cannot be
 * reached gives a RouterClientError after the retries.
 */
export class RemoteRouter implements Router {
  readonly #base: string;
  readonly #fetch: typeof globalThis.fetch;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #retryDelayMs: number;
  readonly #headers: Readonly<Record<string, string>>;

  constructor(options: RemoteRouterOptions) {
    this.#base = options.baseUrl.replace(/\/+$/, '');
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#retries = options.retries ?? 2;
    this.#retryDelayMs = options.retryDelayMs ?? 200;
    this.#headers = options.headers ?? {};
  }

  async findRoute(payer: NodeId, params: RouteParameters, firstHops: readonly FirstHop[] | undefined, inFlightHtlcs: InFlightHtlcs): Promise<Route> {
    const body = findRouteRequestCodec.encode({ payer, params, ...(firstHops === undefined ? {} : { firstHops }), inFlightHtlcs });
    const json = await this.#post(ROUTER_HTTP_PATHS.findRoute, body);
    try {
      return findRouteResponseCodec.decode(json).route;
    } catch (cause) {
      throw new RouterClientError('bad_response', 'the server answered with an invalid route', { cause });
    }
  }

  /** Tells the server's scorer that a payment path failed at a channel. */
  async reportPathFailed(path: Path, shortChannelId: ShortChannelId): Promise<void> {
    await this.#post(ROUTER_HTTP_PATHS.pathFailed, pathOutcomeReportCodec.encode({ path, shortChannelId }));
  }

  /** Tells the server's scorer that a payment path succeeded. */
  async reportPathSucceeded(path: Path): Promise<void> {
    await this.#post(ROUTER_HTTP_PATHS.pathSucceeded, pathOutcomeReportCodec.encode({ path }));
  }

  /** Tells the server's scorer that a probe failed at a channel. */
  async reportProbeFailed(path: Path, shortChannelId: ShortChannelId): Promise<void> {
    await this.#post(ROUTER_HTTP_PATHS.probeFailed, pathOutcomeReportCodec.encode({ path, shortChannelId }));
  }

  /** Tells the server's scorer that a probe went through. */
  async reportProbeSucceeded(path: Path): Promise<void> {
    await this.#post(ROUTER_HTTP_PATHS.probeSucceeded, pathOutcomeReportCodec.encode({ path }));
  }

  /** Sends a JSON body, retrying transient failures; returns the parsed answer (undefined for 204). */
  async #post(path: string, body: Json): Promise<unknown> {
    const text = JSON.stringify(body);
    let lastError: RouterClientError | undefined;
    for (let attempt = 0; attempt <= this.#retries; attempt++) {
      if (attempt > 0) await delay(this.#retryDelayMs * 2 ** (attempt - 1));
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
      let response: Response;
      try {
        response = await this.#fetch(this.#base + path, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', ...this.#headers },
          body: text,
          signal: controller.signal,
        });
      } catch (cause) {
        lastError = controller.signal.aborted
          ? new RouterClientError('timeout', `no answer from ${this.#base} within ${this.#timeoutMs} ms`, { cause })
          : new RouterClientError('unreachable', `cannot reach ${this.#base}`, { cause });
        continue;
      } finally {
        clearTimeout(timer);
      }
      if (response.status >= 500) {
        lastError = new RouterClientError('unreachable', `${this.#base} answered ${response.status}`, { status: response.status });
        continue;
      }
      if (response.status === 204) return undefined;
      let json: unknown;
      try {
        json = await response.json();
      } catch (cause) {
        throw new RouterClientError('bad_response', `${this.#base} answered ${response.status} without JSON`, { cause, status: response.status });
      }
      if (response.ok) return json;
      const error = (json as { error?: { code?: unknown; message?: unknown } } | null)?.error;
      const code = typeof error?.code === 'string' ? error.code : '';
      const message = typeof error?.message === 'string' ? error.message : `status ${response.status}`;
      if (ROUTE_ERROR_CODES.has(code)) throw new RouteError(code as RouteErrorCode, message);
      throw new RouterClientError('rejected', `${this.#base} refused the request (${response.status}): ${message}`, { status: response.status });
    }
    throw lastError!;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
