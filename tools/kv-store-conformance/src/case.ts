import type { KVStore } from 'ln-types';
import type { CaseScope } from './harness.js';

/** One check of the KVStore contract. */
export interface ConformanceCase {
  readonly name: string;
  /** The case needs a second instance over the same storage (skipped without `reopen`). */
  readonly needsReopen?: boolean;
  run(scope: CaseScope<KVStore>): Promise<void>;
}
