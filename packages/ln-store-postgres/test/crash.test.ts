import { afterAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runCrashScenario } from 'ln-kv-store-conformance/node';
import { PostgresStore } from '../src/index.js';
import { dropTables, freshTable, postgresUrl } from './server.js';

const suite = postgresUrl === undefined ? describe.skip : describe;
const table = freshTable();
afterAll(() => dropTables([table]));

/**
 * Waits until the server has dropped every session of the killed writer
 * (named through PGAPPNAME): a statement it had already received still runs
 * to its end after the client died, and would otherwise land after the check.
 */
async function writerSessionsGone(app: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl! });
  await client.connect();
  try {
    for (let i = 0; ; i++) {
      const { rowCount } = await client.query('SELECT 1 FROM pg_stat_activity WHERE application_name = $1', [app]);
      if (rowCount === 0) return;
      if (i > 400) throw new Error(`the killed writer's sessions are still on the server after 20 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await client.end();
  }
}

suite('PostgresStore crash safety', () => {
  it('a writer killed with SIGKILL mid-write leaves every acknowledged operation and no torn value, twice over', async () => {
    const app = `ln_crash_writer_${process.pid}`;
    const rounds = await runCrashScenario({
      storeModule: fileURLToPath(new URL('./open-store.ts', import.meta.url)),
      location: table,
      env: { LN_TEST_POSTGRES_URL: postgresUrl!, PGAPPNAME: app },
      afterKill: () => writerSessionsGone(app),
      open: (location) => PostgresStore.open({ connectionString: postgresUrl!, table: location }),
      close: (store) => (store as PostgresStore).close(),
    });
    for (const round of rounds) {
      expect(round.acked).toBeGreaterThanOrEqual(30);
      expect(round.inFlight).toBeGreaterThan(0);
    }
  }, 90_000);
});
