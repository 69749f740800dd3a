// Durable writes bound how fast monitor updates persist: SqliteStore
// (synchronous FULL, the default, and NORMAL) against FilesystemStore (the
// default store) on the same disk, in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilesystemStore } from 'ln-store';
import { measureKvStore, reportKvStore } from 'ln-kv-store-conformance/node';
import { SqliteStore } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ln-store-sqlite-bench-'));
const reference = { name: 'FilesystemStore', figures: await measureKvStore(new FilesystemStore(join(dir, 'fs'))) };
for (const synchronous of ['full', 'normal'] as const) {
  const store = new SqliteStore(join(dir, `kv-${synchronous}.sqlite`), { synchronous });
  reportKvStore('ln-store-sqlite', `SqliteStore (synchronous ${synchronous.toUpperCase()})`, await measureKvStore(store), reference);
  await store.close();
}
rmSync(dir, { recursive: true, force: true });
