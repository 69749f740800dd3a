// The storage benchmark for Node stores: every workload for the store and a
// reference store measured in the same run (ratio > 1: the store is faster).
import { measureAsync, median, reportMeasurement, type Measurement } from 'ln-bench';
import type { KVStore } from 'ln-types';
import { kvStoreWorkloads } from '../bench-workloads.js';

/** A store under measurement, named for the figures. */
export interface BenchedStore {
  readonly name: string;
  readonly store: KVStore;
}

/** A measurement from per-run rates (a page's measureOps), scaled by `perCall`. */
export function measurementOf(opsPerSec: readonly number[], perCall = 1, calls = opsPerSec.length): Measurement {
  const rates = opsPerSec.map((x) => x * perCall);
  return { opsPerSec: rates, median: median(rates), min: Math.min(...rates), max: Math.max(...rates), n: calls * perCall };
}

/** Measures one store on every workload (ln-bench timing), keyed by workload name. */
export async function measureKvStore(store: KVStore): Promise<Map<string, Measurement>> {
  const out = new Map<string, Measurement>();
  for (const w of kvStoreWorkloads()) {
    const m = await measureAsync(w.prepare(store));
    out.set(w.name, measurementOf(m.opsPerSec, w.perCall, m.n));
  }
  return out;
}

/** Prints one figure per workload for `subject` (package `pkg`), with `reference`'s figures for ratios. */
export function reportKvStore(pkg: string, subject: string, mine: ReadonlyMap<string, Measurement>, reference?: { readonly name: string; readonly figures: ReadonlyMap<string, Measurement> }): void {
  for (const w of kvStoreWorkloads()) {
    const m = mine.get(w.name);
    if (m === undefined) continue;
    const theirs = reference?.figures.get(w.name);
    reportMeasurement(pkg, `${subject}: ${w.name}`, m, w.unit, theirs === undefined ? undefined : { name: reference!.name, measurement: theirs });
  }
}

/** Measures and prints `subject` against `reference` (measured right after it, in the same process). */
export async function benchKvStore(pkg: string, subject: BenchedStore, reference?: BenchedStore): Promise<void> {
  const mine = await measureKvStore(subject.store);
  const theirs = reference === undefined ? undefined : { name: reference.name, figures: await measureKvStore(reference.store) };
  reportKvStore(pkg, subject.name, mine, theirs);
}
