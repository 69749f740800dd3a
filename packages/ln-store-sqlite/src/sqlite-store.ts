import Database from 'better-sqlite3';
import { LnError, validateKvKey, type KVStore } from 'ln-types';
import { SqliteStoreError, sqliteError } from './errors.js';

/** Options of {@link SqliteStore}. */
export interface SqliteStoreOptions {
  /**
   * `full` (default): every commit fsyncs the write-ahead log, so a write
   * whose promise resolved survives power loss. `normal`: commits are not
   * fsynced; they survive a crash of the process but the last ones may be
   * lost on power loss or an OS crash (never torn: the database stays
   * consistent). See the README before choosing `normal`.
   */
  readonly synchronous?: 'full' | 'normal';
  /** The table (default `ln_kv`): letters, digits and `_`, not starting with a digit. */
  readonly table?: string;
  /** How long to wait for another connection's write lock, in ms (default 5000). */
  readonly busyTimeoutMs?: number;
}

type Op =
  | { readonly kind: 'write'; readonly p: string; readonly s: string; readonly k: string; readonly value: Uint8Array }
  | { readonly kind: 'remove'; readonly p: string; readonly s: string; readonly k: string };

interface Pending {
  readonly op: Op;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * A durable KVStore in one SQLite table (Node, better-sqlite3): WAL journal,
 * `synchronous = FULL` by default, prepared statements.
 *
 * Writes and removes issued in the same tick (the same synchronous run) are committed together in one
 * transaction (one fsync for all of them), in issue order; each promise
 * resolves once that transaction is committed. A read or list first commits
 * what was issued before it, so it sees it. better-sqlite3 is synchronous:
 * a commit blocks the event loop for its fsync.
 */
export class SqliteStore implements KVStore {
  readonly #db: Database.Database;
  readonly #select: Database.Statement<[string, string, string], Uint8Array>;
  readonly #upsert: Database.Statement<[string, string, string, Uint8Array]>;
  readonly #delete: Database.Statement<[string, string, string]>;
  readonly #list: Database.Statement<[string, string], string>;
  readonly #commit: (ops: readonly Pending[]) => void;
  #queue: Pending[] = [];
  #scheduled = false;
  #closed = false;

  /**
   * Opens (creating when missing) the database file at `path` and its table.
   * @throws SqliteStoreError `open_failed` or `not_a_database`
   */
  constructor(path: string, options: SqliteStoreOptions = {}) {
    const table = options.table ?? 'ln_kv';
    if (!TABLE_NAME.test(table)) throw new SqliteStoreError('open_failed', `SQLite store: table name ${JSON.stringify(table)} is not a plain identifier`);
    let db: Database.Database | undefined;
    try {
      db = new Database(path);
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      const mode = db.pragma('journal_mode = WAL', { simple: true }) as string;
      // An in-memory database answers "memory"; a file must be in WAL mode.
      if (mode !== 'wal' && path !== ':memory:' && path !== '') {
        throw new SqliteStoreError('open_failed', `SQLite store: ${path} refused WAL mode (journal_mode is ${mode})`);
      }
      db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
      // macOS: fsync alone does not reach the platter; F_FULLFSYNC does (no effect elsewhere).
      db.pragma('fullfsync = ON');
      db.pragma('checkpoint_fullfsync = ON');
      db.exec(`CREATE TABLE IF NOT EXISTS "${table}" (
        primary_namespace TEXT NOT NULL,
        secondary_namespace TEXT NOT NULL,
        key TEXT NOT NULL,
        value BLOB NOT NULL,
        PRIMARY KEY (primary_namespace, secondary_namespace, key)
      )`);
      this.#select = db.prepare<[string, string, string], Uint8Array>(`SELECT value FROM "${table}" WHERE primary_namespace = ? AND secondary_namespace = ? AND key = ?`).pluck();
      this.#upsert = db.prepare<[string, string, string, Uint8Array]>(
        `INSERT INTO "${table}" (primary_namespace, secondary_namespace, key, value) VALUES (?, ?, ?, ?)
         ON CONFLICT (primary_namespace, secondary_namespace, key) DO UPDATE SET value = excluded.value`,
      );
      this.#delete = db.prepare<[string, string, string]>(`DELETE FROM "${table}" WHERE primary_namespace = ? AND secondary_namespace = ? AND key = ?`);
      this.#list = db.prepare<[string, string], string>(`SELECT key FROM "${table}" WHERE primary_namespace = ? AND secondary_namespace = ?`).pluck();
      const apply = db.transaction((ops: readonly Pending[]) => {
        for (const { op } of ops) {
          if (op.kind === 'write') this.#upsert.run(op.p, op.s, op.k, op.value);
          else this.#delete.run(op.p, op.s, op.k);
        }
      });
      // BEGIN IMMEDIATE takes the write lock up front, so two connections
      // never deadlock upgrading read locks.
      this.#commit = (ops) => apply.immediate(ops);
      this.#db = db;
    } catch (e) {
      db?.close();
      throw sqliteError(e, `opening ${path}`, 'open_failed');
    }
  }

