import { LnError } from 'ln-types';

/**
 * Why a chain source call failed. Every failure of a client in this package is
 * a {@link ChainSourceError} with one of these codes:
 *
 * - `unreachable`: no connection (refused, reset, DNS), or the connection broke mid-answer.
 * - `timeout`: no complete answer within the request's timeout.
 * - `aborted`: the caller's `AbortSignal` fired.
 * - `auth`: the server refused the credentials (HTTP 401 or 403).
 * - `http_status`: an HTTP status the API does not answer with for this request (a proxy's 502, a 503 "work queue depth exceeded").
 * - `bad_json`: the body is not JSON, or not the JSON this API answers with (a field missing or of the wrong type).
 * - `rpc_error`: bitcoind answered with a JSON-RPC error (`rpcCode` holds its code).
 * - `not_found`: the block, transaction or height is not known to the source.
 * - `invalid_data`: the answer is well-formed but wrong: a header that does not hash to the id asked for, a block whose merkle root or witness commitment does not match, a merkle proof that does not lead to the header, a header that does not link to its parent or lacks proof of work.
 * - `response_too_large`: the answer is larger than the client's cap (it stops reading).
 * - `rejected`: a broadcast the source refused for good (invalid, conflicting, fee too low); see `rpcCode` and the message.
 * - `listener_failed`: a `Listen` or `Confirm` listener threw while the sync driver fed it (the driver's state stays before that call).
 * - `fork_too_deep`: finding where a listener's chain meets the source's would walk back further than the driver allows.
 */
export type ChainSourceErrorCode =
  | 'unreachable'
  | 'timeout'
  | 'aborted'
  | 'auth'
  | 'http_status'
  | 'bad_json'
  | 'rpc_error'
  | 'not_found'
  | 'invalid_data'
  | 'response_too_large'
  | 'rejected'
  | 'listener_failed'
  | 'fork_too_deep';

/** Extra facts about a failure. */
export interface ChainSourceErrorDetails {
  readonly cause?: unknown;
  /** The HTTP status, when the server answered. */
  readonly status?: number;
  /** bitcoind's JSON-RPC error code (e.g. -26 for a rejected transaction), when there is one. */
  readonly rpcCode?: number;
}

/** The one error type of ln-chain-source: a closed union of codes, plus the HTTP status and RPC code when known. */
export class ChainSourceError extends LnError<ChainSourceErrorCode> {
  readonly status: number | undefined;
  readonly rpcCode: number | undefined;

  constructor(code: ChainSourceErrorCode, message: string, details: ChainSourceErrorDetails = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.rpcCode = details.rpcCode;
  }
}

// Failures that may go away by themselves: the next call may succeed.
const TRANSIENT: ReadonlySet<ChainSourceErrorCode> = new Set(['unreachable', 'timeout', 'http_status', 'bad_json', 'response_too_large', 'auth', 'invalid_data', 'not_found']);

/**
 * True when a failure may go away if the same call is made later (the server
 * was down, slow, misconfigured or served bad data); false for answers that
 * will not change (a transaction rejected as invalid) and for the caller's abort.
 */
export function isTransientError(error: unknown): boolean {
  if (!(error instanceof ChainSourceError)) return false;
  if (error.code === 'rpc_error') return error.rpcCode === RPC_IN_WARMUP || error.rpcCode === RPC_CLIENT_IN_INITIAL_DOWNLOAD || error.rpcCode === RPC_CLIENT_NOT_CONNECTED;
  return TRANSIENT.has(error.code);
}

/** Wraps anything thrown into a ChainSourceError (ours pass through unchanged). */
export function asChainSourceError(error: unknown, code: ChainSourceErrorCode, message: string): ChainSourceError {
  return error instanceof ChainSourceError ? error : new ChainSourceError(code, message, { cause: error });
}

/** bitcoind is still starting (loading blocks, verifying). */
export const RPC_IN_WARMUP = -28;
/** bitcoind is still downloading the initial chain. */
export const RPC_CLIENT_IN_INITIAL_DOWNLOAD = -10;
/** bitcoind has no peers (sendrawtransaction with p2p disabled). */
export const RPC_CLIENT_NOT_CONNECTED = -9;
