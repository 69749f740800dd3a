import { LnError, validateKvKey, type KVStore } from 'ln-types';
import { IndexedDbStoreError, indexedDbError } from './errors.js';

/** Options of {@link IndexedDbStore.open}. */
export interface IndexedDbStoreOptions {
  /** The IndexedDB factory (default `globalThis.indexedDB`; a fake one in tests). */
  readonly indexedDB?: IDBFactory;
  /** The key range class that goes with `indexedDB` (default `globalThis.IDBKeyRange`). */
  readonly IDBKeyRange?: typeof IDBKeyRange;
  /**
   * The durability of write transactions (default `strict`: the browser
   * flushes to disk before a write's promise resolves, where it supports the
   * hint). `relaxed` is faster and may lose the last writes on power loss.
   */
  readonly durability?: IDBTransactionDurability;
}

const OBJECT_STORE = 'kv';
const VERSION = 1;

/** The write transaction taking requests now, and its completion. */
interface OpenBatch {
  readonly tx: IDBTransaction;
  readonly store: IDBObjectStore;
  readonly done: Promise<void>;
}

/**
 * A KVStore in one IndexedDB object store (browsers). Keys are the arrays
 * `[primary, secondary, key]`; values are stored as Uint8Array.
 *
 * Writes and removes issued in the same task join one readwrite transaction
 * (one flush for all); each promise resolves when that transaction completes,
 * with `strict` durability by default. IndexedDB runs transactions with
 * overlapping scopes in the order they were created, so writes to one key
 * apply in issue order, and a read (its own transaction, created later) sees
 * every write issued before it.
 */
export class IndexedDbStore implements KVStore {
  readonly #db: IDBDatabase;
  readonly #durability: IDBTransactionDurability;
  readonly #keyRange: typeof IDBKeyRange;
  #batch: OpenBatch | undefined;
  /** Every write transaction not yet completed, for close(). */
  readonly #unfinished = new Set<Promise<void>>();
  #closed = false;

  private constructor(db: IDBDatabase, durability: IDBTransactionDurability, keyRange: typeof IDBKeyRange) {
    this.#db = db;
    this.#durability = durability;
    this.#keyRange = keyRange;
    // Another tab upgrading or deleting the database: let it, and refuse further calls.
    db.onversionchange = () => {
      this.#closed = true;
      db.close();
    };
  }

