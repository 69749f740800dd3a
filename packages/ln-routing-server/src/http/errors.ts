import type { RouteErrorCode } from 'ln-router-api';

/** Error codes the HTTP API answers with (RouteErrorCode for routing outcomes, plus the API's own). */
export type ApiErrorCode = RouteErrorCode | 'unknown_node' | 'not_found' | 'payload_too_large' | 'unsupported_media_type' | 'not_ready' | 'internal';

/** An error the API turns into `{ error: { code, message } }` with its status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The HTTP status of a routing failure: the caller's input is malformed (400) or cannot be routed (422). */
export function statusOfRouteError(code: RouteErrorCode): number {
  return code === 'invalid_json' || code === 'invalid_params' ? 400 : 422;
}
