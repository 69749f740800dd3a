import type { KVStore } from 'ln-types';

/**
 * How the suite reaches one store implementation. Every method may be slow
 * (a database connection), so all are asynchronous.
 */
export interface KvStoreHarness<S extends KVStore = KVStore> {
  /** Opens a store over new, empty storage (a fresh directory, database, table...). */
  create(): Promise<S>;
  /**
   * Opens another, independent instance over the same storage as `store`
   * (another file handle, connection or database handle), whether `store` is
   * still open or already closed. Absent for stores that keep nothing beyond
   * their own instance (MemoryKVStore): the cases that need it are skipped.
   */
  reopen?(store: S): Promise<S>;
  /** Releases what an instance holds (connections, handles). Called once for every instance the suite opened. */
  close?(store: S): Promise<void>;
  /** Sizes, for backends where the defaults would be slow (a remote database). */
  readonly sizes?: Partial<ConformanceSizes>;
}

/** How big the load-bearing cases are. */
export interface ConformanceSizes {
  /** Bytes of the large value (default 5 MiB). */
  readonly largeValueBytes: number;
  /** Writes issued at once to one key (default 100). */
  readonly writesToOneKey: number;
  /** Keys written at once (default 300). */
  readonly concurrentKeys: number;
  /** Replacements racing the readers in the atomicity case (default 24). */
  readonly replacements: number;
  /** Bytes of each value in the atomicity case (default 256 KiB). */
  readonly replaceValueBytes: number;
  /** fast-check runs of the model test (default 30). */
  readonly modelRuns: number;
}

export const DEFAULT_SIZES: ConformanceSizes = {
  largeValueBytes: 5 * 1024 * 1024,
  writesToOneKey: 100,
  concurrentKeys: 300,
  replacements: 24,
  replaceValueBytes: 256 * 1024,
  modelRuns: 30,
};

/**
 * The stores one case opened, closed together when the case ends (pass or
 * fail), so a failing case leaks no connection.
 */
export class CaseScope<S extends KVStore = KVStore> {
  readonly #harness: KvStoreHarness<S>;
  readonly #open: S[] = [];
  readonly sizes: ConformanceSizes;

  constructor(harness: KvStoreHarness<S>) {
    this.#harness = harness;
    this.sizes = { ...DEFAULT_SIZES, ...harness.sizes };
  }

  /** True when the harness can open a second instance over the same storage. */
  get canReopen(): boolean {
    return this.#harness.reopen !== undefined;
  }

  async create(): Promise<S> {
    const store = await this.#harness.create();
    this.#open.push(store);
    return store;
  }

  async reopen(store: S): Promise<S> {
    if (this.#harness.reopen === undefined) throw new Error('this harness cannot reopen a store');
    const another = await this.#harness.reopen(store);
    this.#open.push(another);
    return another;
  }

  /** Closes one instance early (to prove that what it wrote outlives it). */
  async close(store: S): Promise<void> {
    const at = this.#open.indexOf(store);
    if (at < 0) return;
    this.#open.splice(at, 1);
    await this.#harness.close?.(store);
  }

  async closeAll(): Promise<void> {
    const stores = this.#open.splice(0).reverse();
    const errors: unknown[] = [];
    for (const store of stores) {
      try {
        await this.#harness.close?.(store);
      } catch (e) {
        errors.push(e);
      }
    }
    if (errors.length > 0) throw errors[0];
  }
}
