import { RegtestError } from '../../errors.js';
import { type JsonValue, toJsonText } from '../../json/serialize.js';
import { blockchainMethods } from './blockchain.js';
import { controlMethods } from './control.js';
import type { RpcContext, RpcMethodTable } from './method.js';
import { miningMethods } from './mining.js';
import { rawTransactionMethods } from './rawtransactions.js';
import { RPC, RpcError } from './rpc-error.js';

/** Every JSON-RPC method this server answers. */
export const RPC_METHODS: RpcMethodTable = { ...blockchainMethods, ...rawTransactionMethods, ...miningMethods, ...controlMethods };

type Reply = { [key: string]: JsonValue | undefined };

interface Outcome {
  /** Undefined for a JSON-RPC 2.0 notification (no reply). */
  readonly reply?: Reply;
  /** For a failed legacy request: the HTTP status bitcoind answers with. */
  readonly status: number;
}

function errorObject(e: unknown): { code: number; message: string } {
  if (e instanceof RpcError) return { code: e.code, message: e.message };
  if (e instanceof RegtestError) return { code: e.rpcCode, message: e.message };
  return { code: RPC.MISC_ERROR, message: e instanceof Error ? e.message : String(e) };
}

function legacyStatus(code: number): number {
  if (code === RPC.INVALID_REQUEST) return 400;
  if (code === RPC.METHOD_NOT_FOUND) return 404;
  return 500;
}

function call(method: string, params: unknown, ctx: RpcContext): JsonValue | undefined {
  const spec = Object.hasOwn(RPC_METHODS, method) ? RPC_METHODS[method] : undefined;
  if (spec === undefined) throw new RpcError(RPC.METHOD_NOT_FOUND, 'Method not found');
  let args: unknown[];
  if (Array.isArray(params)) {
    if (params.length > spec.params.length) throw new RpcError(RPC.MISC_ERROR, `${method} ${spec.params.map((p) => `( ${p} )`).join(' ')}\n\nToo many arguments: ${params.length}`.replace('  ', ' '));
    args = params;
  } else {
    const named = params as Record<string, unknown>;
    for (const key of Object.keys(named)) if (!spec.params.includes(key)) throw new RpcError(RPC.INVALID_PARAMETER, `Unknown named parameter ${key}`);
    args = spec.params.map((p) => named[p]);
  }
  return spec.call(args, ctx);
}

/** Core's JSONRPCRequest::parse and execution of one request object. */
export function executeRequest(request: unknown, ctx: RpcContext): Outcome {
  let v2 = false;
  let id: JsonValue | undefined = null;
  try {
    if (typeof request !== 'object' || request === null || Array.isArray(request)) throw new RpcError(RPC.INVALID_REQUEST, 'Invalid Request object');
    const r = request as Record<string, unknown>;
    id = (r.id ?? null) as JsonValue;
    if (r.jsonrpc !== undefined && r.jsonrpc !== null) {
      if (typeof r.jsonrpc !== 'string') throw new RpcError(RPC.INVALID_REQUEST, 'jsonrpc field must be a string');
      if (r.jsonrpc === '2.0') v2 = true;
      else if (r.jsonrpc !== '1.0') throw new RpcError(RPC.INVALID_REQUEST, 'JSON-RPC version not supported');
    }
    const notification = v2 && !Object.hasOwn(r, 'id');
    if (r.method === undefined || r.method === null) throw new RpcError(RPC.INVALID_REQUEST, 'Missing method');
    if (typeof r.method !== 'string') throw new RpcError(RPC.INVALID_REQUEST, 'Method must be a string');
    let params: unknown = [];
    if (Array.isArray(r.params) || (typeof r.params === 'object' && r.params !== null)) params = r.params;
    else if (r.params !== undefined && r.params !== null) throw new RpcError(RPC.INVALID_REQUEST, 'Params must be an array or object');
    let result: JsonValue | undefined;
    try {
      result = call(r.method, params, ctx);
    } catch (e) {
      if (notification) return { status: 204 };
      throw e;
    }
    if (notification) return { status: 204 };
    const value = result === undefined ? null : result;
    return { status: 200, reply: v2 ? { jsonrpc: '2.0', result: value, id } : { result: value, error: null, id } };
  } catch (e) {
    const error = errorObject(e);
    return v2 ? { status: 200, reply: { jsonrpc: '2.0', error, id } } : { status: legacyStatus(error.code), reply: { result: null, error, id } };
  }
}

/** Handles a JSON-RPC body (one request or a batch); returns the HTTP status and body. */
export function handleRpcBody(body: string, ctx: RpcContext): { status: number; body: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { status: 500, body: toJsonText({ result: null, error: { code: RPC.PARSE_ERROR, message: 'Parse error' }, id: null }) + '\n' };
  }
  if (Array.isArray(parsed)) {
    const replies: Reply[] = [];
    for (const request of parsed) {
      const outcome = executeRequest(request, ctx);
      if (outcome.reply !== undefined) replies.push(outcome.reply);
    }
    return { status: 200, body: toJsonText(replies) + '\n' };
  }
  const outcome = executeRequest(parsed, ctx);
  if (outcome.reply === undefined) return { status: 204, body: '' };
  return { status: outcome.status, body: toJsonText(outcome.reply) + '\n' };
}
