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
  let reqEff = 0;
  let reqWaste = 0;
  let reqWeight = 0;
  for (const c of required) {
    const fee = feeForWeightCeil(rate, c.weight);
    reqEff += toNumber(c.value) - fee;
    reqWaste += fee - feeForWeightCeil(longTerm, c.weight);
    reqWeight += c.weight;
  }
  const changeFee = feeForWeightCeil(rate, request.changeWeight);
  const costOfChange = changeFee + feeForWeightCeil(longTerm, request.changeSpendWeight);
  const minChange = toNumber(request.minChange);
  const target = toNumber(request.target);
  // What the optional coins must bring, in effective value, for a changeless transaction.
  const need = target + feeForWeightCeil(rate, baseWeight) - reqEff;

  // Effective values and waste in flat arrays, coins worth spending sorted by descending
  // effective value (then ascending waste): the search below touches nothing else.
  const candidates = request.candidates;
  const total = candidates.length;
  const effOf = new Float64Array(total);
  const wasteOf = new Float64Array(total);
  const order = new Uint32Array(total);
  let n = 0;
  for (let i = 0; i < total; i++) {
    const c = candidates[i]!;
    const fee = feeForWeightCeil(rate, c.weight);
    const eff = toNumber(c.value) - fee;
    effOf[i] = eff;
    wasteOf[i] = fee - feeForWeightCeil(longTerm, c.weight);
    if (eff > 0) order[n++] = i;
  }
  const sorted = sortByValueDescending(order.subarray(0, n), effOf, wasteOf);
  const eff = new Float64Array(n);
  const waste = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    eff[k] = effOf[sorted[k]!]!;
    waste[k] = wasteOf[sorted[k]!]!;
  }

  const finish = (chosen: ArrayLike<number>, withChange: boolean, algorithm: Selection<C>['algorithm']): Selection<C> => {
    const selected = [...required];
    let chosenEff = 0;
    let weight = baseWeight + reqWeight + (withChange ? request.changeWeight : 0);
    let inValue = required.reduce((s, c) => s + c.value, 0n);
    for (let k = 0; k < chosen.length; k++) {
      const coin = candidates[sorted[chosen[k]!]!]!;
      selected.push(coin);
      chosenEff += eff[chosen[k]!]!;
      weight += coin.weight;
      inValue += coin.value;
    }
    const change = withChange ? chosenEff - need - changeFee : 0;
    return { selected, change: BigInt(change), fee: inValue - request.target - BigInt(change), weight, algorithm };
  };

  const bnb = branchAndBound(eff, waste, need, costOfChange, rate > longTerm, request.maxTries ?? MAX_TRIES);
  if (bnb !== undefined) return finish(bnb, false, 'bnb');

  const withChange = need + changeFee + minChange;
  const options: { chosen: number[]; waste: number; algorithm: Selection<C>['algorithm'] }[] = [];
  if (withChange <= 0) {
    options.push({ chosen: [], waste: reqWaste + costOfChange, algorithm: 'largest_first' });
  } else {
    // The smallest coin that alone pays with change (coins are sorted by descending value).
    let single = -1;
    for (let k = 0; k < n && eff[k]! >= withChange; k++) single = k;
    if (single >= 0) options.push({ chosen: [single], waste: reqWaste + waste[single]! + costOfChange, algorithm: 'single_coin' });
  }
  let sum = 0;
  let accumulatedWaste = reqWaste;
  const accumulated: number[] = [];
  for (let k = 0; k < n && sum < withChange; k++) {
    accumulated.push(k);
    sum += eff[k]!;
    accumulatedWaste += waste[k]!;
  }
  if (sum >= withChange && accumulated.length > 0) options.push({ chosen: accumulated, waste: accumulatedWaste + costOfChange, algorithm: 'largest_first' });
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
 * Depth-first search for a subset of the coins (effective values `eff`, sorted
 * descending) whose effective value is within [need, need + costOfChange], least
 * waste first. Includes before it excludes; cuts a branch that can no longer reach
 * `need`, that overshoots the window, or (when fees are above the long-term rate,
 * so each input only adds waste) that is already more wasteful than the best
 * solution. Returns the chosen positions, or `undefined`.
 */
