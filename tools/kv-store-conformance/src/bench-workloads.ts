// The storage benchmark's workloads, browser-safe: sequential durable writes
// and reads of 1 KiB and 100 KiB values, and 64 writes issued together. Node
// stores measure them with ln-bench (./node's benchKvStore); a browser page
// measures them with measureOps and hands the rates to the test process.
import type { KVStore } from 'ln-types';
import { patternBytes } from './values.js';

/** One thing to measure: `prepare` returns the operation to repeat. */
export interface Workload {
  readonly name: string;
  readonly unit: string;
  /** Store operations per call of the operation (rates are multiplied by it). */
  readonly perCall: number;
  prepare(store: KVStore): () => Promise<unknown>;
}

const KEYS = 64;
const TOGETHER = 64;

/**
 * The value with its first bytes set to `n`: every write differs from the
 * value it replaces (SQLite skips rewriting a row whose bytes are unchanged,
 * which would measure no write at all). Stores copy, so reusing it is safe.
 */
function stamped(value: Uint8Array, n: number): Uint8Array {
  new DataView(value.buffer, value.byteOffset, 4).setUint32(0, n);
  return value;
}

/** The workloads, in report order. Reads follow the writes of the same size (the keys exist). */
export function kvStoreWorkloads(): Workload[] {
  const out: Workload[] = [];
  for (const [label, bytes] of [
    ['1 KiB', 1024],
    ['100 KiB', 100 * 1024],
  ] as const) {
    const prefix = `k${bytes}_`;
    out.push({
      name: `sequential durable write ${label}`,
      unit: 'writes/s',
      perCall: 1,
      prepare(store) {
        const value = patternBytes(bytes, bytes);
        let i = 0;
        return () => store.write('monitors', '', prefix + (i % KEYS), stamped(value, i++));
      },
    });
    out.push({
      name: `read ${label}`,
      unit: 'reads/s',
      perCall: 1,
      prepare(store) {
        let i = 0;
        return () => store.read('monitors', '', prefix + (i++ % KEYS));
      },
    });
  }
  out.push({
    name: `${TOGETHER} durable writes of 1 KiB issued together`,
    unit: 'writes/s',
    perCall: TOGETHER,
    prepare(store) {
      const value = patternBytes(1024, 7);
      let round = 0;
      return () => {
        round++;
        return Promise.all(Array.from({ length: TOGETHER }, (_, i) => store.write('monitor_updates', 'chan', `u${(round * TOGETHER + i) % 1024}`, stamped(value, round * TOGETHER + i))));
      };
    },
  });
  return out;
}

/** Operations per second over `runs` timed runs of at least `minRunMs` each, after a warm-up (for pages, where ln-bench does not run). */
export async function measureOps(op: () => Promise<unknown>, options: { readonly runs: number; readonly minRunMs: number; readonly warmupMs: number }): Promise<number[]> {
  const warmEnd = performance.now() + options.warmupMs;
  while (performance.now() < warmEnd) await op();
  const rates: number[] = [];
  for (let r = 0; r < options.runs; r++) {
    let ops = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < options.minRunMs) {
      await op();
      ops++;
      elapsed = performance.now() - start;
    }
    rates.push((ops * 1000) / elapsed);
  }
  return rates;
}
