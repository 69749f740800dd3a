import { afterAll } from '@jest/globals';
import type { KvStoreHarness } from 'ln-kv-store-conformance';
import { describeKvStoreConformance } from 'ln-kv-store-conformance/jest';
import { PostgresStore } from '../src/index.js';
import { dropTables, freshTable, postgresUrl } from './server.js';

const tables: string[] = [];
const tableOf = new WeakMap<PostgresStore, string>();
async function open(table: string): Promise<PostgresStore> {
  const store = await PostgresStore.open({ connectionString: postgresUrl!, table, poolConfig: { max: 4 } });
  tableOf.set(store, table);
  return store;
}

const harness: KvStoreHarness<PostgresStore> = {
  create: async () => {
    const table = freshTable();
    tables.push(table);
    return open(table);
  },
  reopen: async (store) => open(tableOf.get(store)!),
  close: (store) => store.close(),
  // Each write is a commit with a WAL flush on the server: a smaller model run.
  sizes: { modelRuns: 15 },
};

describeKvStoreConformance('PostgresStore', harness, { skip: postgresUrl === undefined });
afterAll(() => dropTables(tables));
