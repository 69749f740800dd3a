/** Confirmation targets Esplora's /fee-estimates answers for. */
export const ESPLORA_TARGETS = [...Array.from({ length: 25 }, (_, i) => i + 1), 144, 504, 1008];

/**
 * Fee estimates set by hand (bitcoind's regtest has no data to estimate from):
 * a feerate per confirmation target. A question for target t is answered by the
 * estimate of the largest target set at or below t (a feerate that confirms
 * sooner also confirms by t), else by the smallest target set above t.
 */
export class FeeEstimates {
  readonly #byTarget: Map<number, bigint>;

  constructor(initial: ReadonlyMap<number, bigint> = new Map()) {
    this.#byTarget = new Map(initial);
  }

  /** Sets the feerate (sat per 1000 vbytes) for a target in blocks; a negative rate removes it. */
  set(target: number, satPerKvB: bigint): void {
    if (satPerKvB < 0n) this.#byTarget.delete(target);
    else this.#byTarget.set(target, satPerKvB);
  }

  clear(): void {
    this.#byTarget.clear();
  }

  /** All set estimates. */
  get entries(): ReadonlyMap<number, bigint> {
    return this.#byTarget;
  }

  /** The feerate (sat/kvB) for `target`, or undefined when nothing is set. */
  estimate(target: number): bigint | undefined {
    let below: number | undefined;
    let above: number | undefined;
    for (const t of this.#byTarget.keys()) {
      if (t <= target && (below === undefined || t > below)) below = t;
      if (t > target && (above === undefined || t < above)) above = t;
    }
    const chosen = below ?? above;
    return chosen === undefined ? undefined : this.#byTarget.get(chosen);
  }
}
