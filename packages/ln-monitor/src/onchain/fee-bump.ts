import { type ConfirmationTarget, type FeeEstimator, feerateWithFloor } from 'ln-chain-api';
import { feeForWeight } from 'ln-tx';
import {
  HIGH_FREQUENCY_BUMP_INTERVAL,
  INCREMENTAL_RELAY_FEE_SAT_PER_KW,
  LOW_FREQUENCY_BUMP_INTERVAL,
  MIDDLE_FREQUENCY_BUMP_INTERVAL,
  URGENT_DEADLINE_BLOCKS,
} from '../constants.js';

// How claims are priced and re-priced (after LDK's package.rs): the rate the
// estimator gives for the claim's urgency, never lower than what was paid
// before, raised by a quarter when a claim has not confirmed by its bump height,
// and enough above the replaced transaction's fee for BIP 125.

/** The confirmation target of a claim whose earliest deadline is `deadline`. */
export function claimTarget(deadline: number, height: number): ConfirmationTarget {
  return deadline - height <= URGENT_DEADLINE_BLOCKS ? 'urgent_on_chain_sweep' : 'non_anchor_channel_fee';
}

/** The height at which an unconfirmed claim is bumped next: every block near its deadline, every 15 far from it. */
export function nextBumpHeight(deadline: number, height: number): number {
  if (deadline <= height + MIDDLE_FREQUENCY_BUMP_INTERVAL) return height + HIGH_FREQUENCY_BUMP_INTERVAL;
  if (deadline <= height + LOW_FREQUENCY_BUMP_INTERVAL) return height + MIDDLE_FREQUENCY_BUMP_INTERVAL;
  return height + LOW_FREQUENCY_BUMP_INTERVAL;
}

/** The rate for a first broadcast (or a rebuild): the estimate, never below what was paid before. */
export function initialFeerate(estimator: FeeEstimator, target: ConfirmationTarget, previous: number): number {
  return Math.max(previous, feerateWithFloor(estimator, target));
}

/**
 * The rate for a forced bump of a claim of `weight` spending `inputSat`: the estimate
 * if it rose, else the previous rate plus a quarter, and at least the previous fee plus
 * the incremental relay fee (BIP 125 rules 3 and 4). `previous` when even that would
 * leave less than `dustSat` (the claim is rebroadcast as it was).
 */
export function bumpedFeerate(estimator: FeeEstimator, target: ConfirmationTarget, previous: number, weight: number, inputSat: bigint, dustSat: bigint): number {
  const estimate = feerateWithFloor(estimator, target);
  let rate = estimate > previous ? estimate : previous + Math.max(1, Math.floor(previous / 4));
  const minFee = feeForWeight(previous, weight) + feeForWeight(INCREMENTAL_RELAY_FEE_SAT_PER_KW, weight);
  if (feeForWeight(rate, weight) < minFee) rate = Math.ceil((Number(minFee) * 1000) / weight) + 1;
  if (inputSat - feeForWeight(rate, weight) < dustSat) return previous;
  return rate;
}
