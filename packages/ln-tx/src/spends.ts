import { TxError } from './errors.js';
import { witnessSignature } from './sign.js';
import { SIGHASH_ALL, type Tx, type TxInput, type TxOutput } from './tx.js';
import { feeForWeight, sweepTransactionWeight } from './weights.js';

// Witness stacks for every way a commitment output is spent (BOLT 3 / BOLT 5).
// Signatures are compact (64 bytes); the DER + sighash item is made here.

const EMPTY = new Uint8Array(0);

/** to_local (or an HTLC transaction's output) after its CSV delay: `<delayed_sig> <> <script>`. */
export function toLocalDelayedWitness(signature: Uint8Array, witnessScript: Uint8Array): Uint8Array[] {
  return [witnessSignature(signature), EMPTY, witnessScript];
}

/** to_local (or an HTLC transaction's output) with the revocation key: `<revocation_sig> 1 <script>`. */
export function toLocalRevocationWitness(signature: Uint8Array, witnessScript: Uint8Array): Uint8Array[] {
  return [witnessSignature(signature), Uint8Array.of(1), witnessScript];
}

/** An HTLC output with the revocation key: `<revocation_sig> <revocationpubkey> <script>`. */
export function htlcRevocationWitness(signature: Uint8Array, revocationPubkey: Uint8Array, witnessScript: Uint8Array): Uint8Array[] {
  return [witnessSignature(signature), revocationPubkey, witnessScript];
}

/** The countersignatory claims an HTLC the broadcaster offered, with the preimage: `<remotehtlcsig> <preimage> <script>`. */
export function offeredHtlcPreimageWitness(signature: Uint8Array, preimage: Uint8Array, witnessScript: Uint8Array): Uint8Array[] {
  if (preimage.length !== 32) throw new TxError('invalid_parameters', 'preimage must be 32 bytes');
  return [witnessSignature(signature), preimage, witnessScript];
}

/** The countersignatory takes back an HTLC the broadcaster received, after cltv_expiry: `<remotehtlcsig> <> <script>`. */
export function receivedHtlcTimeoutWitness(signature: Uint8Array, witnessScript: Uint8Array): Uint8Array[] {
  return [witnessSignature(signature), EMPTY, witnessScript];
}

/** A P2WPKH to_remote: `<sig> <pubkey>`. */
export function p2wpkhWitness(signature: Uint8Array, publicKey: Uint8Array): Uint8Array[] {
  return [witnessSignature(signature), publicKey];
}

/** An anchors to_remote (after 1 block): `<sig> <script>`. */
export function toRemoteAnchorsWitness(signature: Uint8Array, witnessScript: Uint8Array): Uint8Array[] {
  return [witnessSignature(signature), witnessScript];
}

/** An anchor output: with the funding key `<sig> <script>`, or by anyone after 16 blocks `<> <script>`. */
export function anchorWitness(signature: Uint8Array | undefined, witnessScript: Uint8Array): Uint8Array[] {
  return [signature === undefined ? EMPTY : witnessSignature(signature, SIGHASH_ALL), witnessScript];
}

/** One input of a sweep: what it spends and the weight its witness will have. */
export interface SweepInput {
  readonly input: TxInput;
  readonly amountSat: bigint;
  readonly witnessWeight: number;
}

/**
 * A transaction sweeping inputs to one script, paying `feeratePerKw` for its
 * final (signed) weight. Version 2 so that CSV-delayed inputs are valid.
 * @throws TxError `insufficient_funds` if the fee would leave less than `dustLimitSat`
 */
export function buildSweepTx(inputs: readonly SweepInput[], destination: Uint8Array, feeratePerKw: number, dustLimitSat: bigint, locktime = 0): Tx {
  if (inputs.length === 0) throw new TxError('invalid_parameters', 'nothing to sweep');
  const weight = sweepTransactionWeight(inputs.map((i) => i.witnessWeight), [destination.length]);
  const total = inputs.reduce((s, i) => s + i.amountSat, 0n);
  const fee = feeForWeight(feeratePerKw, weight);
  if (total - fee < dustLimitSat) throw new TxError('insufficient_funds', 'sweep output would be below dust after fees');
  const output: TxOutput = { script: destination, amount: total - fee };
  return { version: 2, locktime, inputs: inputs.map((i) => i.input), outputs: [output] };
}
