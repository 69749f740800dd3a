import { Buffer } from 'node:buffer';
import pg from 'pg';
import { LnError, validateKvKey, type KVStore, type Logger } from 'ln-types';
import { PostgresStoreError, postgresError } from './errors.js';

/** Options of {@link PostgresStore.open}. */
export interface PostgresStoreOptions {
  /** `postgresql://user:password@host:port/database` (a Unix socket: `postgresql://user@/db?host=/run/postgresql`). */
  readonly connectionString?: string;
  /**
   * A pool of the application's to use instead of making one (the store
   * does not end it on close). Its connections must commit synchronously:
   * `open` refuses a server or role with `synchronous_commit = off`.
   */
  readonly pool?: pg.Pool;
  /** Further settings of the pool the store makes (size, SSL, timeouts...). */
  readonly poolConfig?: pg.PoolConfig;
  /** The table (default `ln_kv`): letters, digits and `_`, not starting with a digit; created when missing. */
  readonly table?: string;
  /** Where failures of idle pooled connections are reported (they are otherwise dropped and replaced). */
  readonly logger?: Logger;
}

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * A KVStore in one PostgreSQL table (Node, node-postgres), through a pool.
 *
 * Each write is one `INSERT ... ON CONFLICT DO UPDATE` committed on its own
 * with `synchronous_commit` on: the promise resolves once the server has
 * flushed the commit to its WAL. Operations on one key run one after another
 * in issue order; different keys run concurrently over the pool's
 * connections. A read or list waits for the operations issued before it.
 */
export class PostgresStore implements KVStore {
  readonly #pool: pg.Pool;
  readonly #ownPool: boolean;
  readonly #sql: Readonly<Record<'select' | 'upsert' | 'delete' | 'list', { readonly name: string; readonly text: string }>>;
  /** The last pending operation per key, so later ones on that key wait for it. */
  readonly #pending = new Map<string, Promise<void>>();
  #closed = false;

