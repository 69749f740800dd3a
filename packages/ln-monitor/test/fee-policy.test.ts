// The fee rules of claims (after LDK's package.rs): urgency by deadline, bump
// intervals, BIP 125 increments, never below what was paid, never below dust.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { ConfirmationTarget } from 'ln-chain-api';
import { feeForWeight } from 'ln-tx';
import { bumpedFeerate, claimTarget, initialFeerate, nextBumpHeight } from '../src/onchain/fee-bump.js';

const estimator = (urgent: number, normal: number) => ({ getEstSatPer1000Weight: (t: ConfirmationTarget) => (t === 'urgent_on_chain_sweep' ? urgent : normal) });

describe('claim fee policy', () => {
  it('urgency and bump intervals follow the deadline', () => {
    expect(claimTarget(112, 100)).toBe('urgent_on_chain_sweep');
    expect(claimTarget(113, 100)).toBe('non_anchor_channel_fee');
    expect(nextBumpHeight(103, 100)).toBe(101);
    expect(nextBumpHeight(115, 100)).toBe(103);
    expect(nextBumpHeight(116, 100)).toBe(115);
  });

  it('a first rate is the estimate (floored at 253), never below what was paid', () => {
    expect(initialFeerate(estimator(5000, 100), 'non_anchor_channel_fee', 0)).toBe(253);
    expect(initialFeerate(estimator(5000, 1000), 'urgent_on_chain_sweep', 6000)).toBe(6000);
  });

  it('a bump pays more than before by BIP 125 rules and never leaves dust', () => {
    fc.assert(
      fc.property(fc.integer({ min: 253, max: 50_000 }), fc.integer({ min: 0, max: 60_000 }), fc.integer({ min: 400, max: 4000 }), fc.bigInt({ min: 1_000n, max: 10_000_000n }), (previous, estimate, weight, input) => {
        const rate = bumpedFeerate(estimator(estimate, estimate), 'urgent_on_chain_sweep', previous, weight, input, 330n);
        if (rate === previous) {
          // only when the bump would eat the output
          const wanted = Math.max(estimate, previous + Math.floor(previous / 4));
          expect(input - feeForWeight(wanted, weight) < 330n || input - feeForWeight(previous + 253, weight) < 330n).toBe(true);
          return;
        }
        expect(rate).toBeGreaterThan(previous);
        expect(feeForWeight(rate, weight)).toBeGreaterThanOrEqual(feeForWeight(previous, weight) + feeForWeight(253, weight));
        expect(input - feeForWeight(rate, weight)).toBeGreaterThanOrEqual(330n);
        expect(rate).toBeGreaterThanOrEqual(Math.min(Math.max(estimate, 253), rate));
      }),
      { numRuns: 300 },
    );
  });
});
