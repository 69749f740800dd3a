// Coin selection properties: never overspends, the fee is at least the target
// rate for the transaction's weight, change is never dust, and branch and bound
// finds a changeless set whenever one exists (checked by brute force over every
// subset of small pools). Sizes grow with LN_LONG_TESTS=1.
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { type CoinCandidate, P2WPKH_INPUT_WEIGHT, WalletError, feeForWeightCeil, selectCoins, transactionBaseWeight } from '../src/index.js';

const LONG = process.env.LN_LONG_TESTS === '1';
const RUNS = LONG ? 3000 : 300;

interface Coin extends CoinCandidate {
  readonly id: number;
}

const CHANGE_WEIGHT = 31 * 4;
const MIN_CHANGE = 294n;

function request(coins: Coin[], target: bigint, feeratePerKw: number, longTerm: number, outputs = 1) {
  const scripts = Array.from({ length: outputs }, () => 34);
  return {
    candidates: coins,
    target,
    baseWeight: transactionBaseWeight([...scripts, 22]) - CHANGE_WEIGHT,
    feeratePerKw,
    longTermFeeratePerKw: longTerm,
    changeWeight: CHANGE_WEIGHT,
    changeSpendWeight: P2WPKH_INPUT_WEIGHT,
    minChange: MIN_CHANGE,
  };
}

const coinArb = (i: number) =>
  fc.record({ value: fc.bigInt({ min: 1n, max: 200_000_000n }), weight: fc.constantFrom(P2WPKH_INPUT_WEIGHT, 230, 400) }).map((c) => ({ ...c, id: i }));
const poolArb = (max: number) => fc.integer({ min: 0, max }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => coinArb(i))));
/** Values of a few thousand sat, so subset sums often land in the narrow changeless window. */
const smallPoolArb = (max: number) =>
  fc.integer({ min: 1, max }).chain((n) =>
    fc.tuple(...Array.from({ length: n }, (_, i) => fc.integer({ min: 300, max: 6000 }).map((v) => ({ id: i, value: BigInt(v), weight: P2WPKH_INPUT_WEIGHT })))),
  );
const feerateArb = fc.integer({ min: 253, max: 50_000 });

/** The weight of the transaction a selection makes, exactly as built (counts included). */
function weightOf(coins: readonly Coin[], withChange: boolean): number {
  const base = transactionBaseWeight([34, ...(withChange ? [22] : [])], coins.length);
  return base + coins.reduce((s, c) => s + c.weight, 0);
}

