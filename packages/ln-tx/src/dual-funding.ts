import { TxError } from './errors.js';

// What each side of an interactively built (dual-funded) funding transaction pays for,
// as BOLT 3 Appendix G computes it: every party pays for its own inputs and outputs, the
// opener also for the fields common to the transaction (version, locktime, the input and
// output counts, the segwit marker and flag) and for the funding output it adds.

/** Weight counted for each contributed input's witness at least (BOLT 3 Appendix G "minimum witness weight"). */
export const MIN_CONTRIBUTED_INPUT_WITNESS_WEIGHT = 107;

/** Weight of the common fields the opener pays for: (count of inputs + count of outputs + version + locktime)·4 + marker and flag. */
export const INTERACTIVE_TX_COMMON_WEIGHT = (1 + 1 + 4 + 4) * 4 + 2;

/** One side's share of an interactively built transaction. */
export interface InteractiveContribution {
  /** The opener also pays for the common fields. */
  readonly isOpener: boolean;
  /** Witness weight of each input it adds (each counted at least {@link MIN_CONTRIBUTED_INPUT_WITNESS_WEIGHT} in total). */
  readonly inputWitnessWeights: readonly number[];
  /** Script length of each output it adds (the opener's include the funding output). */
  readonly outputScriptLengths: readonly number[];
}

function varintLength(n: number): number {
  return n < 0xfd ? 1 : n <= 0xffff ? 3 : 5;
}

/**
 * The weight one side pays for: its inputs (41 bytes each without witness), its outputs
 * (8 + length prefix + script), the larger of `inputs·107` and their actual witness weight,
 * and for the opener the common fields.
 * @throws TxError `invalid_parameters` on a negative or non-integer weight or length
 */
export function interactiveTxContributionWeight(c: InteractiveContribution): number {
  for (const n of [...c.inputWitnessWeights, ...c.outputScriptLengths]) {
    if (!Number.isSafeInteger(n) || n < 0) throw new TxError('invalid_parameters', 'weights and script lengths must be non-negative integers');
  }
  const inputs = c.inputWitnessWeights.length * 41 * 4;
  const outputs = c.outputScriptLengths.reduce((w, len) => w + (8 + varintLength(len) + len) * 4, 0);
  const witnesses = Math.max(c.inputWitnessWeights.length * MIN_CONTRIBUTED_INPUT_WITNESS_WEIGHT, c.inputWitnessWeights.reduce((s, w) => s + w, 0));
  return (c.isOpener ? INTERACTIVE_TX_COMMON_WEIGHT : 0) + inputs + outputs + witnesses;
}

/**
 * The fee for a contribution's weight at `feeratePerKw`, rounded up (Appendix G: 609 weight
 * at 253 sat/kw pays 155 sat), so that the joint transaction never falls below the feerate.
 */
export function interactiveTxContributionFee(feeratePerKw: number, weight: number): bigint {
  if (!Number.isSafeInteger(feeratePerKw) || feeratePerKw < 0 || !Number.isSafeInteger(weight) || weight < 0) {
    throw new TxError('invalid_parameters', 'feerate and weight must be non-negative integers');
  }
  return (BigInt(feeratePerKw) * BigInt(weight) + 999n) / 1000n;
}
