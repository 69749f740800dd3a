import { type OutPoint, toHex } from 'ln-types';

/** An unspent output and where it was created. */
export interface Coin {
  /** Satoshis. */
  readonly amount: bigint;
  readonly script: Uint8Array;
  /** Height of the block that created it (for mempool outputs: the next block's height). */
  readonly height: number;
  readonly coinbase: boolean;
}

/** Map key of an outpoint: internal-order txid hex, colon, index. */
export function coinKey(txid: Uint8Array, index: number): string {
  return `${toHex(txid)}:${index}`;
}

/** {@link coinKey} of an outpoint. */
export function outPointCoinKey(point: OutPoint): string {
  return coinKey(point.txid, point.index);
}
