import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { LogRecord } from 'ln-types';
import { PostgresStore, PostgresStoreError } from '../src/index.js';
import { dropTables, freshTable, postgresUrl, withUrlParts } from './server.js';

const suite = postgresUrl === undefined ? describe.skip : describe;
const tables: string[] = [];
const table = () => {
  const name = freshTable();
  tables.push(name);
  return name;
};
afterAll(() => dropTables(tables));

/** Polls `condition` every 50 ms for up to 20 s. */
async function until(condition: () => Promise<boolean> | boolean): Promise<void> {
  const end = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('condition not reached in 20 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresUrl! });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

describe('PostgresStore errors without a server', () => {
  it('rejects with "connection" when nothing listens (loopback port, missing socket directory)', async () => {
    for (const connectionString of ['postgresql://postgres@127.0.0.1:1/postgres', 'postgresql://postgres@/postgres?host=/nonexistent-ln-socket-dir&port=5432']) {
      const failure = PostgresStore.open({ connectionString, poolConfig: { connectionTimeoutMillis: 3000 } });
      await expect(failure).rejects.toBeInstanceOf(PostgresStoreError);
      await expect(failure).rejects.toMatchObject({ code: 'connection' });
    }
  });

  it('refuses a table name that is not a plain identifier', async () => {
    await expect(PostgresStore.open({ connectionString: 'postgresql://postgres@127.0.0.1:1/postgres', table: 'x"; DROP TABLE y; --' })).rejects.toMatchObject({
      code: 'invalid_table_name',
    });
  });
});

suite('PostgresStore errors', () => {
  it('rejects with "connection" for a database that does not exist', async () => {
    const url = withUrlParts(postgresUrl!, { database: 'no_such_database_ln' });
    await expect(PostgresStore.open({ connectionString: url })).rejects.toMatchObject({ code: 'connection' });
  });

  it('keeps commits synchronous: refuses an application pool that commits asynchronously, overrides it in its own pool', async () => {
    const role = `ln_async_${process.pid}`;
    await admin(async (c) => {
      await c.query(`DROP ROLE IF EXISTS ${role}`);
      await c.query(`CREATE ROLE ${role} LOGIN SUPERUSER`);
      await c.query(`ALTER ROLE ${role} SET synchronous_commit = off`);
    });
    try {
      const url = withUrlParts(postgresUrl!, { user: role });
      const pool = new pg.Pool({ connectionString: url });
      await expect(PostgresStore.open({ pool, table: table() })).rejects.toMatchObject({ code: 'not_durable' });
      await pool.end();
      // Its own pool turns synchronous_commit back on for every connection (open checks it).
      const store = await PostgresStore.open({ connectionString: url, table: table() });
      await store.write('ns', '', 'k', Uint8Array.of(1));
      expect(await store.read('ns', '', 'k')).toEqual(Uint8Array.of(1));
      await store.close();
    } finally {
      await admin(async (c) => {
        await c.query(`DROP OWNED BY ${role}`);
        await c.query(`DROP ROLE ${role}`);
      });
    }
  });

  it('survives its connections being killed: a write in flight rejects with "connection", idle ones are replaced and logged', async () => {
    const name = table();
    const records: LogRecord[] = [];
    // Named, so only this store's backends are terminated below (other test files share the server).
    const app = `ln_store_kill_test_${process.pid}`;
    const store = await PostgresStore.open({
      connectionString: postgresUrl!,
      table: name,
      poolConfig: { application_name: app },
      logger: { level: 'trace', log: (r) => records.push(r) },
    });
    // Two writes at once: the pool holds two connections, one stays idle below.
    await Promise.all([store.write('ns', '', 'k', Uint8Array.of(1)), store.write('ns', '', 'other', Uint8Array.of(1))]);
    const locker = new pg.Client({ connectionString: postgresUrl! });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE "${name}" IN ACCESS EXCLUSIVE MODE`);
    // This write waits for the lock; once the server shows it waiting, every
    // backend of the store (that one and the idle one) is terminated.
    const blocked = store.write('ns', '', 'k', Uint8Array.of(2));
    await until(async () => (await admin((c) => c.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`, [`INSERT INTO "${name}"%`]))).rowCount! > 0);
    await admin((c) => c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [app]));
    await expect(blocked).rejects.toMatchObject({ code: 'connection' });
    await locker.query('ROLLBACK');
    await locker.end();
    // The idle connection's failure reached the pool (and the logger) and it was dropped.
    await until(async () => records.some((r) => r.level === 'warn' && r.message.startsWith('idle connection failed')));
    await store.write('ns', '', 'k', Uint8Array.of(3));
    expect(await store.read('ns', '', 'k')).toEqual(Uint8Array.of(3));
    await store.close();
  });

  it('waits for pending writes on close, then rejects every call with "closed"', async () => {
    const name = table();
    const store = await PostgresStore.open({ connectionString: postgresUrl!, table: name });
    const pending = store.write('ns', '', 'k', Uint8Array.of(5));
    await store.close();
    await pending;
    await expect(store.read('ns', '', 'k')).rejects.toMatchObject({ code: 'closed' });
    await expect(store.write('ns', '', 'k', Uint8Array.of(1))).rejects.toMatchObject({ code: 'closed' });
    await expect(store.remove('ns', '', 'k')).rejects.toMatchObject({ code: 'closed' });
    await expect(store.list('ns', '')).rejects.toMatchObject({ code: 'closed' });
    const again = await PostgresStore.open({ connectionString: postgresUrl!, table: name });
    expect(await again.read('ns', '', 'k')).toEqual(Uint8Array.of(5));
    await again.close();
  });
});
