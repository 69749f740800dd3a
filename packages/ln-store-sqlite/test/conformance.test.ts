import { afterAll } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KvStoreHarness } from 'ln-kv-store-conformance';
import { describeKvStoreConformance } from 'ln-kv-store-conformance/jest';
import { SqliteStore, type SqliteStoreOptions } from '../src/index.js';

// Every directory this file makes lives under one temporary directory, removed at the end.
const base = mkdtempSync(join(tmpdir(), 'ln-store-sqlite-test-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function sqliteHarness(options: SqliteStoreOptions): KvStoreHarness<SqliteStore> {
  const paths = new WeakMap<SqliteStore, string>();
  const open = (path: string) => {
    const store = new SqliteStore(path, options);
    paths.set(store, path);
    return store;
  };
  return {
    create: async () => open(join(mkdtempSync(join(base, 'ln-store-sqlite-')), 'kv.sqlite')),
    reopen: async (store) => open(paths.get(store)!),
    close: (store) => store.close(),
  };
}

describeKvStoreConformance('SqliteStore (synchronous FULL)', sqliteHarness({}));
describeKvStoreConformance('SqliteStore (synchronous NORMAL, another table)', sqliteHarness({ synchronous: 'normal', table: 'kv_other' }));