function branchAndBound(eff: Float64Array, waste: Float64Array, need: number, costOfChange: number, feesAreHigh: boolean, maxTries: number): Int32Array | undefined {
  const n = eff.length;
  const upper = need + costOfChange;
  const remainingAfter = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) remainingAfter[i] = remainingAfter[i + 1]! + eff[i]!;
  if (remainingAfter[0]! < need) return undefined;
  const stack = new Int32Array(n);
  let depth = 0;
  let best: Int32Array | undefined;
  let bestWaste = Infinity;
  let value = 0;
  let currentWaste = 0;
  let next = 0;
  for (let tries = 0; tries < maxTries; tries++) {
    let backtrack = false;
    if (value + remainingAfter[next]! < need || value > upper || (feesAreHigh && currentWaste > bestWaste)) {
      backtrack = true;
    } else if (value >= need) {
      const total = currentWaste + (value - need);
      if (total < bestWaste) {
        bestWaste = total;
        best = stack.slice(0, depth);
      }
      backtrack = true;
    } else if (next >= n) {
      backtrack = true;
    }
    if (backtrack) {
      if (depth === 0) break;
      const last = stack[--depth]!;
      value -= eff[last]!;
      currentWaste -= waste[last]!;
      // Explore the branch without `last`; coins equal to it would repeat that branch.
      next = last + 1;
      while (next < n && eff[next] === eff[last] && waste[next] === waste[last]) next++;
      continue;
    }
    stack[depth++] = next;
    value += eff[next]!;
    currentWaste += waste[next]!;
    next++;
  }
  return best;
}

const RADIX_BITS = 13;
const RADIX = 1 << RADIX_BITS;
const LOW = 2 ** 26;

/**
 * Coin positions ordered by descending effective value, equal values by ascending
 * waste. Effective values are whole numbers below 2^51, so an LSD radix sort (four
 * 13-bit digits, a digit skipped when every coin shares it) orders thousands of
 * coins several times faster than a comparison sort.
 */
function sortByValueDescending(positions: Uint32Array, eff: Float64Array, waste: Float64Array): Uint32Array {
  const n = positions.length;
  // Each value as two 26-bit halves, computed once (the passes then use integer operations only).
  const low = new Uint32Array(eff.length);
  const high = new Uint32Array(eff.length);
  for (let i = 0; i < n; i++) {
    const p = positions[i]!;
    const h = Math.floor(eff[p]! / LOW);
    high[p] = h;
    low[p] = eff[p]! - h * LOW;
  }
  let src: Uint32Array = positions;
  let dst: Uint32Array = new Uint32Array(n);
  const counts = new Uint32Array(RADIX);
  const mask = RADIX - 1;
  for (let pass = 0; pass < 4; pass++) {
    const half = pass < 2 ? low : high;
    const shift = RADIX_BITS * (pass & 1);
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(half[src[i]!]! >>> shift) & mask]!++;
    if (n === 0 || counts[(half[src[0]!]! >>> shift) & mask] === n) continue;
    // Descending: the largest digit first.
    let at = 0;
    for (let d = mask; d >= 0; d--) {
      const c = counts[d]!;
      counts[d] = at;
      at += c;
    }
    for (let i = 0; i < n; i++) {
      const p = src[i]!;
      dst[counts[(half[p]! >>> shift) & mask]!++] = p;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  // Runs of equal value: ascending waste (insertion sort; such runs are short).
  for (let i = 1; i < n; i++) {
    const p = src[i]!;
    let j = i - 1;
    while (j >= 0 && eff[src[j]!] === eff[p] && waste[src[j]!]! > waste[p]!) {
      src[j + 1] = src[j]!;
      j--;
    }
    src[j + 1] = p;
  }
  return src;
}

function toNumber(value: bigint): number {
  const n = Number(value);
  // Number() of a bigint beyond 2^53 rounds; 21 million BTC is far below that.
  if (!(n >= 0 && n <= 2_100_000_000_000_000)) throw new WalletError('invalid_amount', `${value} sat is not an amount`);
  if (n > MAX_SAFE) throw new WalletError('invalid_amount', 'amount too large');
  return n;
}
