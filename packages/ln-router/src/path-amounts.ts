import { forwardingFeeMsat } from './fees.js';
import { stepPolicy, type SearchRequest, type Step, type StepPolicy } from './pathfind.js';
import type { SearchSpace } from './search-space.js';

/** The HTLC amounts and cltv of a fixed path delivering a given amount. */
export interface PathAmounts {
  /** Amount over each step (what its `to` node receives), msat. */
  readonly amounts: number[];
  /** cltv_expiry over each step, blocks above the current height. */
  readonly cltvs: number[];
  /** Total fee of the path, msat. */
  readonly feeMsat: number;
}

const scratch: StepPolicy = {
  feeBaseMsat: 0,
  feeProportionalMillionths: 0,
  cltvExpiryDelta: 0,
  htlcMinimumMsat: 0,
  htlcMaximumMsat: 0,
  limitMsat: 0,
  usedMsat: 0,
};

/**
 * Computes a path's amounts for delivering `deliverMsat`, walking back from
 * the target like the search does, or undefined when a hop cannot carry its
 * amount (htlc min/max, remaining liquidity), or the cltv or fee limit is hit.
 */
export function evaluatePath(space: SearchSpace, steps: readonly Step[], deliverMsat: number, req: SearchRequest): PathAmounts | undefined {
  const amounts = new Array<number>(steps.length);
  const cltvs = new Array<number>(steps.length);
  let a = deliverMsat;
  let c = req.targetCltv;
  let fee = 0;
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!;
    const p = stepPolicy(space, step, req.saturationShift, scratch);
    if (a < p.htlcMinimumMsat || a > p.htlcMaximumMsat || a + p.usedMsat > p.limitMsat) return undefined;
    amounts[i] = a;
    cltvs[i] = c;
    if (step.from !== space.payer) {
      const f = forwardingFeeMsat(p.feeBaseMsat, p.feeProportionalMillionths, a);
      a += f;
      fee += f;
      c += p.cltvExpiryDelta;
    }
  }
  if (c > req.maxCltv || fee > req.feeBudgetMsat) return undefined;
  return { amounts, cltvs, feeMsat: fee };
}

/**
 * The largest amount in [low, high] the path can deliver (low must be
 * deliverable): amounts grow with the delivered amount, so feasibility is
 * monotone except for htlc minimums, which only bind below `low`.
 */
export function largestDeliverable(space: SearchSpace, steps: readonly Step[], low: number, high: number, req: SearchRequest): number {
  if (evaluatePath(space, steps, high, req) !== undefined) return high;
  let ok = low;
  let bad = high;
  while (bad - ok > 1) {
    const mid = Math.floor((ok + bad) / 2);
    if (evaluatePath(space, steps, mid, req) !== undefined) ok = mid;
    else bad = mid;
  }
  return ok;
}

/** Marks the liquidity a chosen path uses. */
export function usePath(space: SearchSpace, steps: readonly Step[], amounts: readonly number[]): void {
  steps.forEach((step, i) => {
    if (step.extra >= 0) space.extraUsed[step.extra]! += amounts[i]!;
    else space.addPublicUsed(step.channel * 2 + step.dir, amounts[i]!);
  });
}