  read(primary: string, secondary: string, key: string): Promise<Uint8Array | undefined> {
    return this.#now(() => {
      validateKvKey(primary, secondary, key);
      this.#flush();
      const value = this.#select.get(primary, secondary, key);
      return value === undefined ? undefined : ownBytes(value);
    }, 'read');
  }

  write(primary: string, secondary: string, key: string, value: Uint8Array): Promise<void> {
    // Copied now into a plain Uint8Array: the caller may change its array
    // before the batch commits (and a Buffer's slice() would share memory).
    return this.#enqueue(primary, secondary, key, (p, s, k) => ({ kind: 'write', p, s, k, value: new Uint8Array(value) }));
  }

  /** Removes the key; `lazy` removals are committed like others (a delete costs no more than a lazy one here). */
  remove(primary: string, secondary: string, key: string, _lazy = false): Promise<void> {
    return this.#enqueue(primary, secondary, key, (p, s, k) => ({ kind: 'remove', p, s, k }));
  }

  list(primary: string, secondary: string): Promise<string[]> {
    return this.#now(() => {
      validateKvKey(primary, secondary);
      this.#flush();
      return this.#list.all(primary, secondary);
    }, 'list');
  }

  /** Commits what is pending and closes the database. Later calls reject with `closed`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      this.#flush();
    } finally {
      this.#closed = true;
      this.#db.close();
    }
  }

  #enqueue(primary: string, secondary: string, key: string, make: (p: string, s: string, k: string) => Op): Promise<void> {
    try {
      validateKvKey(primary, secondary, key);
      if (this.#closed) throw new SqliteStoreError('closed', 'SQLite store: closed');
    } catch (e) {
      return Promise.reject(e);
    }
    const op = make(primary, secondary, key);
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ op, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        // Everything issued in this synchronous run joins this commit. A
        // microtask (not setImmediate) so a caller that never yields to the
        // event loop still gets its writes committed.
        queueMicrotask(() => this.#flush());
      }
    });
  }

  /** Commits the queued operations in one transaction and settles their promises. */
  #flush(): void {
    this.#scheduled = false;
    if (this.#queue.length === 0) return;
    const batch = this.#queue;
    this.#queue = [];
    try {
      this.#commit(batch);
    } catch (e) {
      const error = sqliteError(e, `committing ${batch.length} write(s)`);
      for (const p of batch) p.reject(error);
      return;
    }
    for (const p of batch) p.resolve();
  }

  #now<T>(run: () => T, doing: string): Promise<T> {
    try {
      if (this.#closed) throw new SqliteStoreError('closed', 'SQLite store: closed');
      return Promise.resolve(run());
    } catch (e) {
      return Promise.reject(e instanceof LnError ? e : sqliteError(e, doing));
    }
  }
}

/** A Uint8Array over exactly the value's bytes (the driver's Buffer owns its memory; copy if it does not). */
function ownBytes(value: Uint8Array): Uint8Array {
  return value.byteOffset === 0 && value.buffer.byteLength === value.byteLength
    ? new Uint8Array(value.buffer, 0, value.byteLength)
    : new Uint8Array(value);
}
