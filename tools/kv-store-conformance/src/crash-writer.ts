// The writer that gets killed: several workers write and remove tagged values
// on their own keys, alone or in bursts issued together (so stores that batch
// writes into one transaction are killed mid-transaction too), and log each
// operation before it is issued and once its promise resolved. Runs until its
// process dies. Browser-safe.
import type { KVStore } from 'ln-types';
import { crashKeyLocation, crashValueLength } from './crash-check.js';
import { taggedValue } from './values.js';

/** Options of {@link runCrashWriter}. */
export interface CrashWriterOptions {
  /** First sequence number (above every one of earlier rounds). */
  readonly startSeq: number;
  /** Concurrent workers, each with two keys of its own (default 3). */
  readonly workers?: number;
  /** Bytes of the larger values (default 64 KiB). */
  readonly valueBytes?: number;
  /**
   * Receives each log line. An operation is issued only once the emit of its
   * `I` line returned (or its promise resolved: a page sending lines to the
   * test process waits for them to arrive), so the log never misses an
   * operation that reached the store.
   */
  readonly emit: (line: string) => void | Promise<void>;
}

interface Planned {
  readonly keyIndex: number;
  readonly seq: number;
  readonly remove: boolean;
}

/** Never resolves while the store works; rejects with the store's first error. */
export async function runCrashWriter(store: KVStore, options: CrashWriterOptions): Promise<never> {
  const workers = options.workers ?? 3;
  const valueBytes = options.valueBytes ?? 64 * 1024;
  let seq = options.startSeq;
  const plan = (keyIndex: number, remove: boolean): Planned => ({ keyIndex, seq: seq++, remove });
  // Logs the operations, then issues them all in one synchronous run.
  const issue = async (ops: readonly Planned[]): Promise<void> => {
    for (const op of ops) await options.emit(`I ${op.keyIndex} ${op.seq} ${op.remove ? 'd' : 'w'}`);
    const values = ops.map((op) => (op.remove ? undefined : taggedValue(op.keyIndex, op.seq, crashValueLength(op.seq, valueBytes))));
    await Promise.all(
      ops.map((op, i) => {
        const [p, s, k] = crashKeyLocation(op.keyIndex);
        const done = op.remove ? store.remove(p, s, k) : store.write(p, s, k, values[i]!);
        return done.then(() => options.emit(`A ${op.keyIndex} ${op.seq}`));
      }),
    );
  };
  const worker = async (w: number): Promise<never> => {
    for (let round = 0; ; round++) {
      const keyIndex = w * 2 + (round % 2);
      if (round % 4 === 3) {
        // A burst: three operations on one key in the same tick.
        await issue([plan(keyIndex, false), plan(keyIndex, round % 8 === 7), plan(keyIndex, false)]);
      } else {
        await issue([plan(keyIndex, round % 6 === 5)]);
      }
    }
  };
  return Promise.race(Array.from({ length: workers }, (_, w) => worker(w)));
}
