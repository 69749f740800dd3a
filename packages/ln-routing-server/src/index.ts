export { createHttpApp, type HttpAppOptions } from './http/app.js';
export { openApiDocument } from './http/openapi.js';
export { API_ROUTES, type ApiRoute } from './http/routes.js';
export { ApiError, type ApiErrorCode } from './http/errors.js';
export { type RoutingService, type GraphStats, type SyncStatus, graphStatsOf } from './service.js';
export { Counter, Gauge, Histogram, Registry } from './metrics.js';
export { GraphRoutingService, type GraphRoutingServiceOptions } from './graph-service.js';
export { rgsChannelsFromView } from './rgs-from-view.js';
