import type { Secp256k1Backend } from 'ln-crypto';
import { concatBytes } from 'ln-types';
import { GossipError } from './errors.js';
import { verifyRange, type GossipVerifier, type SignatureBatch } from './verifier.js';

/** A slice of a batch sent to one worker: transferable buffers only. */
export interface VerifyJob {
  readonly id: number;
  readonly count: number;
  readonly signatures: Uint8Array<ArrayBuffer>;
  readonly publicKeys: Uint8Array<ArrayBuffer>;
  readonly messages: Uint8Array<ArrayBuffer>;
  readonly spans: Uint32Array<ArrayBuffer>;
}

/** A worker's answer: one byte per check (1 = valid). */
export interface VerifyResult {
  readonly id: number;
  readonly out: Uint8Array;
}

/**
 * The side of a message channel the pool talks through: a Web Worker, a
 * MessagePort, or anything with the same two methods (structured clone with
 * transfer, and `message` events carrying `data`).
 */
export interface VerifierPort {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  /** MessagePorts must be started when listened to with addEventListener. */
  start?(): void;
}

/** Splits a batch into at most `parts` contiguous jobs (copies, so the buffers can be transferred). */
export function splitBatch(batch: SignatureBatch, parts: number, firstId: number): VerifyJob[] {
  const n = batch.count;
  const k = Math.min(parts, Math.max(1, n));
  const per = Math.ceil(n / k);
  const jobs: VerifyJob[] = [];
  for (let p = 0; p < k; p++) {
    const from = p * per;
    const to = Math.min(n, from + per);
    if (from >= to) break;
    // The signed bytes this slice's checks cover, with spans rebased to them.
    const first = batch.spans[2 * from]!;
    const spans = batch.spans.slice(2 * from, 2 * to);
    for (let i = 0; i < spans.length; i++) spans[i]! -= first;
    jobs.push({
      id: firstId + p,
      count: to - from,
      signatures: batch.signatures.slice(64 * from, 64 * to),
      publicKeys: batch.publicKeys.slice(33 * from, 33 * to),
      messages: batch.messages.slice(first, batch.spans[2 * to - 1]!),
      spans,
    });
  }
  return jobs;
}

/** The buffers a job hands over to its worker. */
export function jobTransfers(job: VerifyJob): ArrayBuffer[] {
  return [job.signatures.buffer, job.publicKeys.buffer, job.messages.buffer, job.spans.buffer];
}

/**
 * Runs in a worker (a Web Worker's `self`, or any port): answers verify jobs
 * with the given backend. In a browser worker module:
 * `serveVerifier(self, nobleSecp256k1)`.
 */
export function serveVerifier(scope: VerifierPort, backend: Secp256k1Backend): void {
  scope.addEventListener('message', (event) => {
    const job = event.data as VerifyJob;
    const out = verifyRange(backend, job, 0, job.count);
    scope.postMessage({ id: job.id, out } satisfies VerifyResult, [out.buffer]);
  });
  scope.start?.();
}

/**
 * A {@link GossipVerifier} over message ports: split each batch across the
 * ports (Web Workers running {@link serveVerifier}, in browsers or anywhere
 * with the Web Worker API). Node has `WorkerPoolVerifier` in `ln-gossip/node`.
 */
export class PortPoolVerifier implements GossipVerifier {
  readonly #ports: VerifierPort[];
  readonly #pending = new Map<number, (out: Uint8Array) => void>();
  #nextId = 0;

  constructor(ports: readonly VerifierPort[]) {
    if (ports.length === 0) throw new GossipError('invalid_argument', 'a pool needs at least one port');
    this.#ports = [...ports];
    for (const port of this.#ports) {
      port.addEventListener('message', (event) => {
        const { id, out } = event.data as VerifyResult;
        const resolve = this.#pending.get(id);
        this.#pending.delete(id);
        resolve?.(out);
      });
      port.start?.();
    }
  }

  async verify(batch: SignatureBatch): Promise<Uint8Array> {
    const jobs = splitBatch(batch, this.#ports.length, this.#nextId);
    this.#nextId += jobs.length;
    const results = await Promise.all(
      jobs.map(
        (job, p) =>
          new Promise<Uint8Array>((resolve) => {
            this.#pending.set(job.id, resolve);
            this.#ports[p]!.postMessage(job, jobTransfers(job));
          }),
      ),
    );
    return concatBytes(...results);
  }
}
