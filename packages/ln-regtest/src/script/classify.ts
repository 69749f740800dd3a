import { parseScript } from './parse.js';

/** Output types as bitcoind names them (Core's TxoutType / GetTxnOutputType). */
export type OutputType =
  | 'nonstandard'
  | 'anchor'
  | 'pubkey'
  | 'pubkeyhash'
  | 'scripthash'
  | 'multisig'
  | 'nulldata'
  | 'witness_v0_keyhash'
  | 'witness_v0_scripthash'
  | 'witness_v1_taproot'
  | 'witness_unknown';

/** A witness program: version and program bytes (BIP 141). */
export interface WitnessProgram {
  readonly version: number;
  readonly program: Uint8Array;
}

/** The witness program of a script, if it is one. */
export function witnessProgram(script: Uint8Array): WitnessProgram | undefined {
  if (script.length < 4 || script.length > 42) return undefined;
  const first = script[0]!;
  if (first !== 0 && (first < 0x51 || first > 0x60)) return undefined;
  if (script[1]! + 2 !== script.length) return undefined;
  return { version: first === 0 ? 0 : first - 0x50, program: script.subarray(2) };
}

/** BIP 431 pay-to-anchor: OP_1 <0x4e73>. */
export function isPayToAnchor(script: Uint8Array): boolean {
  return script.length === 4 && script[0] === 0x51 && script[1] === 0x02 && script[2] === 0x4e && script[3] === 0x73;
}

export function isPayToScriptHash(script: Uint8Array): boolean {
  return script.length === 23 && script[0] === 0xa9 && script[1] === 0x14 && script[22] === 0x87;
}

export function isPayToPubkeyHash(script: Uint8Array): boolean {
  return script.length === 25 && script[0] === 0x76 && script[1] === 0xa9 && script[2] === 0x14 && script[23] === 0x88 && script[24] === 0xac;
}

/** True for scripts that can never be spent (Core's IsUnspendable: OP_RETURN first, or too large). */
export function isUnspendable(script: Uint8Array): boolean {
  return (script.length > 0 && script[0] === 0x6a) || script.length > 10_000;
}

function isValidPubkeySize(key: Uint8Array): boolean {
  if (key.length === 33) return key[0] === 0x02 || key[0] === 0x03;
  if (key.length === 65) return key[0] === 0x04 || key[0] === 0x06 || key[0] === 0x07;
  return false;
}

/** Core's Solver: the type of an output script, with its multisig m-of-n when it is one. */
export function classifyScript(script: Uint8Array): { type: OutputType; required?: number; keys?: number } {
  if (isPayToAnchor(script)) return { type: 'anchor' };
  if (isPayToScriptHash(script)) return { type: 'scripthash' };
  const wp = witnessProgram(script);
  if (wp !== undefined) {
    if (wp.version === 0 && wp.program.length === 20) return { type: 'witness_v0_keyhash' };
    if (wp.version === 0 && wp.program.length === 32) return { type: 'witness_v0_scripthash' };
    if (wp.version === 1 && wp.program.length === 32) return { type: 'witness_v1_taproot' };
    if (wp.version !== 0) return { type: 'witness_unknown' };
    return { type: 'nonstandard' };
  }
  const { ops, truncated } = parseScript(script);
  if (script.length >= 1 && script[0] === 0x6a) {
    return !truncated && ops.slice(1).every((o) => o.op <= 0x60) ? { type: 'nulldata' } : { type: 'nonstandard' };
  }
  if (truncated) return { type: 'nonstandard' };
  if (ops.length === 2 && ops[0]!.data !== undefined && isValidPubkeySize(ops[0]!.data) && ops[1]!.op === 0xac) return { type: 'pubkey' };
  if (isPayToPubkeyHash(script)) return { type: 'pubkeyhash' };
  const last = ops[ops.length - 1];
  if (ops.length >= 4 && last!.op === 0xae) {
    const m = ops[0]!.op;
    const n = ops[ops.length - 2]!.op;
    const keys = ops.slice(1, -2);
    if (m >= 0x51 && m <= 0x60 && n >= 0x51 && n <= 0x60 && keys.length === n - 0x50 && m <= n && keys.every((k) => k.data !== undefined && isValidPubkeySize(k.data))) {
      return { type: 'multisig', required: m - 0x50, keys: n - 0x50 };
    }
  }
  return { type: 'nonstandard' };
}
