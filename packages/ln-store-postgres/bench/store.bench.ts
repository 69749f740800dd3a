// PostgresStore against FilesystemStore (the default store) in the same run.
// The server: LN_TEST_POSTGRES_URL when set, else a throwaway one started
// with scripts/test-server.sh where PostgreSQL is installed; without either
// the bench says so and measures nothing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { FilesystemStore } from 'ln-store';
import { benchKvStore } from 'ln-kv-store-conformance/node';
import { PostgresStore } from '../src/index.js';

const script = fileURLToPath(new URL('../scripts/test-server.sh', import.meta.url));
let url = process.env.LN_TEST_POSTGRES_URL;
let started: string | undefined;
if (url === undefined && existsSync('/usr/lib/postgresql')) {
  const env = execFileSync('bash', [script, 'start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  url = /LN_TEST_POSTGRES_URL='([^']+)'/.exec(env)?.[1];
  started = /LN_TEST_POSTGRES_DIR='([^']+)'/.exec(env)?.[1];
}
if (url === undefined) {
  console.log('ln-store-postgres bench: no PostgreSQL (set LN_TEST_POSTGRES_URL or install postgresql); nothing measured');
} else {
  const table = `ln_kv_bench_${process.pid}`;
  const store = await PostgresStore.open({ connectionString: url, table });
  const dir = mkdtempSync(join(tmpdir(), 'ln-store-pg-bench-'));
  try {
    const reference = { name: 'FilesystemStore', store: new FilesystemStore(dir) };
    await benchKvStore('ln-store-postgres', { name: 'PostgresStore (Unix socket, same machine)', store }, reference);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await store.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP TABLE IF EXISTS "${table}"`);
    await client.end();
    if (started !== undefined) execFileSync('bash', [script, 'stop', started], { stdio: 'ignore' });
  }
}