describe('selectCoins', () => {
  test('never overspends, pays at least the fee rate, makes no dust change, picks each coin once', () => {
    fc.assert(
      fc.property(poolArb(40), fc.bigInt({ min: 1n, max: 1_000_000_000n }), feerateArb, feerateArb, (coins, target, rate, longTerm) => {
        let selection;
        try {
          selection = selectCoins(request(coins, target, rate, longTerm));
        } catch (error) {
          expect(error).toBeInstanceOf(WalletError);
          expect((error as WalletError).code).toBe('insufficient_funds');
          // Insufficient means it: even every coin worth spending cannot pay.
          const usable = coins.filter((c) => c.value > BigInt(feeForWeightCeil(rate, c.weight)));
          const weight = weightOf(usable, false);
          const total = usable.reduce((s, c) => s + c.value, 0n);
          expect(total < target + BigInt(Math.ceil((rate * weight) / 1000))).toBe(true);
          return;
        }
        const ids = selection.selected.map((c) => c.id);
        expect(new Set(ids).size).toBe(ids.length);
        const inValue = selection.selected.reduce((s, c) => s + c.value, 0n);
        expect(inValue).toBe(target + selection.change + selection.fee);
        expect(selection.fee).toBeGreaterThan(0n);
        const withChange = selection.change > 0n;
        if (withChange) expect(selection.change).toBeGreaterThanOrEqual(MIN_CHANGE);
        const weight = weightOf(selection.selected, withChange);
        expect(selection.weight).toBeGreaterThanOrEqual(weight);
        expect(Number(selection.fee) * 1000).toBeGreaterThanOrEqual(rate * weight);
      }),
      { numRuns: RUNS },
    );
  });

  test('finds a changeless selection whenever one exists (brute force over small pools)', () => {
    let found = 0;
    fc.assert(
      fc.property(smallPoolArb(10), fc.bigInt({ min: 300n, max: 30_000n }), fc.integer({ min: 253, max: 3000 }), (coins, target, rate) => {
        const req = request(coins, target, rate, rate);
        const base = req.baseWeight;
        const costOfChange = feeForWeightCeil(rate, CHANGE_WEIGHT) + feeForWeightCeil(rate, P2WPKH_INPUT_WEIGHT);
        const useful = coins.filter((c) => c.value - BigInt(feeForWeightCeil(rate, c.weight)) > 0n);
        let exists = false;
        for (let mask = 1; mask < 1 << useful.length && !exists; mask++) {
          let eff = 0n;
          for (let i = 0; i < useful.length; i++) if (mask & (1 << i)) eff += useful[i]!.value - BigInt(feeForWeightCeil(rate, useful[i]!.weight));
          const excess = eff - target - BigInt(feeForWeightCeil(rate, base));
          if (excess >= 0n && excess <= BigInt(costOfChange)) exists = true;
        }
        if (!exists) return;
        found++;
        const selection = selectCoins(req);
        expect(selection.algorithm).toBe('bnb');
        expect(selection.change).toBe(0n);
      }),
      { numRuns: RUNS },
    );
    // The property is only as good as the cases where a solution exists.
    expect(found).toBeGreaterThan(RUNS / 10);
  });

  test('finds a changeless selection for targets built from a subset (the window always holds a solution)', () => {
    fc.assert(
      fc.property(poolArb(10).filter((c) => c.length > 0), fc.integer({ min: 1, max: 1023 }), fc.double({ min: 0, max: 1, noNaN: true }), feerateArb, (coins, mask, slack, rate) => {
        const req = request(coins, 0n, rate, rate);
        const costOfChange = feeForWeightCeil(rate, CHANGE_WEIGHT) + feeForWeightCeil(rate, P2WPKH_INPUT_WEIGHT);
        let eff = 0n;
        coins.forEach((c, i) => {
          const e = c.value - BigInt(feeForWeightCeil(rate, c.weight));
          if (mask & (1 << i) && e > 0n) eff += e;
        });
        const target = eff - BigInt(feeForWeightCeil(rate, req.baseWeight)) - BigInt(Math.floor(slack * costOfChange));
        if (target < 1n) return;
        const selection = selectCoins({ ...req, target });
        expect(selection.algorithm).toBe('bnb');
        expect(selection.change).toBe(0n);
        expect(selection.selected.reduce((s, c) => s + c.value, 0n)).toBe(target + selection.fee);
      }),
      { numRuns: RUNS },
    );
  });

  test('an exact match is found among many coins, and equal coins do not blow up the search', () => {
    const coins: Coin[] = Array.from({ length: 1000 }, (_, i) => ({ id: i, value: 100_000n, weight: P2WPKH_INPUT_WEIGHT }));
    coins.push({ id: 1000, value: 123_456n, weight: P2WPKH_INPUT_WEIGHT });
    const rate = 1000;
    const perInput = BigInt(feeForWeightCeil(rate, P2WPKH_INPUT_WEIGHT));
    const req = request(coins, 0n, rate, rate);
    const target = 123_456n - perInput + 3n * (100_000n - perInput) - BigInt(feeForWeightCeil(rate, req.baseWeight));
    const selection = selectCoins({ ...req, target });
    expect(selection.algorithm).toBe('bnb');
    expect(selection.selected.map((c) => c.id).sort((a, b) => a - b)).toEqual([expect.any(Number), expect.any(Number), expect.any(Number), 1000]);
    expect(selection.fee).toBe(123_456n + 300_000n - target);
  });

  test('required coins are always spent (replacements)', () => {
    fc.assert(
      fc.property(poolArb(10), poolArb(3), fc.bigInt({ min: 1000n, max: 100_000_000n }), feerateArb, (coins, required, target, rate) => {
        const req = { ...request(coins.map((c) => ({ ...c, id: c.id + 100 })), target, rate, rate), required };
        try {
          const selection = selectCoins(req);
          for (const r of required) expect(selection.selected).toContain(r);
          const inValue = selection.selected.reduce((s, c) => s + c.value, 0n);
          expect(inValue).toBe(target + selection.change + selection.fee);
          expect(Number(selection.fee) * 1000).toBeGreaterThanOrEqual(rate * weightOf(selection.selected, selection.change > 0n));
        } catch (error) {
          expect((error as WalletError).code).toBe('insufficient_funds');
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('more than 252 inputs count a three-byte input count', () => {
    const coins: Coin[] = Array.from({ length: 400 }, (_, i) => ({ id: i, value: 1000n, weight: P2WPKH_INPUT_WEIGHT }));
    const selection = selectCoins(request(coins, 250_000n, 253, 253));
    expect(selection.selected.length).toBeGreaterThan(252);
    const weight = weightOf(selection.selected, selection.change > 0n);
    expect(selection.weight).toBe(weight);
    expect(Number(selection.fee) * 1000).toBeGreaterThanOrEqual(253 * weight);
  });

  test('refuses amounts that are not amounts', () => {
    expect(() => selectCoins(request([{ id: 0, value: -1n, weight: 273 }], 1000n, 253, 253))).toThrow(WalletError);
    expect(() => selectCoins(request([], 2_100_000_000_000_001n, 253, 253))).toThrow(WalletError);
  });
});
