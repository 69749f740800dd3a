import { LnError } from 'ln-types';

/** Why the routing server could not answer (as opposed to answering "no route", which is a RouteError). */
export type RouterClientErrorCode =
  /** No connection, or every retry failed. */
  | 'unreachable'
  /** No answer within the timeout on every attempt. */
  | 'timeout'
  /** The server answered with something that is not the API's JSON. */
  | 'bad_response'
  /** The server refused the request as malformed (a bug on our side or a version mismatch). */
  | 'rejected';

export class RouterClientError extends LnError<RouterClientErrorCode> {
  /** The HTTP status, when the server answered. */
  readonly status: number | undefined;

  constructor(code: RouterClientErrorCode, message: string, options: { cause?: unknown; status?: number } = {}) {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
  }
}
