import { type OutPoint, equalBytes } from 'ln-types';
import { outpointHash } from '../util/outpoint-hash.js';

/**
 * Which monitor watches which outpoint, for finding the few transactions of a
 * block that concern any monitor: one hash lookup per input instead of asking
 * every monitor about every transaction.
 */
export class OutpointIndex<T> {
  private readonly buckets = new Map<number, { outpoint: OutPoint; value: T }[]>();

  add(outpoint: OutPoint, value: T): void {
    const h = outpointHash(outpoint.txid, outpoint.index);
    let bucket = this.buckets.get(h);
    if (bucket === undefined) this.buckets.set(h, (bucket = []));
    if (bucket.some((e) => e.value === value && e.outpoint.index === outpoint.index && equalBytes(e.outpoint.txid, outpoint.txid))) return;
    bucket.push({ outpoint, value });
  }

  /** Values watching the outpoint (`txid`, `index`). */
  lookup(txid: Uint8Array, index: number): T[] | undefined {
    const bucket = this.buckets.get(outpointHash(txid, index));
    if (bucket === undefined) return undefined;
    const out = bucket.filter((e) => e.outpoint.index === index && equalBytes(e.outpoint.txid, txid)).map((e) => e.value);
    return out.length > 0 ? out : undefined;
  }

  /** Drops every entry of `value`. */
  removeValue(value: T): void {
    for (const [h, bucket] of this.buckets) {
      const kept = bucket.filter((e) => e.value !== value);
      if (kept.length === 0) this.buckets.delete(h);
      else if (kept.length !== bucket.length) this.buckets.set(h, kept);
    }
  }

  get size(): number {
    let n = 0;
    for (const b of this.buckets.values()) n += b.length;
    return n;
  }
}
