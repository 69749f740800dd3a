import { Buffer } from 'node:buffer';
import { type BitcoreInterpreter, type BitcoreScript, type BitcoreTransaction, newInterpreter, newOutput, newScript, newTransaction } from './bitcore.js';
import { ScriptVerifyError } from './errors.js';
import { MANDATORY_SCRIPT_FLAGS, ScriptFlags } from './flags.js';
import { type ScriptError, scriptErrorFromBitcore, scriptErrorMessage } from './script-error.js';

/** An output a transaction input spends. */
export interface SpentOutput {
  readonly script: Uint8Array;
  /** Satoshis. */
  readonly amount: bigint;
}

/** The interpreter's verdict on one input. */
export type InputVerdict =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** Core's script error code. */
      readonly error: ScriptError;
      /** Core's message for it (what bitcoind prints inside a reject reason). */
      readonly message: string;
      /** True when the input also fails with only the consensus flags (bitcoind's "mandatory-script-verify-flag-failed"). */
      readonly mandatory: boolean;
    };

const buf = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

// Pay-to-anchor (BIP 431's keyless anchor, OP_1 <0x4e73>): Core treats its
// witness program as always satisfied; bitcore does not know it.
function isPayToAnchor(script: Uint8Array): boolean {
  return script.length === 4 && script[0] === 0x51 && script[1] === 0x02 && script[2] === 0x4e && script[3] === 0x73;
}

function isWitnessProgram(script: Uint8Array): boolean {
  if (script.length < 4 || script.length > 42) return false;
  const version = script[0]!;
  if (version !== 0 && (version < 0x51 || version > 0x60)) return false;
  return script[1]! + 2 === script.length;
}

function isTaprootOutput(script: Uint8Array): boolean {
  return script.length === 34 && script[0] === 0x51 && script[1] === 0x20;
}

function isPayToScriptHash(script: Uint8Array): boolean {
  return script.length === 23 && script[0] === 0xa9 && script[1] === 0x14 && script[22] === 0x87;
}

/**
 * A transaction prepared once for script verification of its inputs: parsed by
 * bitcore-lib, every input told the output it spends (BIP 341 signature hashes
 * commit to all of them).
 */
export class TransactionScripts {
  readonly #tx: BitcoreTransaction;
  readonly #spent: readonly SpentOutput[];

