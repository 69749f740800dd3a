import type { Tx } from 'ln-tx';
import {
  LOCKTIME_THRESHOLD,
  SEQUENCE_FINAL,
  SEQUENCE_LOCKTIME_DISABLE_FLAG,
  SEQUENCE_LOCKTIME_GRANULARITY,
  SEQUENCE_LOCKTIME_MASK,
  SEQUENCE_LOCKTIME_TYPE_FLAG,
} from '../consensus/params.js';

/** Core's IsFinalTx: may `tx` be in a block at `blockHeight` whose lock time reference is `blockTime`? */
export function isFinalTx(tx: Tx, blockHeight: number, blockTime: number): boolean {
  const lockTime = tx.locktime >>> 0;
  if (lockTime === 0) return true;
  if (lockTime < (lockTime < LOCKTIME_THRESHOLD ? blockHeight : blockTime)) return true;
  return tx.inputs.every((i) => i.sequence >>> 0 === SEQUENCE_FINAL);
}

/** The last height and time at which a transaction is still locked (-1: no lock). */
export interface SequenceLock {
  readonly minHeight: number;
  readonly minTime: number;
}

/**
 * Core's CalculateSequenceLocks (BIP 68): `coinHeights[i]` is the height of the
 * block holding input i's coin, `medianTimePast(h)` the median time past of the
 * block at height h.
 */
export function calculateSequenceLocks(tx: Tx, coinHeights: readonly number[], medianTimePast: (height: number) => number): SequenceLock {
  let minHeight = -1;
  let minTime = -1;
  if (tx.version >>> 0 < 2 || tx.version < 0) return { minHeight, minTime };
  tx.inputs.forEach((input, i) => {
    const sequence = input.sequence >>> 0;
    if ((sequence & SEQUENCE_LOCKTIME_DISABLE_FLAG) !== 0) return;
    const coinHeight = coinHeights[i]!;
    const value = sequence & SEQUENCE_LOCKTIME_MASK;
    if ((sequence & SEQUENCE_LOCKTIME_TYPE_FLAG) !== 0) {
      const coinTime = medianTimePast(Math.max(coinHeight - 1, 0));
      minTime = Math.max(minTime, coinTime + value * (1 << SEQUENCE_LOCKTIME_GRANULARITY) - 1);
    } else {
      minHeight = Math.max(minHeight, coinHeight + value - 1);
    }
  });
  return { minHeight, minTime };
}

/** Core's EvaluateSequenceLocks: is the lock satisfied in a block at `blockHeight` whose parent's median time past is `prevMedianTimePast`? */
export function sequenceLocksSatisfied(lock: SequenceLock, blockHeight: number, prevMedianTimePast: number): boolean {
  return lock.minHeight < blockHeight && lock.minTime < prevMedianTimePast;
}
