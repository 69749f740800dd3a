// Node-only part of the suite: the SIGKILL crash scenario and the storage benchmark.
export { runCrashScenario, type CrashRound, type CrashScenarioOptions } from './crash.js';
export { benchKvStore, measureKvStore, measurementOf, reportKvStore, type BenchedStore } from './bench.js';
