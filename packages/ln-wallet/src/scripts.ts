import { hash160 } from 'ln-crypto';
import { concatBytes } from 'ln-types';

// The output scripts the wallet recognizes: what it pays to (any standard
// output), what it owns (P2WPKH), and what each costs to create and to spend.

/** A standard output script's template. */
export type ScriptKind = 'p2pkh' | 'p2sh' | 'p2wpkh' | 'p2wsh' | 'p2tr' | 'witness_unknown' | 'op_return';

const OP_0 = 0x00;
const OP_1 = 0x51;
const OP_16 = 0x60;
const OP_RETURN = 0x6a;
const OP_DUP = 0x76;
const OP_HASH160 = 0xa9;
const OP_EQUAL = 0x87;
const OP_EQUALVERIFY = 0x88;
const OP_CHECKSIG = 0xac;

/** Largest OP_RETURN script bitcoind relays by default (80 bytes of data). */
const MAX_OP_RETURN_SCRIPT = 83;

/** The template of a standard output script, or `undefined` for anything bitcoind would not relay. */
export function classifyScript(script: Uint8Array): ScriptKind | undefined {
  const n = script.length;
  if (n === 25 && script[0] === OP_DUP && script[1] === OP_HASH160 && script[2] === 20 && script[23] === OP_EQUALVERIFY && script[24] === OP_CHECKSIG) return 'p2pkh';
  if (n === 23 && script[0] === OP_HASH160 && script[1] === 20 && script[22] === OP_EQUAL) return 'p2sh';
  const program = witnessProgram(script);
  if (program !== undefined) {
    if (program.version === 0) return program.program.length === 20 ? 'p2wpkh' : program.program.length === 32 ? 'p2wsh' : undefined;
    if (program.version === 1 && program.program.length === 32) return 'p2tr';
    return 'witness_unknown';
  }
  if (n >= 1 && n <= MAX_OP_RETURN_SCRIPT && script[0] === OP_RETURN) return 'op_return';
  return undefined;
}

/** The witness version and program of a segwit output script (BIP 141: OP_n then one 2-40 byte push). */
export function witnessProgram(script: Uint8Array): { version: number; program: Uint8Array } | undefined {
  const n = script.length;
  if (n < 4 || n > 42) return undefined;
  const op = script[0]!;
  if (op !== OP_0 && (op < OP_1 || op > OP_16)) return undefined;
  if (script[1] !== n - 2) return undefined;
  return { version: op === OP_0 ? 0 : op - OP_1 + 1, program: script.subarray(2) };
}

/** The output script of a witness program. */
export function witnessScript(version: number, program: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(version === 0 ? OP_0 : OP_1 + version - 1, program.length), program);
}

/** P2WPKH output script of a compressed public key. */
export function p2wpkhScript(publicKey: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(OP_0, 20), hash160(publicKey));
}

/** P2PKH output script of a 20-byte key hash (BIP 143's scriptCode of a P2WPKH spend). */
export function p2pkhScript(keyHash: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(OP_DUP, OP_HASH160, 20), keyHash, Uint8Array.of(OP_EQUALVERIFY, OP_CHECKSIG));
}

/** P2SH output script of a 20-byte script hash. */
export function p2shScript(scriptHash: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(OP_HASH160, 20), scriptHash, Uint8Array.of(OP_EQUAL));
}

function compactSizeLength(n: number): number {
  return n < 0xfd ? 1 : n <= 0xffff ? 3 : 5;
}

/** Serialized size of an output with this script (value, script length, script). */
export function outputSize(script: Uint8Array): number {
  return 8 + compactSizeLength(script.length) + script.length;
}

/** Weight of an output with this script. */
export function outputWeight(script: Uint8Array): number {
  return outputSize(script) * 4;
}

/**
 * bitcoind's dust threshold for an output (GetDustThreshold at the default 3 sat/vbyte
 * dust relay fee): 294 sat for P2WPKH, 330 for P2WSH and P2TR, 546 for P2PKH, 540 for
 * P2SH; 0 for OP_RETURN. An output below it is not relayed.
 */
export function dustLimit(script: Uint8Array): bigint {
  const kind = classifyScript(script);
  if (kind === 'op_return') return 0n;
  // The size of the input that would spend it: a witness spend counts its 107-byte witness at a quarter.
  const spend = kind === 'p2wpkh' || kind === 'p2wsh' || kind === 'p2tr' || kind === 'witness_unknown' ? 32 + 4 + 1 + 26 + 4 : 32 + 4 + 1 + 107 + 4;
  return BigInt((outputSize(script) + spend) * 3);
}
