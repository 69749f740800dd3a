import { type Secp256k1Backend, defaultSecp256k1 } from 'ln-crypto';
import { type OutPoint, compareBytes } from 'ln-types';
import { TxError } from './errors.js';
import { fundingKeyIsFirst, fundingScript } from './scripts/funding.js';
import { OP } from './scripts/builder.js';
import { signSegwitInput, witnessSignature } from './sign.js';
import { SIGHASH_ALL, type Tx, type TxOutput, withWitness } from './tx.js';

/** A closing transaction's parameters (amounts in satoshis, already net of the fee). */
export interface ClosingParams {
  readonly fundingOutpoint: OutPoint;
  readonly fundingAmountSat: bigint;
  readonly localScript: Uint8Array;
  readonly localAmountSat: bigint;
  readonly remoteScript: Uint8Array;
  readonly remoteAmountSat: bigint;
  readonly dustLimitSat: bigint;
}

function isOpReturn(script: Uint8Array): boolean {
  return script[0] === OP.OP_RETURN;
}

function closingOutputs(p: ClosingParams): TxOutput[] {
  const outs: TxOutput[] = [];
  for (const [script, amount] of [
    [p.localScript, p.localAmountSat],
    [p.remoteScript, p.remoteAmountSat],
  ] as const) {
    if (amount < 0n) throw new TxError('invalid_amount', 'closing output amount is negative');
    // OP_RETURN outputs (option_simple_close) carry zero value and are kept; others below dust are omitted.
    if (isOpReturn(script) ? amount === 0n : amount >= p.dustLimitSat && amount > 0n) outs.push({ script, amount });
  }
  if (p.localAmountSat + p.remoteAmountSat > p.fundingAmountSat) throw new TxError('insufficient_funds', 'closing outputs exceed the funding amount');
  outs.sort((a, b) => (a.amount !== b.amount ? (a.amount < b.amount ? -1 : 1) : compareBytes(a.script, b.script)));
  if (outs.length === 0) throw new TxError('invalid_parameters', 'a closing transaction needs at least one output');
  return outs;
}

/**
 * closing_signed-style mutual close (BOLT 3 "Closing Transaction"): version 2,
 * locktime 0, sequence 0xFFFFFFFF, outputs below dust omitted, BIP 69 order.
 * The fee is what the amounts leave of the funding amount.
 */
export function buildClosingTx(p: ClosingParams): Tx {
  return { version: 2, locktime: 0, inputs: [{ previousOutput: p.fundingOutpoint, sequence: 0xffffffff }], outputs: closingOutputs(p) };
}

/**
 * closing_complete/closing_sig-style close (option_simple_close): the closer's
 * chosen locktime, sequence 0xFFFFFFFD (RBF), outputs below dust omitted except
 * OP_RETURN, BIP 69 order. Pass `remoteAmountSat = 0` for the closer-output-only variants.
 */
export function buildSimpleCloseTx(p: ClosingParams & { readonly locktime: number }): Tx {
  return { version: 2, locktime: p.locktime, inputs: [{ previousOutput: p.fundingOutpoint, sequence: 0xfffffffd }], outputs: closingOutputs(p) };
}

/** Signs a closing transaction's funding input. */
export function signClosingTx(
  tx: Tx,
  fundingAmountSat: bigint,
  localFundingPubkey: Uint8Array,
  remoteFundingPubkey: Uint8Array,
  fundingPrivateKey: Uint8Array,
  backend: Secp256k1Backend = defaultSecp256k1,
): Uint8Array {
  return signSegwitInput(tx, 0, fundingScript(localFundingPubkey, remoteFundingPubkey), fundingAmountSat, fundingPrivateKey, SIGHASH_ALL, backend);
}

/** The signed closing transaction (2-of-2 witness in funding-key order). */
export function finalizeClosingTx(tx: Tx, localFundingPubkey: Uint8Array, remoteFundingPubkey: Uint8Array, localSignature: Uint8Array, remoteSignature: Uint8Array): Tx {
  const l = witnessSignature(localSignature);
  const r = witnessSignature(remoteSignature);
  const [a, b] = fundingKeyIsFirst(localFundingPubkey, remoteFundingPubkey) ? [l, r] : [r, l];
  return withWitness(tx, 0, [new Uint8Array(0), a, b, fundingScript(localFundingPubkey, remoteFundingPubkey)]);
}
