// The KVStore conformance suite: framework-free cases (they run under jest
// through ./jest and in a browser page through runKvStoreConformance), the
// values they use, and the harness a store's test supplies. The crash check
// is here too (the browser test kills the browser); the Node SIGKILL scenario
// that spawns the writer is in ./node.
export { ConformanceFailure, check, checkBytes, checkKeys, checkRejects } from './assert.js';
export type { ConformanceCase } from './case.js';
export { CaseScope, DEFAULT_SIZES, type ConformanceSizes, type KvStoreHarness } from './harness.js';
export { kvStoreConformanceCases, runConformanceCase, runKvStoreConformance, type CaseResult } from './run.js';
export { patternBytes, readTaggedValue, taggedValue, type TaggedValue } from './values.js';
export { CrashLog, checkAfterCrash, crashKeyLocation, crashValueLength, type CrashCheck, type CrashOp, type KeyState } from './crash-check.js';
export { runCrashWriter, type CrashWriterOptions } from './crash-writer.js';
export { kvStoreWorkloads, measureOps, type Workload } from './bench-workloads.js';
