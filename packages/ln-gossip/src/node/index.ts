export { WorkerPoolVerifier, type WorkerPoolOptions, type WorkerBackend } from './worker-pool-verifier.js';
