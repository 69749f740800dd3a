import { afterAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { runCrashScenario } from 'ln-kv-store-conformance/node';
import { PostgresStore } from '../src/index.js';
import { dropTables, freshTable, postgresUrl } from './server.js';

const suite = postgresUrl === undefined ? describe.skip : describe;
const table = freshTable();
afterAll(() => dropTables([table]));

suite('PostgresStore crash safety', () => {
  it('a writer killed with SIGKILL mid-write leaves every acknowledged operation and no torn value, twice over', async () => {
    const rounds = await runCrashScenario({
      storeModule: fileURLToPath(new URL('./open-store.ts', import.meta.url)),
      location: table,
      env: { LN_TEST_POSTGRES_URL: postgresUrl! },
      open: (location) => PostgresStore.open({ connectionString: postgresUrl!, table: location }),
      close: (store) => (store as PostgresStore).close(),
    });
    for (const round of rounds) {
      expect(round.acked).toBeGreaterThanOrEqual(30);
      expect(round.inFlight).toBeGreaterThan(0);
    }
  }, 90_000);
});
