import type { Coin } from './coin.js';

/** A spent coin and its key, kept to restore it when its block is disconnected. */
export interface SpentCoin {
  readonly key: string;
  readonly coin: Coin;
}

/**
 * The set of unspent outputs of the active chain, by outpoint key. Connecting a
 * block spends and adds coins; the spent ones are returned as undo data so
 * disconnecting the block restores them exactly.
 */
export class UtxoSet {
  readonly #coins = new Map<string, Coin>();

  get size(): number {
    return this.#coins.size;
  }

  get(key: string): Coin | undefined {
    return this.#coins.get(key);
  }

  has(key: string): boolean {
    return this.#coins.has(key);
  }

  add(key: string, coin: Coin): void {
    this.#coins.set(key, coin);
  }

  /** Removes and returns a coin (undefined when absent). */
  spend(key: string): Coin | undefined {
    const coin = this.#coins.get(key);
    if (coin !== undefined) this.#coins.delete(key);
    return coin;
  }

  delete(key: string): void {
    this.#coins.delete(key);
  }

  entries(): IterableIterator<[string, Coin]> {
    return this.#coins.entries();
  }
}
