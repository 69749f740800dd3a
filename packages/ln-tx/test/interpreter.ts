// The spends our tests build, checked by an independent script interpreter (ln-script-check).
import { checkSpend } from 'ln-script-check';
import { type Tx, encodeTx } from '../src/index.js';

/** Verifies input `index` of `tx` against the output it spends; returns the interpreter's error string on failure. */
export function verifySpend(tx: Tx, index: number, prevScript: Uint8Array, amountSat: bigint): { ok: boolean; error: string } {
  const input = tx.inputs[index]!;
  return checkSpend({ tx: encodeTx(tx), index, ...(input.scriptSig === undefined ? {} : { scriptSig: input.scriptSig }), witness: input.witness ?? [], prevScript, amountSat });
}
