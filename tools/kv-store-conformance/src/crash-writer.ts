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
  /** Receives each log line (synchronously, before the operation is issued or after it resolved). */
  readonly emit: (line: string) => void;
}

/** Never resolves while the store works; rejects with the store's first error. */
export async function runCrashWriter(store: KVStore, options: CrashWriterOptions): Promise<never> {
  const workers = options.workers ?? 3;
  const valueBytes = options.valueBytes ?? 64 * 1024;
  let seq = options.startSeq;
  const issue = (keyIndex: number, remove: boolean): Promise<void> => {
    const mine = seq++;
    const [p, s, k] = crashKeyLocation(keyIndex);
    options.emit(`I ${keyIndex} ${mine} ${remove ? 'd' : 'w'}`);
    const done = remove ? store.remove(p, s, k) : store.write(p, s, k, taggedValue(keyIndex, mine, crashValueLength(mine, valueBytes)));
    return done.then(() => options.emit(`A ${keyIndex} ${mine}`));
  };
  const worker = async (w: number): Promise<never> => {
    for (let round = 0; ; round++) {
      const keyIndex = w * 2 + (round % 2);
      if (round % 4 === 3) {
        // A burst: three operations on one key in the same tick.
        await Promise.all([issue(keyIndex, false), issue(keyIndex, round % 8 === 7), issue(keyIndex, false)]);
      } else {
        await issue(keyIndex, round % 6 === 5);
      }
    }
  };
  return Promise.race(Array.from({ length: workers }, (_, w) => worker(w)));
}