  private constructor(pool: pg.Pool, ownPool: boolean, table: string) {
    this.#pool = pool;
    this.#ownPool = ownPool;
    const t = `"${table}"`;
    const where = 'primary_namespace = $1 AND secondary_namespace = $2';
    // Named statements: each connection parses and plans them once.
    this.#sql = {
      select: { name: `ln_kv_select_${table}`, text: `SELECT value FROM ${t} WHERE ${where} AND key = $3` },
      upsert: {
        name: `ln_kv_upsert_${table}`,
        text: `INSERT INTO ${t} (primary_namespace, secondary_namespace, key, value) VALUES ($1, $2, $3, $4)
               ON CONFLICT (primary_namespace, secondary_namespace, key) DO UPDATE SET value = EXCLUDED.value`,
      },
      delete: { name: `ln_kv_delete_${table}`, text: `DELETE FROM ${t} WHERE ${where} AND key = $3` },
      list: { name: `ln_kv_list_${table}`, text: `SELECT key FROM ${t} WHERE ${where}` },
    };
  }

  /**
   * Connects, checks that commits are synchronous and creates the table when missing.
   * @throws PostgresStoreError `connection`, `query`, `not_durable` or `invalid_table_name`
   */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const table = options.table ?? 'ln_kv';
    if (!TABLE_NAME.test(table)) throw new PostgresStoreError('invalid_table_name', `PostgreSQL store: table name ${JSON.stringify(table)} is not a plain identifier`);
    const ownPool = options.pool === undefined;
    const pool =
      options.pool ??
      new pg.Pool({
        connectionTimeoutMillis: 10_000,
        ...options.poolConfig,
        ...(options.connectionString === undefined ? {} : { connectionString: options.connectionString }),
        // Durability per write, whatever the server's or role's default: each
        // connection starts with synchronous_commit on (a startup parameter,
        // so no extra round trip). With synchronous standbys, "on" also waits
        // for them to flush the commit.
        options: `${options.poolConfig?.options ?? ''} -c synchronous_commit=on`.trim(),
      });
    if (ownPool) {
      // A failure of an idle connection is emitted on the pool; unheard, it would end the process.
      pool.on('error', (e) => options.logger?.log({ level: 'warn', module: 'ln-store-postgres', message: `idle connection failed: ${e.message}` }));
    }
    const store = new PostgresStore(pool, ownPool, table);
    try {
      const client = await pool.connect().catch((e: unknown) => {
        throw postgresError(e, 'connecting');
      });
      try {
        const { rows } = await client.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
        if (rows[0]?.synchronous_commit === 'off') {
          throw new PostgresStoreError('not_durable', 'PostgreSQL store: the pool commits asynchronously (synchronous_commit = off); writes would not be durable when they resolve');
        }
        await client.query(`CREATE TABLE IF NOT EXISTS "${table}" (
          primary_namespace TEXT NOT NULL,
          secondary_namespace TEXT NOT NULL,
          key TEXT NOT NULL,
          value BYTEA NOT NULL,
          PRIMARY KEY (primary_namespace, secondary_namespace, key)
        )`).catch((e: unknown) => {
          // Two stores creating the table at once: one wins, the other sees a duplicate.
          if ((e as { code?: string }).code !== '23505' && (e as { code?: string }).code !== '42P07') throw e;
        });
      } finally {
        client.release();
      }
    } catch (e) {
      if (ownPool) await pool.end().catch(() => {});
      throw e instanceof LnError ? e : postgresError(e, 'opening the table');
    }
    return store;
  }

  read(primary: string, secondary: string, key: string): Promise<Uint8Array | undefined> {
    return this.#guard(async () => {
      validateKvKey(primary, secondary, key);
      await this.#pending.get(idOf(primary, secondary, key));
      // Text results (bytea as hex, parsed into a Buffer by node-postgres): its
      // per-query `binary` mode would decode bytea as a UTF-8 string.
      const result = await this.#query<{ value: Uint8Array }>({ ...this.#sql.select, values: [primary, secondary, key] }, 'read');
      const value = result.rows[0]?.value;
      return value === undefined ? undefined : ownBytes(value);
    });
  }

  write(primary: string, secondary: string, key: string, value: Uint8Array): Promise<void> {
    // Copied now into a plain Uint8Array (a Buffer's slice() would share memory): it is sent later.
    const copy = new Uint8Array(value);
    return this.#enqueue(primary, secondary, key, () =>
      this.#query({ ...this.#sql.upsert, values: [primary, secondary, key, Buffer.from(copy.buffer, copy.byteOffset, copy.byteLength)] }, 'write'),
    );
  }

  /** Removes the key; a `lazy` removal is the same single DELETE here. */
  remove(primary: string, secondary: string, key: string, _lazy = false): Promise<void> {
    return this.#enqueue(primary, secondary, key, () => this.#query({ ...this.#sql.delete, values: [primary, secondary, key] }, 'remove'));
  }

  list(primary: string, secondary: string): Promise<string[]> {
    return this.#guard(async () => {
      validateKvKey(primary, secondary);
      await Promise.all(this.#pending.values());
      const result = await this.#query<{ key: string }>({ ...this.#sql.list, values: [primary, secondary] }, 'list');
      return result.rows.map((r) => r.key);
    });
  }

  /** Waits for pending operations, then ends the pool if the store made it. Later calls reject with `closed`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all(this.#pending.values());
    if (this.#ownPool) await this.#pool.end();
  }

  async #query<R extends pg.QueryResultRow = pg.QueryResultRow>(config: pg.QueryConfig, doing: string): Promise<pg.QueryResult<R>> {
    try {
      return await this.#pool.query<R>(config);
    } catch (e) {
      throw postgresError(e, doing);
    }
  }

  #guard<T>(run: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new PostgresStoreError('closed', 'PostgreSQL store: closed'));
    return run();
  }

  #enqueue(primary: string, secondary: string, key: string, run: () => Promise<unknown>): Promise<void> {
    try {
      validateKvKey(primary, secondary, key);
      if (this.#closed) throw new PostgresStoreError('closed', 'PostgreSQL store: closed');
    } catch (e) {
      return Promise.reject(e);
    }
    const id = idOf(primary, secondary, key);
    const previous = this.#pending.get(id) ?? Promise.resolve();
    const next = previous.then(run).then(() => {});
    // What later operations wait for: settles either way, never rejects.
    const settled = next.then(
      () => {},
      () => {},
    );
    this.#pending.set(id, settled);
    void settled.then(() => {
      if (this.#pending.get(id) === settled) this.#pending.delete(id);
    });
    return next;
  }
}

// '/' appears in no valid name, so the joined id is unambiguous.
function idOf(primary: string, secondary: string, key: string): string {
  return `${primary}/${secondary}/${key}`;
}

/** A Uint8Array over exactly the value's bytes, copied unless the driver's Buffer owns its memory alone. */
function ownBytes(value: Uint8Array): Uint8Array {
  return value.byteOffset === 0 && value.buffer.byteLength === value.byteLength ? new Uint8Array(value.buffer, 0, value.byteLength) : new Uint8Array(value);
}
