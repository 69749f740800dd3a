// bitcore-lib ships no typings; this file describes the few members used and is
// the only place that touches bitcore's Buffer-based objects.
//
// bitcore-lib (CommonJS) is loaded by Node's own loader in the main realm. Under
// a module sandbox such as jest's (tests run in vm contexts whose `process` and
// loaders are stand-ins), code compiled into the sandbox is not optimized by
// V8, and bitcore's bn.js arithmetic ran about a thousand times slower there
// than in plain Node. `vm.runInThisContext('process')` is the realm's real
// process (the same object outside a sandbox).
import type { createRequire as CreateRequire } from 'node:module';

interface BuiltinProcess {
  getBuiltinModule(id: 'node:vm'): { runInThisContext(code: string): unknown };
  getBuiltinModule(id: 'node:module'): { createRequire: typeof CreateRequire };
}
const realm = (process as unknown as BuiltinProcess).getBuiltinModule('node:vm').runInThisContext('process') as BuiltinProcess;
const bitcoreModule: unknown = realm.getBuiltinModule('node:module').createRequire(import.meta.url)('bitcore-lib');

/** A parsed bitcore script. */
export interface BitcoreScript {
  readonly chunks: readonly { readonly opcodenum: number; readonly buf?: Uint8Array }[];
  toBuffer(): Uint8Array;
}

/** A bitcore transaction input (parsed from raw bytes). */
export interface BitcoreInput {
  readonly script: BitcoreScript;
  readonly witnesses: readonly Uint8Array[] | undefined;
  output?: unknown;
}

/** A bitcore transaction. */
export interface BitcoreTransaction {
  readonly inputs: BitcoreInput[];
}

/** bitcore's script interpreter. */
export interface BitcoreInterpreter {
  verify(scriptSig: BitcoreScript, scriptPubKey: BitcoreScript, tx: BitcoreTransaction, nin: number, flags: number, witness: Uint8Array[], satoshis: number): boolean;
  errstr?: string;
  stack: unknown[];
}

interface Bitcore {
  Script: new (buf: Uint8Array) => BitcoreScript;
  Transaction: {
    new (raw: Uint8Array | string): BitcoreTransaction;
    Output: new (params: { script: Uint8Array; satoshis: number }) => unknown;
  };
}

const bitcore = bitcoreModule as Bitcore;
const Interpreter = (bitcoreModule as { Script: { Interpreter: new () => BitcoreInterpreter } }).Script.Interpreter;

export const newScript = (bytes: Uint8Array): BitcoreScript => new bitcore.Script(bytes);
export const newTransaction = (raw: Uint8Array): BitcoreTransaction => new bitcore.Transaction(raw);
export const newOutput = (script: Uint8Array, satoshis: number): unknown => new bitcore.Transaction.Output({ script, satoshis });
export const newInterpreter = (): BitcoreInterpreter => new Interpreter();
