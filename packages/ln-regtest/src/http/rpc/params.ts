import { fromHex } from 'ln-types';
import { parseBtcAmount } from '../../json/money.js';
import { RPC, RpcError } from './rpc-error.js';

// Argument checks with bitcoind's error codes and wording.

/** UniValue's type name of a JSON value. */
export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

function typeError(v: unknown, expected: string): RpcError {
  return new RpcError(RPC.TYPE_ERROR, `JSON value of type ${typeName(v)} is not of expected type ${expected}`);
}

export function requireString(v: unknown): string {
  if (typeof v !== 'string') throw typeError(v, 'string');
  return v;
}

export function requireInt(v: unknown): number {
  if (typeof v !== 'number') throw typeError(v, 'number');
  if (!Number.isInteger(v)) throw new RpcError(RPC.TYPE_ERROR, 'JSON integer out of range');
  return v;
}

export function requireBool(v: unknown): boolean {
  if (typeof v !== 'boolean') throw typeError(v, 'bool');
  return v;
}

export function requireArray(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw typeError(v, 'array');
  return v;
}

/** Core's ParseHashV: 64 hex characters (display order kept); the length is checked first, as in bitcoind 28. */
export function requireHash(v: unknown, name: string): string {
  const s = requireString(v);
  if (s.length !== 64) throw new RpcError(RPC.INVALID_PARAMETER, `${name} must be of length 64 (not ${s.length}, for '${s}')`);
  if (!/^[0-9a-fA-F]{64}$/.test(s)) throw new RpcError(RPC.INVALID_PARAMETER, `${name} must be hexadecimal string (not '${s}')`);
  return s.toLowerCase();
}

/** Hex bytes, or undefined when not hex. */
export function hexBytes(s: string): Uint8Array | undefined {
  if (!/^([0-9a-fA-F]{2})*$/.test(s)) return undefined;
  return fromHex(s.toLowerCase());
}

/** Core's AmountFromValue (BTC, number or string) to satoshis. */
export function requireAmount(v: unknown): bigint {
  if (typeof v !== 'number' && typeof v !== 'string') throw new RpcError(RPC.TYPE_ERROR, 'Amount is not a number or string');
  const sat = parseBtcAmount(v);
  if (sat === undefined) throw new RpcError(RPC.TYPE_ERROR, 'Invalid amount');
  if (sat < 0n || sat > 2_100_000_000_000_000n) throw new RpcError(RPC.TYPE_ERROR, 'Amount out of range');
  return sat;
}

/** A feerate argument in BTC/kvB (maxfeerate) as sat/kvB. */
export function requireFeeRate(v: unknown): bigint {
  const sat = requireAmount(v);
  if (sat > 100_000_000n) throw new RpcError(RPC.INVALID_PARAMETER, 'Fee rates larger than or equal to 1BTC/kvB are not accepted');
  return sat;
}
