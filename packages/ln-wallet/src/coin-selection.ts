import { WalletError } from './errors.js';
import { feeForWeightCeil } from './fees.js';

/** A coin that may be spent: its value and the weight of the whole input that spends it. */
export interface CoinCandidate {
  readonly value: bigint;
  readonly weight: number;
}

/** What a transaction must pay and what it costs, for {@link selectCoins}. */
export interface SelectionRequest<C extends CoinCandidate> {
  /** Coins that may be added. */
  readonly candidates: readonly C[];
  /** Coins that must be spent (a replacement's original inputs). */
  readonly required?: readonly C[];
  /** Sum of the payment outputs. */
  readonly target: bigint;
  /**
   * Weight of the transaction without inputs and without the change output
   * (version, locktime, segwit marker, counts with a one-byte input count, the payment outputs).
   */
  readonly baseWeight: number;
  /** Target fee rate, sat per 1000 weight. */
  readonly feeratePerKw: number;
  /** The rate the wallet expects to pay later, used to weigh creating change against dropping the excess (default: `feeratePerKw`). */
  readonly longTermFeeratePerKw?: number;
  /** Weight of the change output. */
  readonly changeWeight: number;
  /** Weight of the input that will one day spend the change. */
  readonly changeSpendWeight: number;
  /** Smallest change worth creating (the change script's dust limit at least). */
  readonly minChange: bigint;
  /** Branch and bound's search budget (default 100,000 steps). */
  readonly maxTries?: number;
}

/** A chosen set of coins. */
export interface Selection<C extends CoinCandidate> {
  /** The coins to spend (required ones first). */
  readonly selected: C[];
  /** Change to create (0n: no change output; the excess went to the fee). */
  readonly change: bigint;
  /** Total fee: inputs minus payments minus change. */
  readonly fee: bigint;
  /** The transaction's weight with largest signatures (counts, change output included). */
  readonly weight: number;
  /** Which algorithm found it: `bnb` (changeless, least waste), or a fallback. */
  readonly algorithm: 'bnb' | 'single_coin' | 'largest_first';
}

interface Pool<C> {
  coin: C;
  eff: number;
  waste: number;
}

const MAX_TRIES = 100_000;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Chooses coins to pay `target` plus the fee at `feeratePerKw`.
 *
 * First branch and bound (as in Bitcoin Core, after Murch): a depth-first search
 * over coins by descending effective value (value less the fee of spending it) for
 * a set whose effective value lands between the target and the target plus the cost
 * of change (creating it now and spending it later); such a set needs no change and
 * the small excess goes to the fee. Among those it keeps the least wasteful one.
 * When none exists, the cheaper (by waste) of the smallest single coin that covers
 * the target with change, and the largest coins first until the target with change
 * is covered. Change smaller than `minChange` is never made: it goes to the fee.
 *
 * Fees are per-part ceilings of the exact rate, so the fee is never below
 * `feeratePerKw` times the final weight.
 * @throws WalletError `insufficient_funds` when no set of coins can pay; `invalid_amount` for values beyond 21 million BTC
 */
export function selectCoins<C extends CoinCandidate>(request: SelectionRequest<C>): Selection<C> {
  const first = selectOnce(request, 0);
  // Past 252 inputs the input count takes three bytes instead of one.
  if (first.selected.length < 0xfd) return first;
  return selectOnce(request, 8);
}

