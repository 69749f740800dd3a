/** Number of historical buckets over [0, capacity]. */
export const BUCKETS = 32;

/**
 * What the scorer knows about one channel direction. Bounds are kept as
 * offsets (the lower bound from 0, the upper bound from the capacity) so they
 * decay towards "know nothing" by halving, and survive capacity changes.
 */
export interface DirectionLiquidity {
  /** Liquidity is at least this (msat) as of `updatedMs`. */
  minMsat: number;
  /** Liquidity is at most capacity minus this (msat) as of `updatedMs`. */
  maxOffsetMsat: number;
  updatedMs: number;
  /** Weights of observed lower bounds, bucket i = [i/32, (i+1)/32) of capacity. */
  readonly minBuckets: Float64Array;
  /** Weights of observed upper bounds, same buckets. */
  readonly maxBuckets: Float64Array;
  /** When the buckets were last decayed. */
  bucketsUpdatedMs: number;
}

export function newDirectionLiquidity(nowMs: number): DirectionLiquidity {
  return {
    minMsat: 0,
    maxOffsetMsat: 0,
    updatedMs: nowMs,
    minBuckets: new Float64Array(BUCKETS),
    maxBuckets: new Float64Array(BUCKETS),
    bucketsUpdatedMs: nowMs,
  };
}

/** The factor learned bounds keep after `elapsedMs` with the given half-life. */
export function decayFactor(elapsedMs: number, halfLifeMs: number): number {
  if (elapsedMs <= 0) return 1;
  if (halfLifeMs <= 0) return 0;
  return 0.5 ** (elapsedMs / halfLifeMs);
}

/** The current [min, max] liquidity bounds for a capacity, after decay to `nowMs`. */
export function currentBounds(l: DirectionLiquidity, capacityMsat: number, nowMs: number, halfLifeMs: number, out: [number, number]): [number, number] {
  const f = decayFactor(nowMs - l.updatedMs, halfLifeMs);
  let min = l.minMsat * f;
  let max = capacityMsat - l.maxOffsetMsat * f;
  if (min > capacityMsat) min = capacityMsat;
  if (max < 0) max = 0;
  if (max < min) max = min;
  out[0] = min;
  out[1] = max;
  return out;
}

/** Applies the decay up to `nowMs` to the stored offsets (before changing them). */
export function settle(l: DirectionLiquidity, nowMs: number, halfLifeMs: number): void {
  const f = decayFactor(nowMs - l.updatedMs, halfLifeMs);
  l.minMsat *= f;
  l.maxOffsetMsat *= f;
  if (nowMs > l.updatedMs) l.updatedMs = nowMs;
}

/** Decays the historical buckets by time (their own, longer half-life). */
export function settleBuckets(l: DirectionLiquidity, nowMs: number, halfLifeMs: number): void {
  const f = decayFactor(nowMs - l.bucketsUpdatedMs, halfLifeMs);
  if (f !== 1) {
    for (let i = 0; i < BUCKETS; i++) {
      l.minBuckets[i]! *= f;
      l.maxBuckets[i]! *= f;
    }
  }
  if (nowMs > l.bucketsUpdatedMs) l.bucketsUpdatedMs = nowMs;
}

/** Records the current bounds into the historical buckets. */
export function recordBuckets(l: DirectionLiquidity, capacityMsat: number): void {
  if (!(capacityMsat > 0)) return;
  const min = Math.min(capacityMsat, l.minMsat);
  const max = Math.max(0, capacityMsat - l.maxOffsetMsat);
  l.minBuckets[bucketOf(min / capacityMsat)]! += 1;
  l.maxBuckets[bucketOf(max / capacityMsat)]! += 1;
}

function bucketOf(fraction: number): number {
  return Math.min(BUCKETS - 1, Math.max(0, Math.floor(fraction * BUCKETS)));
}

/**
 * The probability that a channel with liquidity uniformly distributed in
 * [min, max] can forward `amount`: 1 at or below min, 0 above max.
 */
export function uniformSuccessProbability(amount: number, min: number, max: number): number {
  if (amount <= min) return 1;
  if (amount >= max) return amount === max && max === min ? 1 : 0;
  return (max - amount) / (max - min);
}

/**
 * The success probability from the historical buckets: the weighted mean, over
 * every pair (lower bucket i <= upper bucket j), of the uniform probability
 * between the two buckets' edges. Undefined when there is no history.
 */
export function historicalSuccessProbability(l: DirectionLiquidity, amountFraction: number): number | undefined {
  let total = 0;
  let acc = 0;
  for (let i = 0; i < BUCKETS; i++) {
    const wi = l.minBuckets[i]!;
    if (wi === 0) continue;
    const lo = i / BUCKETS;
    for (let j = i; j < BUCKETS; j++) {
      const w = wi * l.maxBuckets[j]!;
      if (w === 0) continue;
      total += w;
      acc += w * uniformSuccessProbability(amountFraction, lo, (j + 1) / BUCKETS);
    }
  }
  return total > 1e-9 ? acc / total : undefined;
}
