import type { JsonValue } from '../../json/serialize.js';
import type { Regtest } from '../../node/regtest.js';

/** What an RPC method sees besides its arguments. */
export interface RpcContext {
  readonly node: Regtest;
  /** Seconds since the epoch when the server started (for `uptime`). */
  readonly startedAt: number;
  /** Asks the server to shut down (`stop`). */
  readonly stop: () => void;
}

/** A JSON-RPC method: its parameter names in order and its handler (missing arguments are undefined). */
export interface RpcMethod {
  readonly params: readonly string[];
  readonly call: (args: readonly unknown[], ctx: RpcContext) => JsonValue | undefined;
}

export type RpcMethodTable = Readonly<Record<string, RpcMethod>>;
