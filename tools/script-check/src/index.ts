// Independent validation for tests: bitcore-lib's script interpreter (a separate
// implementation of Bitcoin script, BIP 143 sighashes, CSV and CLTV) checks that a
// transaction we built validly spends what it claims to spend. CLEANSTACK is left
// out: bitcore applies it to the P2SH stack copy even for native witness spends (a
// bitcore bug); BIP 141's own rule that a witness script leaves exactly one true
// element is checked by its witness execution.
import bitcoreModule from 'bitcore-lib';
import { toHex } from 'ln-types';

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

/** One input of a serialized transaction and the output it spends. */
export interface SpendToCheck {
  /** The whole transaction, serialized. */
  readonly tx: Uint8Array;
  readonly index: number;
  readonly scriptSig?: Uint8Array;
  readonly witness: readonly Uint8Array[];
  /** The spent output's scriptPubKey and value. */
  readonly prevScript: Uint8Array;
  readonly amountSat: bigint;
}

/** Runs the interpreter on one input; `error` is bitcore's reason when it refuses. */
export function checkSpend(spend: SpendToCheck): { ok: boolean; error: string } {
  const tx = new bitcore.Transaction(toHex(spend.tx));
  const interp = new Interpreter();
  const scriptSig = new bitcore.Script(Buffer.from(spend.scriptSig ?? new Uint8Array(0)));
  const witness = spend.witness.map((w) => Buffer.from(w));
  const ok = interp.verify(scriptSig, new bitcore.Script(Buffer.from(spend.prevScript)), tx, spend.index, FLAGS, witness, Number(spend.amountSat));
  return { ok, error: interp.errstr ?? '' };
}
