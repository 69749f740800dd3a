// Independent validation, the same harness as ln-tx/test/interpreter.ts: bitcore-lib's
// script interpreter (a separate implementation of Bitcoin script, BIP 143 sighashes, CSV
// and CLTV) checks that the transactions we build
// validly spend what they claim to spend. CLEANSTACK is left out: bitcore applies it to the
// P2SH stack copy even for native witness spends (a bitcore bug); BIP 141's own rule that a
// witness script leaves exactly one true element is checked by its witness execution.
import bitcoreModule from 'bitcore-lib';
import { toHex } from 'ln-types';
import { type Tx, encodeTx } from 'ln-tx';

// bitcore-lib ships no typings; describe the few members used here.
interface BitcoreScript {
  toHex(): string;
}
interface Bitcore {
  Script: { new (buf: Buffer): BitcoreScript; Interpreter: BitcoreInterpreterClass };
  Transaction: new (hex: string) => unknown;
}
interface BitcoreInterpreterClass {
  new (): { verify(sig: BitcoreScript, pk: BitcoreScript, tx: unknown, nin: number, flags: number, witness: Buffer[], sat: number): boolean; errstr?: string };
  [flag: string]: number | unknown;
}
const bitcore = bitcoreModule as Bitcore;

const Interpreter = bitcore.Script.Interpreter;
const flag = (name: string) => Interpreter[name] as number;
const FLAGS =
  flag('SCRIPT_VERIFY_P2SH') |
  flag('SCRIPT_VERIFY_STRICTENC') |
  flag('SCRIPT_VERIFY_DERSIG') |
  flag('SCRIPT_VERIFY_LOW_S') |
  flag('SCRIPT_VERIFY_NULLDUMMY') |
  flag('SCRIPT_VERIFY_MINIMALDATA') |
  flag('SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY') |
  flag('SCRIPT_VERIFY_CHECKSEQUENCEVERIFY') |
  flag('SCRIPT_VERIFY_WITNESS') |
  flag('SCRIPT_VERIFY_MINIMALIF') |
  flag('SCRIPT_VERIFY_NULLFAIL') |
  flag('SCRIPT_VERIFY_WITNESS_PUBKEYTYPE');

/** Verifies input `index` of `tx` against the output it spends; returns bitcore's error string on failure. */
export function verifySpend(tx: Tx, index: number, prevScript: Uint8Array, amountSat: bigint): { ok: boolean; error: string } {
  const btx = new bitcore.Transaction(toHex(encodeTx(tx)));
  const witness = (tx.inputs[index]!.witness ?? []).map((w) => Buffer.from(w));
  const interp = new Interpreter();
  const scriptSig = new bitcore.Script(Buffer.from(tx.inputs[index]!.scriptSig ?? new Uint8Array(0)));
  const ok = interp.verify(scriptSig, new bitcore.Script(Buffer.from(prevScript)), btx, index, FLAGS, witness, Number(amountSat));
  return { ok, error: interp.errstr ?? '' };
}
