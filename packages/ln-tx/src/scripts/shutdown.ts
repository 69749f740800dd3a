import { OP } from './builder.js';

/** Which optional shutdown script forms the peers negotiated. */
export interface ShutdownScriptFeatures {
  /** option_shutdown_anysegwit: any witness v1..v16 program of 2..40 bytes. */
  readonly anySegwit: boolean;
  /** option_simple_close: OP_RETURN outputs are acceptable closing outputs. */
  readonly opReturn: boolean;
}

/**
 * BOLT 2's rules for a `scriptpubkey` in shutdown (and an upfront shutdown script):
 * P2PKH, P2SH, P2WPKH, P2WSH; with anysegwit any v1..v16 witness program of 2..40
 * bytes; with simple close an OP_RETURN with 6..80 bytes of data.
 */
export function isValidShutdownScript(script: Uint8Array, features: ShutdownScriptFeatures): boolean {
  const n = script.length;
  if (n === 25 && script[0] === OP.OP_DUP && script[1] === OP.OP_HASH160 && script[2] === 20 && script[23] === OP.OP_EQUALVERIFY && script[24] === OP.OP_CHECKSIG) return true;
  if (n === 23 && script[0] === OP.OP_HASH160 && script[1] === 20 && script[22] === OP.OP_EQUAL) return true;
  if (n === 22 && script[0] === OP.OP_0 && script[1] === 20) return true;
  if (n === 34 && script[0] === OP.OP_0 && script[1] === 32) return true;
  if (features.anySegwit && n >= 4 && n <= 42 && script[0]! >= OP.OP_1 && script[0]! <= OP.OP_16 && script[1] === n - 2) return true;
  if (features.opReturn && n >= 2 && script[0] === OP.OP_RETURN) {
    if (script[1]! >= 6 && script[1]! <= 75 && script[1] === n - 2) return true;
    if (script[1] === OP.OP_PUSHDATA1 && n >= 3 && script[2]! >= 76 && script[2]! <= 80 && script[2] === n - 3) return true;
  }
  return false;
}
