import * as ldk from 'lightningdevkit';
import { LdkNodeError } from './errors.js';

/**
 * What a fee rate is for: LDK's ConfirmationTarget under the names ln-chain-api
 * uses (the same string union; this tool does not import ln-chain-api so that
 * packages below it, ln-wire say, can use the tool in their tests).
 */
export type FeeTarget =
  | 'maximum_fee_estimate'
  | 'urgent_on_chain_sweep'
  | 'min_allowed_anchor_channel_remote_fee'
  | 'min_allowed_non_anchor_channel_remote_fee'
  | 'anchor_channel_fee'
  | 'non_anchor_channel_fee'
  | 'channel_close_minimum'
  | 'output_spending_fee';

/** The lowest rate LDK (and bitcoind's relay) accepts: 253 sat per 1000 weight. */
export const FEERATE_FLOOR_SAT_PER_KW = 253;

const TARGET_OF: Record<number, FeeTarget> = {
  [ldk.ConfirmationTarget.LDKConfirmationTarget_MaximumFeeEstimate]: 'maximum_fee_estimate',
  [ldk.ConfirmationTarget.LDKConfirmationTarget_UrgentOnChainSweep]: 'urgent_on_chain_sweep',
  [ldk.ConfirmationTarget.LDKConfirmationTarget_MinAllowedAnchorChannelRemoteFee]: 'min_allowed_anchor_channel_remote_fee',
  [ldk.ConfirmationTarget.LDKConfirmationTarget_MinAllowedNonAnchorChannelRemoteFee]: 'min_allowed_non_anchor_channel_remote_fee',
  [ldk.ConfirmationTarget.LDKConfirmationTarget_AnchorChannelFee]: 'anchor_channel_fee',
  [ldk.ConfirmationTarget.LDKConfirmationTarget_NonAnchorChannelFee]: 'non_anchor_channel_fee',
  [ldk.ConfirmationTarget.LDKConfirmationTarget_ChannelCloseMinimum]: 'channel_close_minimum',
  [ldk.ConfirmationTarget.LDKConfirmationTarget_OutputSpendingFee]: 'output_spending_fee',
};
const TARGETS = Object.values(TARGET_OF);

/**
 * Fee rates (sat per 1000 weight) LDK asks for, one per ConfirmationTarget (the
 * names of ln-chain-api). Tests set them; LDK reads them synchronously whenever it
 * builds or checks a transaction or an `update_fee`.
 */
export class SettableFees {
  readonly estimator: ldk.FeeEstimator;
  private readonly rates = new Map<FeeTarget, number>();

  constructor(initial: number | Partial<Record<FeeTarget, number>> = FEERATE_FLOOR_SAT_PER_KW) {
    this.set(initial);
    this.estimator = ldk.FeeEstimator.new_impl({
      get_est_sat_per_1000_weight: (target: ldk.ConfirmationTarget) => this.get(TARGET_OF[target] ?? 'maximum_fee_estimate'),
    });
  }

  /** Sets every target to one rate, or the named targets to theirs. Rates below 253 are raised to 253. */
  set(rates: number | Partial<Record<FeeTarget, number>>): void {
    for (const target of TARGETS) {
      const rate = typeof rates === 'number' ? rates : rates[target];
      if (rate === undefined) continue;
      if (!Number.isFinite(rate) || rate < 0) throw new LdkNodeError('invalid_argument', `fee rate ${rate} for ${target}`);
      this.rates.set(target, Math.max(FEERATE_FLOOR_SAT_PER_KW, Math.ceil(rate)));
    }
  }

  get(target: FeeTarget): number {
    return this.rates.get(target) ?? FEERATE_FLOOR_SAT_PER_KW;
  }
}
