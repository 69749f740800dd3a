import type { Json, JsonSchema } from 'ln-router-api';
import type { ApiRoute } from './routes.js';

/**
 * The OpenAPI 3.1 document of the API, generated from the same route table
 * and codec schemas the server validates requests with.
 */
export function openApiDocument(routes: readonly ApiRoute[], version: string): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const op: Record<string, Json> = {
      summary: route.summary,
      operationId: `${route.method.toLowerCase()}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      responses: Object.fromEntries(
        Object.entries(route.responses).map(([status, r]) => [
          status,
          {
            description: r.description,
            ...(r.schema !== undefined
              ? { content: { 'application/json': { schema: r.schema } } }
              : r.contentType !== undefined
                ? { content: { [r.contentType]: { schema: { type: 'string', ...(r.contentType.includes('octet') ? { format: 'binary' } : {}) } } } }
                : {}),
          },
        ]),
      ),
    };
    if (route.body !== undefined) op.requestBody = { required: true, content: { 'application/json': { schema: route.body } } };
    const params = (route.params as { properties?: Record<string, JsonSchema> } | undefined)?.properties;
    if (params !== undefined) {
      op.parameters = Object.entries(params).map(([name, schema]) => ({ name, in: 'path', required: true, schema }));
    }
    (paths[path] ??= {})[route.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'ln-routing-server',
      version,
      description:
        'Routes and scores over a Lightning gossip graph, and rapid gossip sync snapshots. Amounts are msat as decimal strings, bytes are hex. Errors are { error: { code, message } }.',
    },
    paths,
  };
}
