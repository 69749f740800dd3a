import { describe, expect, it } from '@jest/globals';
import {
  BOLT5_PENALTY_WEIGHTS,
  SEGWIT_INPUT_BASE_WEIGHT,
  TO_LOCAL_PENALTY_WITNESS_WEIGHT,
  acceptedHtlcPenaltyWitnessWeight,
  buildCommitment,
  buildHtlcTransactions,
  commitmentBaseWeight,
  encodeTx,
  finalizeCommitment,
  finalizeHtlcTx,
  htlcSuccessWeight,
  htlcTimeoutWeight,
  offeredHtlcPenaltyWitnessWeight,
  signCommitment,
  signHtlcAsBroadcaster,
  signHtlcAsCountersignatory,
  txWeight,
  witnessWeight,
  COMMITMENT_WEIGHT_PER_HTLC,
} from '../src/index.js';
import { appendixC, appendixDescription, fixture, localHtlcPriv, preimageFor, remoteHtlcPriv } from './helpers.js';

describe('weights', () => {
  const w = fixture('bolt03-expected-weights.json');
  const byName = Object.fromEntries((w.expected_weights as { name: string; weight: number }[]).map((x) => [x.name, x.weight]));
  it('BOLT 3 expected weights', () => {
    expect(commitmentBaseWeight('static_remotekey')).toBe(byName['Commitment weight (no option_anchors)']);
    expect(commitmentBaseWeight('anchors')).toBe(byName['Commitment weight (option_anchors)']);
    expect(COMMITMENT_WEIGHT_PER_HTLC).toBe(w.expected_weights[0].per_untrimmed_htlc_output);
    expect(htlcTimeoutWeight('static_remotekey')).toBe(byName['HTLC-timeout weight (no option_anchors)']);
    expect(htlcTimeoutWeight('anchors')).toBe(byName['HTLC-timeout weight (option_anchors)']);
    expect(htlcSuccessWeight('static_remotekey')).toBe(byName['HTLC-success weight (no option_anchors)']);
    expect(htlcSuccessWeight('anchors')).toBe(byName['HTLC-success weight (option_anchors)']);
  });
  it('BOLT 5 penalty weights (computed values within the documented 1-byte differences)', () => {
    const p = fixture('bolt05-penalty-weights.json').penalty_weights;
    expect(BOLT5_PENALTY_WEIGHTS.toLocalPenaltyWitness).toBe(p.to_local_penalty_witness);
    expect(BOLT5_PENALTY_WEIGHTS.offeredHtlcPenaltyWitness).toBe(p.offered_htlc_penalty_witness);
    expect(BOLT5_PENALTY_WEIGHTS.acceptedHtlcPenaltyWitness).toBe(p.accepted_htlc_penalty_witness);
    expect(BOLT5_PENALTY_WEIGHTS.toLocalPenaltyInputWeight).toBe(p.to_local_penalty_input_weight);
    expect(BOLT5_PENALTY_WEIGHTS.offeredHtlcPenaltyInputWeight).toBe(p.offered_htlc_penalty_input_weight);
    expect(BOLT5_PENALTY_WEIGHTS.acceptedHtlcPenaltyInputWeight).toBe(p.accepted_htlc_penalty_input_weight);
    expect(offeredHtlcPenaltyWitnessWeight()).toBe(p.offered_htlc_penalty_witness);
    expect(TO_LOCAL_PENALTY_WITNESS_WEIGHT).toBe(p.to_local_penalty_witness + 1);
    expect(acceptedHtlcPenaltyWitnessWeight()).toBe(p.accepted_htlc_penalty_witness + 1);
    expect(SEGWIT_INPUT_BASE_WEIGHT + BOLT5_PENALTY_WEIGHTS.offeredHtlcPenaltyWitness).toBe(p.offered_htlc_penalty_input_weight);
    expect(witnessWeight([73, 33, 133])).toBe(243);
  });
  it('real signed transactions never weigh more than the fee weights (signatures may be 71-72 bytes)', () => {
    for (const format of ['static_remotekey', 'anchors'] as const) {
      const built = buildCommitment(appendixDescription(format, 6_988_000_000n, 3_000_000_000n, 0, 546n));
      const signed = finalizeCommitment(built, signCommitment(built, appendixC.localFundingPriv), signCommitment(built, appendixC.remoteFundingPriv));
      expect(txWeight(signed)).toBeLessThanOrEqual(commitmentBaseWeight(format) + COMMITMENT_WEIGHT_PER_HTLC * built.htlcOutputs.length);
      for (const h of buildHtlcTransactions(built)) {
        const pre = h.kind === 'success' ? preimageFor(built.description.htlcs[h.htlcIndex]!.paymentHash) : undefined;
        const tx = finalizeHtlcTx(h, signHtlcAsBroadcaster(h, localHtlcPriv), signHtlcAsCountersignatory(h, remoteHtlcPriv), pre);
        expect(txWeight(tx)).toBeLessThanOrEqual(h.kind === 'success' ? htlcSuccessWeight(format) : htlcTimeoutWeight(format));
        expect(encodeTx(tx).length).toBeGreaterThan(0);
      }
    }
  });
});
