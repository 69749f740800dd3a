import { CONFIRMATION_TARGETS, type ConfirmationTarget, FEERATE_FLOOR_SAT_PER_KW, type FeeEstimator } from 'ln-chain-api';
import { type Logger, isLogEnabled, silentLogger } from 'ln-types';
import { type ChainSourceError, asChainSourceError } from '../errors.js';
import type { CallOptions, FeeRateSource } from '../source-types.js';

/** Blocks to confirm within, per purpose (the defaults of LDK Node). */
export const DEFAULT_CONF_TARGETS: Readonly<Record<ConfirmationTarget, number>> = {
  maximum_fee_estimate: 1,
  urgent_on_chain_sweep: 6,
  min_allowed_anchor_channel_remote_fee: 1008,
  min_allowed_non_anchor_channel_remote_fee: 144,
  anchor_channel_fee: 1008,
  non_anchor_channel_fee: 12,
  channel_close_minimum: 144,
  output_spending_fee: 12,
};

/**
 * Rates in sat per 1000 weight used while the source has never answered for a
 * purpose: high where paying too little risks funds (claims, the ceiling for a
 * peer's update_fee), the floor where paying too little only delays.
 */
export const DEFAULT_FALLBACK_FEERATES: Readonly<Record<ConfirmationTarget, number>> = {
  maximum_fee_estimate: 25_000,
  urgent_on_chain_sweep: 5_000,
  min_allowed_anchor_channel_remote_fee: FEERATE_FLOOR_SAT_PER_KW,
  min_allowed_non_anchor_channel_remote_fee: FEERATE_FLOOR_SAT_PER_KW,
  anchor_channel_fee: 500,
  non_anchor_channel_fee: 2_000,
  channel_close_minimum: FEERATE_FLOOR_SAT_PER_KW,
  output_spending_fee: 1_000,
};

// The lower bounds we accept from a peer get slack below the estimate (as LDK Node does),
// so normal fluctuation between two nodes' estimators does not close channels.
const REMOTE_FEE_SLACK: Partial<Record<ConfirmationTarget, number>> = {
  min_allowed_anchor_channel_remote_fee: 250,
  min_allowed_non_anchor_channel_remote_fee: 250,
};

/** Options of {@link CachingFeeEstimator}. */
export interface CachingFeeEstimatorOptions {
  /** Confirmation targets in blocks per purpose (defaults: {@link DEFAULT_CONF_TARGETS}). */
  readonly confTargets?: Partial<Record<ConfirmationTarget, number>>;
  /** Rates used before the source has answered for a purpose (defaults: {@link DEFAULT_FALLBACK_FEERATES}). */
  readonly fallbacks?: Partial<Record<ConfirmationTarget, number>>;
  /** Highest rate ever answered, in sat/kw (default 250,000 = 1,000 sat/vB), against a source quoting absurd fees. */
  readonly maxFeeRateSatPerKw?: number;
  readonly logger?: Logger;
}

/** What a refresh did. */
export interface FeeRefreshResult {
  /** Purposes whose rate now comes from the source's answer. */
  readonly updated: readonly ConfirmationTarget[];
  /** Purposes the source had no estimate for: they keep their last rate, or the fallback. */
  readonly unchanged: readonly ConfirmationTarget[];
  /** Why the source could not be asked at all (every purpose is then unchanged). */
  readonly error?: ChainSourceError;
}

const MODULE = 'ln-chain-source/fee-estimator';

/**
 * A FeeEstimator answering at once from a table that {@link refresh} fills
 * from a {@link FeeRateSource} (bitcoind's `estimatesmartfee`, Esplora's
 * `/fee-estimates`). The application calls `refresh()` on a timer. A purpose
 * the source has no estimate for keeps its last rate, or its fallback; a
 * failed refresh keeps the whole table. Answers are whole numbers, never below
 * 253 sat/kw nor above the cap.
 */
export class CachingFeeEstimator implements FeeEstimator {
  readonly #source: FeeRateSource;
  readonly #targets: Readonly<Record<ConfirmationTarget, number>>;
  readonly #max: number;
  readonly #logger: Logger;
  readonly #rates = new Map<ConfirmationTarget, number>();
  #refreshed = false;

  constructor(source: FeeRateSource, options: CachingFeeEstimatorOptions = {}) {
    this.#source = source;
    this.#targets = { ...DEFAULT_CONF_TARGETS, ...options.confTargets };
    this.#max = Math.max(FEERATE_FLOOR_SAT_PER_KW, options.maxFeeRateSatPerKw ?? 250_000);
    this.#logger = options.logger ?? silentLogger;
    const fallbacks = { ...DEFAULT_FALLBACK_FEERATES, ...options.fallbacks };
    for (const t of CONFIRMATION_TARGETS) this.#rates.set(t, this.#clamp(fallbacks[t]));
    for (const t of CONFIRMATION_TARGETS) {
      const blocks = this.#targets[t];
      if (!Number.isInteger(blocks) || blocks < 1) throw new RangeError(`confirmation target for ${t} must be a positive whole number of blocks`);
    }
  }

  /** True once a refresh has had an answer from the source. */
  get hasEstimates(): boolean {
    return this.#refreshed;
  }

  getEstSatPer1000Weight(target: ConfirmationTarget): number {
    return this.#rates.get(target) ?? FEERATE_FLOOR_SAT_PER_KW;
  }

  /** Asks the source for every purpose's target at once and updates the table. Never rejects: a failure is in the result and the log. */
  async refresh(options: CallOptions = {}): Promise<FeeRefreshResult> {
    const blocks = [...new Set(CONFIRMATION_TARGETS.map((t) => this.#targets[t]))];
    let answer: ReadonlyMap<number, number>;
    try {
      answer = await this.#source.estimateFeeRates(blocks, options);
    } catch (cause) {
      const error = asChainSourceError(cause, 'unreachable', 'fee source failed');
      if (isLogEnabled(this.#logger, 'warn')) this.#logger.log({ level: 'warn', module: MODULE, message: 'fee estimates unavailable: keeping the last rates', fields: { error: error.message, code: error.code } });
      return { updated: [], unchanged: CONFIRMATION_TARGETS, error };
    }
    const updated: ConfirmationTarget[] = [];
    const unchanged: ConfirmationTarget[] = [];
    for (const t of CONFIRMATION_TARGETS) {
      const rate = answer.get(this.#targets[t]);
      if (rate === undefined || !Number.isFinite(rate) || rate <= 0) {
        unchanged.push(t);
        continue;
      }
      this.#rates.set(t, this.#clamp(rate - (REMOTE_FEE_SLACK[t] ?? 0)));
      updated.push(t);
    }
    if (updated.length > 0) this.#refreshed = true;
    if (unchanged.length > 0 && isLogEnabled(this.#logger, 'debug')) this.#logger.log({ level: 'debug', module: MODULE, message: 'no estimate for some purposes', fields: { unchanged } });
    return { updated, unchanged };
  }

  #clamp(rate: number): number {
    if (!Number.isFinite(rate)) return FEERATE_FLOOR_SAT_PER_KW;
    return Math.min(this.#max, Math.max(FEERATE_FLOOR_SAT_PER_KW, Math.ceil(rate)));
  }
}
