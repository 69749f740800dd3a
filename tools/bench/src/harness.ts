// The benchmark harness every package's bench/ uses. Each figure is measured
// after a warm-up, over several timed runs, and printed as one JSON line:
//   {"package","name","value","unit","n","median","min","max"[,"vs","ratio"]}
// `value` is the median. A peer measured in the same run gives "vs" (its name)
// and "ratio" (> 1 means we are faster). tools/bench/run.mjs collects the lines
// into bench-results.json.

/** How long to measure. BENCH_QUICK=1 shortens every run (for CI smoke runs). */
export interface MeasureOptions {
  /** Timed runs to take the median of (default 5, 3 quick). */
  runs?: number;
  /** Minimum duration of one timed run in ms (default 400, 100 quick). */
  minRunMs?: number;
  /** Warm-up duration in ms (default 200, 50 quick). */
  warmupMs?: number;
}

/** One measured figure: operations per second over the runs. */
export interface Measurement {
  readonly opsPerSec: number[];
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Total operations timed across runs. */
  readonly n: number;
}

export const quick = process.env.BENCH_QUICK === '1';

function defaults(options: MeasureOptions): Required<MeasureOptions> {
  return {
    runs: options.runs ?? (quick ? 3 : 5),
    minRunMs: options.minRunMs ?? (quick ? 100 : 400),
    warmupMs: options.warmupMs ?? (quick ? 50 : 200),
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The q-quantile (0..1) of values, nearest rank. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function summarize(opsPerSec: number[], n: number): Measurement {
  return { opsPerSec, median: median(opsPerSec), min: Math.min(...opsPerSec), max: Math.max(...opsPerSec), n };
}

/** Measures a synchronous operation in operations per second. */
export function measure(fn: () => unknown, options: MeasureOptions = {}): Measurement {
  const { runs, minRunMs, warmupMs } = defaults(options);
  let batch = 1;
  const warmEnd = performance.now() + warmupMs;
  while (performance.now() < warmEnd) {
    for (let i = 0; i < batch; i++) fn();
    batch = Math.min(batch * 2, 1 << 20);
  }
  const rates: number[] = [];
  let total = 0;
  for (let r = 0; r < runs; r++) {
    let ops = 0;
    const start = performance.now();
    let elapsed = 0;
    // Batches keep the clock reads from dominating very fast operations.
    const step = Math.max(1, batch >> 4);
    while (elapsed < minRunMs) {
      for (let i = 0; i < step; i++) fn();
      ops += step;
      elapsed = performance.now() - start;
    }
    rates.push((ops * 1000) / elapsed);
    total += ops;
  }
  return summarize(rates, total);
}

/** Measures an asynchronous operation in operations per second (operations run one after another). */
export async function measureAsync(fn: () => Promise<unknown>, options: MeasureOptions = {}): Promise<Measurement> {
  const { runs, minRunMs, warmupMs } = defaults(options);
  const warmEnd = performance.now() + warmupMs;
  while (performance.now() < warmEnd) await fn();
  const rates: number[] = [];
  let total = 0;
  for (let r = 0; r < runs; r++) {
    let ops = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < minRunMs) {
      await fn();
      ops++;
      elapsed = performance.now() - start;
    }
    rates.push((ops * 1000) / elapsed);
    total += ops;
  }
  return summarize(rates, total);
}

/** Times a whole task once per run (for long tasks: ingest, build), in milliseconds. */
export async function timeRuns(fn: () => unknown, runs = quick ? 1 : 3): Promise<Measurement> {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return summarize(times, runs);
}

export interface Figure {
  package: string;
  name: string;
  value: number;
  unit: string;
  n: number;
  median: number;
  min: number;
  max: number;
  vs?: string;
  ratio?: number;
}

function round(x: number): number {
  return Number.isInteger(x) ? x : Number(x.toPrecision(6));
}

/** Prints one figure as a JSON line (the harness contract). */
export function report(figure: Figure): void {
  const out: Figure = { ...figure, value: round(figure.value), median: round(figure.median), min: round(figure.min), max: round(figure.max) };
  if (figure.ratio !== undefined) out.ratio = round(figure.ratio);
  console.log(JSON.stringify(out));
}

/** Reports a measurement (ops/s unless `unit` says otherwise). */
export function reportMeasurement(pkg: string, name: string, m: Measurement, unit = 'ops/s', peer?: { name: string; measurement: Measurement; higherIsBetter?: boolean }): void {
  const figure: Figure = { package: pkg, name, value: m.median, unit, n: m.n, median: m.median, min: m.min, max: m.max };
  if (peer !== undefined) {
    figure.vs = peer.name;
    const higherIsBetter = peer.higherIsBetter ?? true;
    figure.ratio = higherIsBetter ? m.median / peer.measurement.median : peer.measurement.median / m.median;
  }
  report(figure);
}

/** Reports a single number (sizes, counts) as a figure. */
export function reportValue(pkg: string, name: string, value: number, unit: string, extra: Partial<Figure> = {}): void {
  report({ package: pkg, name, value, unit, n: 1, median: value, min: value, max: value, ...extra });
}
