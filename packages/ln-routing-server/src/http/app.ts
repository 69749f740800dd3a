import { Buffer } from 'node:buffer';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { silentLogger, type Logger } from 'ln-types';
import { ROUTER_HTTP_PATHS, RouteError } from 'ln-router-api';
import type { RoutingService } from '../service.js';
import { ApiError, statusOfRouteError } from './errors.js';
import { openApiDocument } from './openapi.js';
import { API_ROUTES } from './routes.js';
import { createServerMetrics, type ServerMetrics } from './server-metrics.js';

/** Options of {@link createHttpApp}. */
export interface HttpAppOptions {
  /** Largest request body in bytes (default 1 MiB). */
  readonly bodyLimit?: number;
  readonly logger?: Logger;
  /** Reported in the OpenAPI document. */
  readonly version?: string;
}

const MODULE = 'ln-routing-server/http';

/**
 * The HTTP API over a routing service (Fastify). Request bodies are checked
 * against the codecs' JSON Schemas, then decoded by the codecs themselves;
 * every failure is answered `{ error: { code, message } }` with a 4xx, and
 * nothing a client sends can crash the server.
 */
export function createHttpApp(service: RoutingService, options: HttpAppOptions = {}): { app: FastifyInstance; metrics: ServerMetrics } {
  const logger = options.logger ?? silentLogger;
  const metrics = createServerMetrics(service);
  const app = Fastify({
    bodyLimit: options.bodyLimit ?? 1 << 20,
    logger: false,
    // Strict JSON: no type coercion, no silently removed fields.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false, strict: false } },
  });
  const document = openApiDocument(API_ROUTES, options.version ?? '0.0.0');
  // The API speaks JSON only: anything else is 415, not a string body failing validation.
  app.removeContentTypeParser('text/plain');

  for (const route of API_ROUTES) {
    app.route({
      method: route.method,
      url: route.url,
      schema: { ...(route.body === undefined ? {} : { body: route.body }), ...(route.params === undefined ? {} : { params: route.params }) },
      handler: async (req, reply) => {
        const result = await route.handle({
          service,
          metrics,
          body: req.body,
          params: (req.params ?? {}) as Record<string, string>,
          headers: req.headers,
        });
        reply.status(result.status);
        if ('json' in result) return reply.send(result.json);
        if ('bytes' in result) {
          for (const [k, v] of Object.entries(result.headers ?? {})) reply.header(k, v);
          return reply.type(result.contentType).send(Buffer.from(result.bytes.buffer, result.bytes.byteOffset, result.bytes.byteLength));
        }
        if ('text' in result) return reply.type(result.contentType).send(result.text);
        return reply.send();
      },
    });
  }
  app.get(ROUTER_HTTP_PATHS.openapi, async () => document);

  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: { code: 'not_found', message: `no endpoint ${req.method} ${req.url.split('?')[0]}` } });
  });

  app.setErrorHandler((err: FastifyError | Error, req, reply) => {
    const send = (status: number, code: string, message: string) => reply.status(status).send({ error: { code, message } });
    if (err instanceof ApiError) return send(err.status, err.code, err.message);
    if (err instanceof RouteError) return send(statusOfRouteError(err.code), err.code, err.message);
    const fe = err as FastifyError;
    if (fe.validation !== undefined) return send(400, 'invalid_json', `${fe.validationContext ?? 'request'}: ${fe.message}`);
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return send(413, 'payload_too_large', 'request body too large');
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return send(415, 'unsupported_media_type', 'send application/json');
    if (fe.statusCode !== undefined && fe.statusCode >= 400 && fe.statusCode < 500) return send(fe.statusCode, 'invalid_json', fe.message);
    logger.log({ level: 'error', module: MODULE, message: 'request failed', fields: { url: req.url, error: String(err.stack ?? err) } });
    return send(500, 'internal', 'internal error');
  });

  app.addHook('onResponse', async (req, reply) => {
    metrics.httpRequests.inc({ route: req.routeOptions.url ?? 'unknown', status: String(reply.statusCode) });
  });
  return { app, metrics };
}
