import { Buffer } from 'node:buffer';
import { type BitcoreInterpreter, type BitcoreScript, type BitcoreTransaction, newInterpreter, newOutput, newScript, newTransaction } from './bitcore.js';
import { ScriptVerifyError } from './errors.js';
import { MANDATORY_SCRIPT_FLAGS, ScriptFlags } from './flags.js';
import { type ScriptError, scriptErrorFromBitcore, scriptErrorMessage } from './script-error.js';
import type { SignatureBackend, SignatureBackendName } from './signatures/backend.js';
import { withSignatureBackend } from './signatures/bitcore-hooks.js';
import { signatureBackend } from './signatures/select.js';

/** An output a transaction input spends. */
export interface SpentOutput {
  readonly script: Uint8Array;
  /** Satoshis. */
  readonly amount: bigint;
}

/** Options of {@link TransactionScripts}. */
export interface TransactionScriptsOptions {
  /**
   * Which implementation checks the signatures (see {@link SignatureBackendName});
   * by default libsecp256k1 where it loaded, else bitcore-lib's own.
   */
  readonly signatures?: SignatureBackendName;
}

function backendNamed(name: SignatureBackendName | undefined): SignatureBackend {
  const backend = signatureBackend(name);
  if (backend === undefined) throw new ScriptVerifyError('unavailable_backend', `signature backend ${name} did not load in this process`);
  return backend;
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
  readonly #backend: SignatureBackend;

  /**
   * @throws ScriptVerifyError `invalid_transaction` when bitcore cannot parse `rawTx`,
   *   `invalid_spent_outputs` when `spent` does not give one output per input,
   *   `unavailable_backend` when the signature backend asked for did not load
   */
  constructor(rawTx: Uint8Array, spent: readonly SpentOutput[], options: TransactionScriptsOptions = {}) {
    this.#backend = backendNamed(options.signatures);
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

  /** The implementation checking this transaction's signatures. */
  get signatureBackend(): SignatureBackendName {
    return this.#backend.name;
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
    return runInterpreter(this.#tx, index, scriptSig, input.witnesses ?? [], spent, flags, this.#backend);
  }
}

function runInterpreter(tx: BitcoreTransaction, index: number, scriptSig: BitcoreScript, witness: readonly Uint8Array[], spent: SpentOutput, flags: number, backend: SignatureBackend): ScriptError | undefined {
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
    const witnessBuffers = witness.map((w) => buf(w));
    ok = withSignatureBackend(backend, () => interpreter.verify(scriptSig, scriptPubKey, tx, index, flags & ~ScriptFlags.CLEANSTACK, witnessBuffers, Number(spent.amount)));
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
export function verifyInput(rawTx: Uint8Array, index: number, spent: readonly SpentOutput[], flags: number, options: TransactionScriptsOptions = {}): InputVerdict {
  return new TransactionScripts(rawTx, spent, options).verifyInput(index, flags);
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
export function checkSpend(spend: SpendToCheck, options: TransactionScriptsOptions = {}): { ok: boolean; error: string } {
  const backend = backendNamed(options.signatures);
  const tx = newTransaction(buf(spend.tx));
  const interpreter = newInterpreter();
  const scriptSig = newScript(buf(spend.scriptSig ?? new Uint8Array(0)));
  const prevScript = newScript(buf(spend.prevScript));
  const witness = spend.witness.map((w) => buf(w));
  const ok = withSignatureBackend(backend, () => interpreter.verify(scriptSig, prevScript, tx, spend.index, HARNESS_FLAGS, witness, Number(spend.amountSat)));
  return { ok, error: interpreter.errstr ?? '' };
}
