import type { Secp256k1Backend } from 'ln-crypto';
import type { ChannelSigner } from 'ln-signer-api';
import { outPoint } from 'ln-types';
import { type Tx, buildSweepTx, sweepTransactionWeight, withWitness } from 'ln-tx';
import { CLAIM_DUST_LIMIT_SAT } from '../constants.js';
import type { MonitorState } from '../monitor/state.js';
import { type ClaimInputSpec, signClaimInput } from './claim-input.js';

// A claim transaction we build ourselves: every input of a package, one output
// to the destination script, the fee for its signed weight at the package's rate.

/** The weight a claim of these inputs will have once signed. */
export function claimWeight(state: MonitorState, inputs: readonly ClaimInputSpec[]): number {
  return sweepTransactionWeight(inputs.map((i) => i.witnessWeight), [state.destinationScript.length]);
}

/** The value a claim spends. */
export function claimInputSat(inputs: readonly ClaimInputSpec[]): bigint {
  return inputs.reduce((s, i) => s + i.output.amountSat, 0n);
}

/**
 * Builds and signs the claim of `inputs` at `feerate`.
 * @throws TxError `insufficient_funds` when the fee leaves less than dust
 */
export async function buildSignedClaim(
  state: MonitorState,
  signer: ChannelSigner,
  inputs: readonly ClaimInputSpec[],
  feerate: number,
  backend: Secp256k1Backend,
): Promise<Tx> {
  const locktime = inputs.reduce((l, i) => Math.max(l, i.locktime), 0);
  const unsigned = buildSweepTx(
    inputs.map((i) => ({ input: { previousOutput: outPoint(i.output.outpoint.txid, i.output.outpoint.index), sequence: i.sequence }, amountSat: i.output.amountSat, witnessWeight: i.witnessWeight })),
    state.destinationScript,
    feerate,
    CLAIM_DUST_LIMIT_SAT,
    locktime,
  );
  let signed = unsigned;
  for (const [index, input] of inputs.entries()) {
    signed = withWitness(signed, index, await signClaimInput(state, signer, input, unsigned, index, backend));
  }
  return signed;
}