  /**
   * @throws ScriptVerifyError `invalid_transaction` when bitcore cannot parse `rawTx`,
   *   `invalid_spent_outputs` when `spent` does not give one output per input
   */
  constructor(rawTx: Uint8Array, spent: readonly SpentOutput[]) {
    try {
      this.#tx = newTransaction(buf(rawTx));
    } catch (cause) {
      throw new ScriptVerifyError('invalid_transaction', 'bitcore-lib cannot parse the transaction', { cause });
    }
    if (spent.length !== this.#tx.inputs.length) throw new ScriptVerifyError('invalid_spent_outputs', `${this.#tx.inputs.length} inputs but ${spent.length} spent outputs`);
    for (const s of spent) if (s.amount < 0n || s.amount > 2_100_000_000_000_000n) throw new ScriptVerifyError('invalid_spent_outputs', 'spent amount out of range');
    this.#spent = spent;
    try {
      this.#tx.inputs.forEach((input, i) => (input.output = newOutput(buf(spent[i]!.script), Number(spent[i]!.amount))));
    } catch (cause) {
      throw new ScriptVerifyError('invalid_spent_outputs', 'bitcore-lib cannot use a spent output', { cause });
    }
  }

  /** Number of inputs. */
  get inputCount(): number {
    return this.#spent.length;
  }

  /**
   * Verifies input `index` with `flags` (see {@link ScriptFlags}); on failure, checks
   * again with only the consensus flags to tell a policy failure from an invalid spend,
   * as bitcoind does.
   * @throws ScriptVerifyError `invalid_index`
   */
  verifyInput(index: number, flags: number): InputVerdict {
    if (!Number.isInteger(index) || index < 0 || index >= this.#spent.length) throw new ScriptVerifyError('invalid_index', `no input ${index}`);
    const first = this.#run(index, flags);
    if (first === undefined) return { ok: true };
    const mandatoryOnly = flags & MANDATORY_SCRIPT_FLAGS;
    const mandatory = mandatoryOnly === flags || this.#run(index, mandatoryOnly) !== undefined;
    return { ok: false, error: first, message: scriptErrorMessage(first), mandatory };
  }

  /** Verifies every input; the first failure, with its index, or undefined. */
  verifyAll(flags: number): { index: number; verdict: Extract<InputVerdict, { ok: false }> } | undefined {
    for (let i = 0; i < this.#spent.length; i++) {
      const verdict = this.verifyInput(i, flags);
      if (!verdict.ok) return { index: i, verdict };
    }
    return undefined;
  }

  // Undefined when the input passes, else Core's error code.
  #run(index: number, flags: number): ScriptError | undefined {
    const input = this.#tx.inputs[index]!;
    const spent = this.#spent[index]!;
    let scriptSig: BitcoreScript;
    try {
      scriptSig = input.script;
    } catch {
      return 'SCRIPT_ERR_BAD_OPCODE';
    }
    return runInterpreter(this.#tx, index, scriptSig, input.witnesses ?? [], spent, flags);
  }
}

function runInterpreter(tx: BitcoreTransaction, index: number, scriptSig: BitcoreScript, witness: readonly Uint8Array[], spent: SpentOutput, flags: number): ScriptError | undefined {
  if ((flags & ScriptFlags.WITNESS) !== 0 && isPayToAnchor(spent.script) && scriptSig.toBuffer().length === 0) return undefined;
  let scriptPubKey: BitcoreScript;
  try {
    scriptPubKey = newScript(buf(spent.script));
  } catch {
    return 'SCRIPT_ERR_BAD_OPCODE';
  }
  // bitcore applies CLEANSTACK to the wrong stack (the scriptSig's, even for
  // native witness spends), so it is checked here on the final stack instead.
  const cleanStack = (flags & ScriptFlags.CLEANSTACK) !== 0;
  const interpreter: BitcoreInterpreter = newInterpreter();
  let ok: boolean;
  try {
    ok = interpreter.verify(scriptSig, scriptPubKey, tx, index, flags & ~ScriptFlags.CLEANSTACK, witness.map((w) => buf(w)), Number(spent.amount));
  } catch {
    return 'SCRIPT_ERR_UNKNOWN_ERROR';
  }
  if (!ok) {
    // bitcore's key-path check returns false without a reason where Core says SCHNORR_SIG.
    if ((interpreter.errstr ?? '') === '' && isTaprootOutput(spent.script)) return 'SCRIPT_ERR_SCHNORR_SIG';
    return scriptErrorFromBitcore(interpreter.errstr);
  }
  if (cleanStack && !spendsWitnessProgram(spent.script, scriptSig) && interpreter.stack.length !== 1) return 'SCRIPT_ERR_CLEANSTACK';
  return undefined;
}

function spendsWitnessProgram(prevScript: Uint8Array, scriptSig: BitcoreScript): boolean {
  if (isWitnessProgram(prevScript)) return true;
  if (!isPayToScriptHash(prevScript)) return false;
  const redeem = scriptSig.chunks[scriptSig.chunks.length - 1]?.buf;
  return redeem !== undefined && isWitnessProgram(redeem);
}

/**
 * Verifies one input of a serialized transaction against the outputs its inputs
 * spend (all of them: taproot signatures commit to every spent output).
 * @throws ScriptVerifyError when the transaction or outputs are malformed
 */
export function verifyInput(rawTx: Uint8Array, index: number, spent: readonly SpentOutput[], flags: number): InputVerdict {
  return new TransactionScripts(rawTx, spent).verifyInput(index, flags);
}

/** One input of a serialized transaction and the output it spends (the test harness shape of tools/script-check). */
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

// The flags the test harness has always used: standard policy without taproot
// (the harness knows only the one spent output) and CLEANSTACK, checked by
// BIP 141's own one-element rule for the witness spends it sees.
const HARNESS_FLAGS =
  ScriptFlags.P2SH |
  ScriptFlags.STRICTENC |
  ScriptFlags.DERSIG |
  ScriptFlags.LOW_S |
  ScriptFlags.NULLDUMMY |
  ScriptFlags.MINIMALDATA |
  ScriptFlags.CHECKLOCKTIMEVERIFY |
  ScriptFlags.CHECKSEQUENCEVERIFY |
  ScriptFlags.WITNESS |
  ScriptFlags.MINIMALIF |
  ScriptFlags.NULLFAIL |
  ScriptFlags.WITNESS_PUBKEYTYPE;

/**
 * Runs the interpreter on one input with the scriptSig and witness given (not
 * those in `tx`); `error` is bitcore's own reason when it refuses.
 */
export function checkSpend(spend: SpendToCheck): { ok: boolean; error: string } {
  const tx = newTransaction(buf(spend.tx));
  const interpreter = newInterpreter();
  const ok = interpreter.verify(
    newScript(buf(spend.scriptSig ?? new Uint8Array(0))),
    newScript(buf(spend.prevScript)),
    tx,
    spend.index,
    HARNESS_FLAGS,
    spend.witness.map((w) => buf(w)),
    Number(spend.amountSat),
  );
  return { ok, error: interpreter.errstr ?? '' };
}
