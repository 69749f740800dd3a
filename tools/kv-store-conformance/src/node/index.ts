// Node-only part of the suite: the SIGKILL crash scenario.
export { runCrashScenario, type CrashRound, type CrashScenarioOptions } from './crash.js';
