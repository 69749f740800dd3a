import type { Block } from 'ln-tx';
import { type BlockHash, reverseBytes, toHex } from 'ln-types';
import { MEDIAN_TIME_SPAN } from '../consensus/params.js';
import type { TxInfo } from './tx-info.js';

/** Where a block stands. */
export type BlockStatus =
  /** Received and checked on its own and against its parent; never connected. */
  | 'accepted'
  /** Connected to the chain at least once without fault. */
  | 'valid'
  /** Refused when connecting, or invalidated by `invalidateblock`. */
  | 'failed'
  /** A descendant of a failed block. */
  | 'failed-child';

/** A block the chain knows, on the active chain or a side branch. */
export interface BlockEntry {
  readonly hash: BlockHash;
  /** Internal-order hex of the hash: the index key. */
  readonly key: string;
  /** Display hex of the hash. */
  readonly hashHex: string;
  readonly block: Block;
  readonly raw: Uint8Array;
  readonly txs: readonly TxInfo[];
  readonly height: number;
  readonly prev: BlockEntry | undefined;
  /** Total work of the chain ending here. */
  readonly chainWork: bigint;
  /** Median of the last 11 block times ending here (BIP 113). */
  readonly medianTimePast: number;
  /** Arrival order, the tie-break between chains of equal work (first seen wins). */
  readonly sequence: number;
  readonly strippedSize: number;
  readonly weight: number;
  status: BlockStatus;
}

/** Median time past of a block whose parent is `prev` and whose time is `time`. */
export function medianTimePastWith(prev: BlockEntry | undefined, time: number): number {
  const times = [time];
  for (let e = prev; e !== undefined && times.length < MEDIAN_TIME_SPAN; e = e.prev) times.push(e.block.header.time);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Display hex of a block hash. */
export function blockHashHex(hash: Uint8Array): string {
  return toHex(reverseBytes(hash));
}

/** True when `entry` is `ancestor` or descends from it. */
export function descendsFrom(entry: BlockEntry, ancestor: BlockEntry): boolean {
  let e: BlockEntry | undefined = entry;
  while (e !== undefined && e.height > ancestor.height) e = e.prev;
  return e === ancestor;
}

/** The last common block of two chains. */
export function findFork(a: BlockEntry, b: BlockEntry): BlockEntry {
  let x: BlockEntry | undefined = a;
  let y: BlockEntry | undefined = b;
  while (x !== undefined && y !== undefined && x !== y) {
    if (x.height > y.height) x = x.prev;
    else if (y.height > x.height) y = y.prev;
    else {
      x = x.prev;
      y = y.prev;
    }
  }
  if (x === undefined || y === undefined) throw new Error('blocks share no ancestor');
  return x;
}
