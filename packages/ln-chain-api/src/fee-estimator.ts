/**
 * What a fee rate is for (LDK's ConfirmationTarget). A {@link FeeEstimator}
 * maps each purpose to a rate; the names say who asks and why.
 *
 * - `maximum_fee_estimate`: the most we would expect anyone to pay soon; the
 *   upper bound ChannelManager accepts for a peer's `update_fee` (with slack).
 * - `urgent_on_chain_sweep`: ChannelMonitor claims with an HTLC deadline or a
 *   justice race; should confirm within a few blocks.
 * - `min_allowed_anchor_channel_remote_fee`: the lowest `update_fee` from a peer
 *   on an anchor channel before we force close (anchors can CPFP, so low).
 * - `min_allowed_non_anchor_channel_remote_fee`: the same without anchors (the
 *   commitment must confirm on its own fee).
 * - `anchor_channel_fee`: the commitment fee we set on anchor channels (kept low;
 *   CPFP adds to it when we need to broadcast).
 * - `non_anchor_channel_fee`: the commitment fee we set on other channels.
 * - `channel_close_minimum`: the floor of cooperative-close fee negotiation.
 * - `output_spending_fee`: sweeping outputs that have no deadline to the wallet.
 */
export type ConfirmationTarget =
  | 'maximum_fee_estimate'
  | 'urgent_on_chain_sweep'
  | 'min_allowed_anchor_channel_remote_fee'
  | 'min_allowed_non_anchor_channel_remote_fee'
  | 'anchor_channel_fee'
  | 'non_anchor_channel_fee'
  | 'channel_close_minimum'
  | 'output_spending_fee';

/** Every confirmation target, for estimators that fill a table. */
export const CONFIRMATION_TARGETS: readonly ConfirmationTarget[] = [
  'maximum_fee_estimate',
  'urgent_on_chain_sweep',
  'min_allowed_anchor_channel_remote_fee',
  'min_allowed_non_anchor_channel_remote_fee',
  'anchor_channel_fee',
  'non_anchor_channel_fee',
  'channel_close_minimum',
  'output_spending_fee',
];

/**
 * The lowest fee rate anyone may use, in sat per 1000 weight: 253 is 1.012
 * sat/vbyte, which rounds up to bitcoind's 1 sat/vbyte relay minimum for any
 * transaction size (253 * 4 / 1000 >= 1).
 */
export const FEERATE_FLOOR_SAT_PER_KW = 253;

/**
 * Fee rates for each purpose, in satoshis per 1000 weight units (LDK's
 * FeeEstimator). Called synchronously by ChannelManager (opening, update_fee,
 * closing) and ChannelMonitor (claims) while they handle a message or a block,
 * so implementations answer from a cache they refresh on their own schedule.
 * Callers clamp answers to {@link FEERATE_FLOOR_SAT_PER_KW} with {@link feerateWithFloor}.
 */
export interface FeeEstimator {
  getEstSatPer1000Weight(target: ConfirmationTarget): number;
}

/** The estimator's answer, raised to the 253 sat/kw floor (and made a whole number). */
export function feerateWithFloor(estimator: FeeEstimator, target: ConfirmationTarget): number {
  const rate = estimator.getEstSatPer1000Weight(target);
  return Number.isFinite(rate) ? Math.max(FEERATE_FLOOR_SAT_PER_KW, Math.ceil(rate)) : FEERATE_FLOOR_SAT_PER_KW;
}
