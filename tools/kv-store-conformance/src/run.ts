import type { KVStore } from 'ln-types';
import type { ConformanceCase } from './case.js';
import { atomicityCases } from './cases/atomicity.js';
import { basicCases } from './cases/basics.js';
import { concurrencyCases } from './cases/concurrency.js';
import { copyingCases } from './cases/copying.js';
import { modelCases } from './cases/model.js';
import { persistenceCases } from './cases/persistence.js';
import { removalCases } from './cases/removal.js';
import { validationCases } from './cases/validation.js';
import { CaseScope, type KvStoreHarness } from './harness.js';

/** Every case of the KVStore contract, in a stable order. */
export const kvStoreConformanceCases: readonly ConformanceCase[] = [
  ...basicCases,
  ...removalCases,
  ...validationCases,
  ...copyingCases,
  ...concurrencyCases,
  ...atomicityCases,
  ...persistenceCases,
  ...modelCases,
];

/** The outcome of one case. */
export interface CaseResult {
  readonly name: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  /** Why it failed (message and stack), or why it was skipped. */
  readonly detail?: string;
  readonly ms: number;
}

/** Runs one case with its own scope, closing every store it opened. Throws what the case threw. */
export async function runConformanceCase<S extends KVStore>(harness: KvStoreHarness<S>, testCase: ConformanceCase): Promise<void> {
  const scope = new CaseScope(harness);
  try {
    await testCase.run(scope as unknown as CaseScope<KVStore>);
  } finally {
    await scope.closeAll();
  }
}

/**
 * Runs the cases against one store with no test framework (browsers, scripts):
 * every case runs, failures are collected, none is thrown.
 */
export async function runKvStoreConformance<S extends KVStore>(
  harness: KvStoreHarness<S>,
  options: { readonly cases?: readonly ConformanceCase[]; readonly onResult?: (result: CaseResult) => void } = {},
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const testCase of options.cases ?? kvStoreConformanceCases) {
    const started = performance.now();
    let result: CaseResult;
    if (testCase.needsReopen === true && harness.reopen === undefined) {
      result = { name: testCase.name, status: 'skipped', detail: 'the harness cannot reopen a store', ms: 0 };
    } else {
      try {
        await runConformanceCase(harness, testCase);
        result = { name: testCase.name, status: 'passed', ms: performance.now() - started };
      } catch (e) {
        const detail = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
        result = { name: testCase.name, status: 'failed', detail, ms: performance.now() - started };
      }
    }
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}