function selectOnce<C extends CoinCandidate>(request: SelectionRequest<C>, extraWeight: number): Selection<C> {
  const rate = request.feeratePerKw;
  const longTerm = request.longTermFeeratePerKw ?? rate;
  const baseWeight = request.baseWeight + extraWeight;
  const required = request.required ?? [];
  const pool = (c: C): Pool<C> => {
    const value = toNumber(c.value);
    const fee = feeForWeightCeil(rate, c.weight);
    return { coin: c, eff: value - fee, waste: fee - feeForWeightCeil(longTerm, c.weight) };
  };
  const req = required.map(pool);
  const reqEff = req.reduce((s, p) => s + p.eff, 0);
  const reqWaste = req.reduce((s, p) => s + p.waste, 0);
  const reqWeight = required.reduce((s, c) => s + c.weight, 0);
  const changeFee = feeForWeightCeil(rate, request.changeWeight);
  const costOfChange = changeFee + feeForWeightCeil(longTerm, request.changeSpendWeight);
  const minChange = toNumber(request.minChange);
  const target = toNumber(request.target);
  // What the optional coins must bring, in effective value, for a changeless transaction.
  const need = target + feeForWeightCeil(rate, baseWeight) - reqEff;
  const coins = request.candidates.map(pool).filter((p) => p.eff > 0);
  coins.sort((a, b) => b.eff - a.eff || a.waste - b.waste);

  const finish = (chosen: Pool<C>[], withChange: boolean, algorithm: Selection<C>['algorithm']): Selection<C> => {
    const eff = chosen.reduce((s, p) => s + p.eff, 0);
    const excess = eff - need;
    const change = withChange ? excess - changeFee : 0;
    const inValue = [...required, ...chosen.map((p) => p.coin)].reduce((s, c) => s + c.value, 0n);
    const weight = baseWeight + reqWeight + chosen.reduce((s, p) => s + p.coin.weight, 0) + (withChange ? request.changeWeight : 0);
    const fee = inValue - request.target - BigInt(change);
    return { selected: [...required, ...chosen.map((p) => p.coin)], change: BigInt(change), fee, weight, algorithm };
  };

  const bnb = branchAndBound(coins, need, costOfChange, rate > longTerm, request.maxTries ?? MAX_TRIES);
  if (bnb !== undefined) return finish(bnb, false, 'bnb');

  const withChange = need + changeFee + minChange;
  const options: { chosen: Pool<C>[]; waste: number; algorithm: Selection<C>['algorithm'] }[] = [];
  // The smallest coin that alone pays with change.
  let single: Pool<C> | undefined;
  for (const p of coins) if (p.eff >= withChange) single = p;
  if (withChange <= 0) options.push({ chosen: [], waste: reqWaste + costOfChange, algorithm: 'largest_first' });
  else if (single !== undefined) options.push({ chosen: [single], waste: reqWaste + single.waste + costOfChange, algorithm: 'single_coin' });
  let sum = 0;
  let waste = reqWaste;
  const accumulated: Pool<C>[] = [];
  for (const p of coins) {
    if (sum >= withChange) break;
    accumulated.push(p);
    sum += p.eff;
    waste += p.waste;
  }
  if (sum >= withChange && accumulated.length > 0) options.push({ chosen: accumulated, waste: waste + costOfChange, algorithm: 'largest_first' });
  if (options.length > 0) {
    options.sort((a, b) => a.waste - b.waste || a.chosen.length - b.chosen.length);
    const best = options[0]!;
    return finish(best.chosen, true, best.algorithm);
  }
  // Everything together covers the payment but not a change output worth making: the rest is fee.
  if (sum >= need) return finish(accumulated, false, 'largest_first');
  throw new WalletError('insufficient_funds', `coins worth ${sum + reqEff} sat after their spending fees cannot pay ${target} sat plus ${feeForWeightCeil(rate, baseWeight)} sat of fee`);
}

/**
 * Depth-first search for a subset of `coins` (sorted by descending effective value)
 * whose effective value is within [need, need + costOfChange], least waste first.
 * Includes before it excludes; cuts a branch that can no longer reach `need`, that
 * overshoots the window, or (when fees are above the long-term rate, so each input
 * only adds waste) that is already more wasteful than the best solution.
 */
function branchAndBound<C>(coins: readonly Pool<C>[], need: number, costOfChange: number, feesAreHigh: boolean, maxTries: number): Pool<C>[] | undefined {
  const n = coins.length;
  const upper = need + costOfChange;
  const remainingAfter = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) remainingAfter[i] = remainingAfter[i + 1]! + coins[i]!.eff;
  if (remainingAfter[0]! < need) return undefined;
  const selected: number[] = [];
  let best: number[] | undefined;
  let bestWaste = Infinity;
  let value = 0;
  let waste = 0;
  let next = 0;
  for (let tries = 0; tries < maxTries; tries++) {
    let backtrack = false;
    if (value + remainingAfter[next]! < need || value > upper || (feesAreHigh && waste > bestWaste)) {
      backtrack = true;
    } else if (value >= need) {
      const total = waste + (value - need);
      if (total <= bestWaste) {
        bestWaste = total;
        best = selected.slice();
      }
      backtrack = true;
    }
    if (backtrack) {
      const last = selected.pop();
      if (last === undefined) break;
      value -= coins[last]!.eff;
      waste -= coins[last]!.waste;
      // Explore the branch without `last`; coins equal to it would repeat that branch.
      next = last + 1;
      while (next < n && coins[next]!.eff === coins[last]!.eff && coins[next]!.waste === coins[last]!.waste) next++;
      continue;
    }
    if (next >= n) {
      // Nothing left to include (unreachable: the first test catches it), kept for safety.
      const last = selected.pop();
      if (last === undefined) break;
      value -= coins[last]!.eff;
      waste -= coins[last]!.waste;
      next = last + 1;
      continue;
    }
    selected.push(next);
    value += coins[next]!.eff;
    waste += coins[next]!.waste;
    next++;
  }
  return best?.map((i) => coins[i]!);
}

function toNumber(value: bigint): number {
  if (value < 0n || value > 2_100_000_000_000_000n) throw new WalletError('invalid_amount', `${value} sat is not an amount`);
  const n = Number(value);
  if (n > MAX_SAFE) throw new WalletError('invalid_amount', 'amount too large');
  return n;
}
