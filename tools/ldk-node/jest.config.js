import { jestConfig } from '../../tools/jest/config.js';

// LDK scenarios mine hundreds of blocks through two nodes: on a shared 2-core
// machine a test can take minutes of wall time for seconds of CPU.
export default jestConfig(import.meta.dirname, { testTimeout: 300_000 });
