import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { GossipError } from '../errors.js';
import { concatBytes } from 'ln-types';
import { jobTransfers, splitBatch } from '../port-pool-verifier.js';
import type { GossipVerifier, SignatureBatch } from '../verifier.js';

/**
 * Which secp256k1 implementation the workers use. `noble` is ln-crypto's
 * default; the accelerated ones are created in each worker from the module at
 * `moduleUrl` (resolve it where the dependency is installed, e.g.
 * `import.meta.resolve('tiny-secp256k1')`), through ln-crypto's backend factories.
 */
export type WorkerBackend = { readonly kind: 'noble' } | { readonly kind: 'tiny-secp256k1'; readonly moduleUrl: string } | { readonly kind: 'secp256k1'; readonly moduleUrl: string };

/** Options of {@link WorkerPoolVerifier}. */
export interface WorkerPoolOptions {
  /** Number of worker threads (default 2). */
  readonly threads?: number;
  readonly backend?: WorkerBackend;
  /** URL of ln-crypto's built entry point (default: resolved from this package). */
  readonly cryptoModuleUrl?: string;
}

// The worker body: plain JavaScript evaluated in each thread, so the pool works
// the same from sources (tests) and from dist/. It imports ln-crypto's build
// and answers each batch slice with one byte per check.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const crypto = await import(workerData.cryptoUrl);
  let backend = crypto.nobleSecp256k1;
  if (workerData.kind === 'tiny-secp256k1') backend = crypto.createTinySecp256k1Backend(await import(workerData.moduleUrl));
  else if (workerData.kind === 'secp256k1') { const m = await import(workerData.moduleUrl); backend = crypto.createNativeSecp256k1Backend(m.default ?? m); }
  // verifyRange of ../verifier.ts, in plain JavaScript.
  parentPort.on('message', (job) => {
    const out = new Uint8Array(job.count);
    let start = -1, end = -1, digest;
    for (let i = 0; i < job.count; i++) {
      if (job.spans[2 * i] !== start || job.spans[2 * i + 1] !== end) {
        start = job.spans[2 * i];
        end = job.spans[2 * i + 1];
        digest = crypto.sha256d(job.messages.subarray(start, end));
      }
      out[i] = backend.ecdsaVerify(job.signatures.subarray(64 * i, 64 * i + 64), digest, job.publicKeys.subarray(33 * i, 33 * i + 33)) ? 1 : 0;
    }
    parentPort.postMessage({ id: job.id, out }, [out.buffer]);
  });
  parentPort.postMessage({ ready: true });
})().catch((e) => parentPort.postMessage({ failed: String(e && e.stack || e) }));
`;

/**
 * ln-crypto's built entry (its `default` export target): workers run plain
 * JavaScript, so they must not follow a `source` condition to TypeScript.
 */
function builtCryptoUrl(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('ln-crypto/package.json');
  const manifest = require(manifestPath) as { exports: { '.': { default: string } } };
  return new URL(manifest.exports['.'].default, pathToFileURL(manifestPath)).href;
}

interface Job {
  resolve(out: Uint8Array): void;
  reject(e: unknown): void;
}

/**
 * A {@link GossipVerifier} that splits each batch across worker threads
 * (Node only). Batches are copied into each worker's slice (three flat
 * buffers), so the main thread keeps decoding and applying while workers
 * verify. Call {@link close} when done.
 */
export class WorkerPoolVerifier implements GossipVerifier {
  readonly #workers: Worker[] = [];
  readonly #jobs = new Map<number, Job>();
  readonly #ready: Promise<void>;
  #nextId = 0;
  #failed: GossipError | undefined;

  constructor(options: WorkerPoolOptions = {}) {
    const threads = options.threads ?? 2;
    if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new GossipError('invalid_argument', 'threads must be 1..64');
    const backend = options.backend ?? { kind: 'noble' };
    const cryptoUrl = options.cryptoModuleUrl ?? builtCryptoUrl();
    const readies: Promise<void>[] = [];
    for (let t = 0; t < threads; t++) {
      const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { cryptoUrl, ...backend } });
      readies.push(
        new Promise<void>((resolve, reject) => {
          w.on('message', (msg: { ready?: true; failed?: string; id?: number; out?: Uint8Array }) => {
            if (msg.ready) return resolve();
            if (msg.failed !== undefined) return reject(this.#fail(new GossipError('verifier_failed', `worker failed to start: ${msg.failed}`)));
            const job = this.#jobs.get(msg.id!);
            this.#jobs.delete(msg.id!);
            if (this.#jobs.size === 0) this.#refWhileBusy();
            job?.resolve(msg.out!);
          });
          w.on('error', (e) => reject(this.#fail(new GossipError('verifier_failed', 'worker crashed', { cause: e }))));
        }),
      );
      this.#workers.push(w);
    }
    // Workers keep the process alive only while they have work: started, or a batch pending.
    this.#ready = Promise.all(readies).then(() => this.#refWhileBusy());
    // A start failure is reported by the next verify call.
    this.#ready.catch(() => undefined);
  }

  #refWhileBusy(): void {
    const busy = this.#jobs.size > 0;
    for (const w of this.#workers) {
      if (busy) w.ref();
      else w.unref();
    }
  }

  #fail(e: GossipError): GossipError {
    this.#failed ??= e;
    for (const job of this.#jobs.values()) job.reject(e);
    this.#jobs.clear();
    return e;
  }

  /** Resolves once every worker has loaded its backend. */
  ready(): Promise<void> {
    return this.#ready;
  }

  async verify(batch: SignatureBatch): Promise<Uint8Array> {
    await this.#ready;
    if (this.#failed !== undefined) throw this.#failed;
    const jobs = splitBatch(batch, this.#workers.length, this.#nextId);
    this.#nextId += jobs.length;
    const slices = jobs.map(
      (job, p) =>
        new Promise<Uint8Array>((resolve, reject) => {
          this.#jobs.set(job.id, { resolve, reject });
          this.#workers[p]!.postMessage(job, jobTransfers(job));
        }),
    );
    this.#refWhileBusy();
    return concatBytes(...(await Promise.all(slices)));
  }

  /** Stops the workers; pending verifications fail. */
  async close(): Promise<void> {
    this.#fail(new GossipError('verifier_failed', 'worker pool closed'));
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
