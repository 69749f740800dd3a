import type { BlockHeaderData } from 'ln-chain-api';
import { toHex } from 'ln-types';

/**
 * Checked headers by hash, at most `capacity` of them: the oldest inserted is
 * dropped first. The sync driver finds fork points through it without asking
 * the source again for headers it has seen; a dropped header is fetched again.
 */
export class HeaderCache {
  readonly #capacity: number;
  readonly #byHash = new Map<string, BlockHeaderData>();

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('header cache capacity must be a positive integer');
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#byHash.size;
  }

  get(hash: Uint8Array): BlockHeaderData | undefined {
    return this.#byHash.get(toHex(hash));
  }

  put(header: BlockHeaderData): void {
    const key = toHex(header.hash);
    this.#byHash.delete(key);
    this.#byHash.set(key, header);
    while (this.#byHash.size > this.#capacity) this.#byHash.delete(this.#byHash.keys().next().value!);
  }
}