  /**
   * Opens (creating when missing) the database `name` with its object store.
   * @throws IndexedDbStoreError `unavailable`
   */
  static open(name: string, options: IndexedDbStoreOptions = {}): Promise<IndexedDbStore> {
    const factory = options.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    const keyRange = options.IDBKeyRange ?? (globalThis as { IDBKeyRange?: typeof IDBKeyRange }).IDBKeyRange;
    if (factory === undefined || keyRange === undefined) return Promise.reject(new IndexedDbStoreError('unavailable', 'IndexedDB store: there is no IndexedDB here'));
    return new Promise((resolve, reject) => {
      const fail = (e: unknown) => {
        const error = indexedDbError(e, `opening database ${JSON.stringify(name)}`);
        reject(new IndexedDbStoreError('unavailable', error.message, { cause: e }));
      };
      let request: IDBOpenDBRequest;
      try {
        request = factory.open(name, VERSION);
      } catch (e) {
        fail(e);
        return;
      }
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains(OBJECT_STORE)) db.createObjectStore(OBJECT_STORE);
      };
      request.onsuccess = () => resolve(new IndexedDbStore(request.result, options.durability ?? 'strict', keyRange));
      request.onerror = () => fail(request.error);
    });
  }

  read(primary: string, secondary: string, key: string): Promise<Uint8Array | undefined> {
    return this.#request('readonly', () => validateKvKey(primary, secondary, key), (store) => store.get([primary, secondary, key]), 'read').then((value) => {
      if (value === undefined) return undefined;
      if (!(value instanceof Uint8Array)) throw new IndexedDbStoreError('corrupt_value', `IndexedDB store: the value of ${primary}/${secondary}/${key} is not bytes`);
      return value;
    });
  }

  write(primary: string, secondary: string, key: string, value: Uint8Array): Promise<void> {
    // put() clones the value at once. A view into a larger buffer would clone
    // the whole buffer: store exactly its bytes.
    const whole = value.byteOffset === 0 && value.byteLength === value.buffer.byteLength && value.buffer instanceof ArrayBuffer;
    const bytes = whole && value.constructor === Uint8Array ? value : new Uint8Array(value);
    return this.#mutate(primary, secondary, key, (store, id) => store.put(bytes, id));
  }

  /** Removes the key; a `lazy` removal joins the same transaction as other writes (it costs nothing more here). */
  remove(primary: string, secondary: string, key: string, _lazy = false): Promise<void> {
    return this.#mutate(primary, secondary, key, (store, id) => store.delete(id));
  }

  list(primary: string, secondary: string): Promise<string[]> {
    return this.#request(
      'readonly',
      () => validateKvKey(primary, secondary),
      // Every [primary, secondary, key] sorts after [primary, secondary] and
      // before [primary, secondary, []] (arrays sort after strings).
      (store) => store.getAllKeys(this.#keyRange.bound([primary, secondary], [primary, secondary, []], true, true)),
      'list',
    ).then((keys) => keys.map((k) => (k as [string, string, string])[2]));
  }

  /** Waits for pending writes, then closes the database. Later calls reject with `closed`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#batch = undefined;
    await Promise.allSettled([...this.#unfinished]);
    this.#db.close();
  }

  #mutate(primary: string, secondary: string, key: string, op: (store: IDBObjectStore, id: IDBValidKey) => IDBRequest): Promise<void> {
    try {
      validateKvKey(primary, secondary, key);
      if (this.#closed) throw new IndexedDbStoreError('closed', 'IndexedDB store: closed');
      const id = [primary, secondary, key];
      // Join the transaction of this task while it still takes requests;
      // once it has gone inactive (or finished), put() throws and a new one starts.
      if (this.#batch !== undefined) {
        try {
          op(this.#batch.store, id);
          return this.#batch.done;
        } catch (e) {
          if ((e as { name?: unknown }).name !== 'TransactionInactiveError' && (e as { name?: unknown }).name !== 'InvalidStateError') throw e;
        }
      }
      const batch = this.#newBatch();
      op(batch.store, id);
      return batch.done;
    } catch (e) {
      return Promise.reject(e instanceof LnError ? e : indexedDbError(e, 'write'));
    }
  }

  #newBatch(): OpenBatch {
    const tx = this.#db.transaction(OBJECT_STORE, 'readwrite', { durability: this.#durability });
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      // An aborted transaction stored none of its writes: all of them fail.
      tx.onabort = () => reject(indexedDbError(tx.error ?? new Error('aborted'), 'write transaction'));
    });
    const batch: OpenBatch = { tx, store: tx.objectStore(OBJECT_STORE), done };
    this.#batch = batch;
    this.#unfinished.add(done);
    const settle = () => {
      this.#unfinished.delete(done);
      if (this.#batch === batch) this.#batch = undefined;
    };
    done.then(settle, settle);
    return batch;
  }

  #request<T>(mode: IDBTransactionMode, check: () => void, make: (store: IDBObjectStore) => IDBRequest<T>, doing: string): Promise<T> {
    try {
      check();
      if (this.#closed) throw new IndexedDbStoreError('closed', 'IndexedDB store: closed');
      const request = make(this.#db.transaction(OBJECT_STORE, mode).objectStore(OBJECT_STORE));
      return new Promise((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(indexedDbError(request.error, doing));
      });
    } catch (e) {
      return Promise.reject(e instanceof LnError ? e : indexedDbError(e, doing));
    }
  }
}
