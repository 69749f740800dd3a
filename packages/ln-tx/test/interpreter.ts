// Independent validation: bitcore-lib's script interpreter (a separate implementation of
// Bitcoin script, BIP 143 sighashes, CSV and CLTV) checks that the transactions we build
// validly spend what they claim to spend. CLEANSTACK is left out: bitcore applies it to the
// P2SH stack copy even for native witness spends (a bitcore bug); BIP 141's own rule that a
// witness script leaves exactly one true element is checked by its witness execution.
import bitcore from 'bitcore-lib';
import { toHex } from 'ln-types';
import { type Tx, encodeTx } from '../src/index.js';

const { Interpreter } = (bitcore as any).Script;
const FLAGS =
  Interpreter.SCRIPT_VERIFY_P2SH |
  Interpreter.SCRIPT_VERIFY_STRICTENC |
  Interpreter.SCRIPT_VERIFY_DERSIG |
  Interpreter.SCRIPT_VERIFY_LOW_S |
  Interpreter.SCRIPT_VERIFY_NULLDUMMY |
  Interpreter.SCRIPT_VERIFY_MINIMALDATA |
  Interpreter.SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY |
  Interpreter.SCRIPT_VERIFY_CHECKSEQUENCEVERIFY |
  Interpreter.SCRIPT_VERIFY_WITNESS |
  Interpreter.SCRIPT_VERIFY_MINIMALIF |
  Interpreter.SCRIPT_VERIFY_NULLFAIL |
  Interpreter.SCRIPT_VERIFY_WITNESS_PUBKEYTYPE;

/** Verifies input `index` of `tx` against the output it spends; returns bitcore's error string on failure. */
export function verifySpend(tx: Tx, index: number, prevScript: Uint8Array, amountSat: bigint): { ok: boolean; error: string } {
  const btx = new (bitcore as any).Transaction(toHex(encodeTx(tx)));
  const witness = (tx.inputs[index]!.witness ?? []).map((w) => Buffer.from(w));
  const interp = new Interpreter();
  const scriptSig = new (bitcore as any).Script(Buffer.from(tx.inputs[index]!.scriptSig ?? new Uint8Array(0)));
  const ok = interp.verify(scriptSig, new (bitcore as any).Script(Buffer.from(prevScript)), btx, index, FLAGS, witness, Number(amountSat));
  return { ok, error: interp.errstr ?? '' };
}
