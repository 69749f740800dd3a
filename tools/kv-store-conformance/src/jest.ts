// The suite as jest tests: one `it` per case, skipped where the harness
// cannot reopen a store and the case needs it.
import { describe, it } from '@jest/globals';
import type { KVStore } from 'ln-types';
import type { ConformanceCase } from './case.js';
import type { KvStoreHarness } from './harness.js';
import { kvStoreConformanceCases, runConformanceCase } from './run.js';

/** Options of {@link describeKvStoreConformance}. */
export interface DescribeOptions {
  /** Timeout of each case in ms (default 60 s). */
  readonly timeoutMs?: number;
  /** The cases to run (default: all). */
  readonly cases?: readonly ConformanceCase[];
  /** When set, every case is registered as skipped (the store's backend is not available: say why before). */
  readonly skip?: boolean;
}

/** Registers the KVStore conformance suite for one store as a jest `describe` block. */
export function describeKvStoreConformance<S extends KVStore>(title: string, harness: KvStoreHarness<S>, options: DescribeOptions = {}): void {
  describe(title, () => {
    for (const testCase of options.cases ?? kvStoreConformanceCases) {
      const register = options.skip === true || (testCase.needsReopen === true && harness.reopen === undefined) ? it.skip : it;
      register(testCase.name, () => runConformanceCase(harness, testCase), options.timeoutMs ?? 60_000);
    }
  });
}
